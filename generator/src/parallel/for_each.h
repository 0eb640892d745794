// parallel: the one way cypp spreads independent work over threads. Callers keep their
// results in slots by index and use them in index order, so nothing they write depends
// on the number of threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cypp::parallel {

// Runs work(i) for every i below count, each once, on up to jobs threads (this one among
// them; jobs 0 counts as 1). The first exception a call throws is thrown again here, once
// every thread has stopped; no new call starts after it.
void for_each(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& work);

// Threads kept for a whole build: work handed out in many small rounds (a chunk of
// pages at a time) starts no thread per round, and each thread keeps its allocator's
// memory from one round to the next.
class Pool {
public:
    // jobs - 1 threads wait beside the caller's (0 counts as 1), started by the first
    // round that needs them (a build stopped by an error before then starts none).
    explicit Pool(unsigned jobs) : jobs_(jobs ? jobs : 1) {}
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;
    unsigned jobs() const { return jobs_; }

    // As parallel::for_each, on at most max_jobs of the pool's threads (0: all), the
    // caller's among them. Not to be called from inside work.
    void for_each(std::size_t count, const std::function<void(std::size_t)>& work, unsigned max_jobs = 0);
    // Runs work once on each of the pool's threads that has started, and on the caller's.
    void on_every_thread(const std::function<void()>& work);

private:
    void serve(unsigned worker);

    const unsigned jobs_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable finished_;
    const std::function<void()>* round_ = nullptr;  // what each thread of a round runs
    unsigned round_workers_ = 0;                    // workers taking part in the round
    unsigned long round_number_ = 0;
    unsigned busy_ = 0;
    bool stopping_ = false;
};

}  // namespace cypp::parallel
