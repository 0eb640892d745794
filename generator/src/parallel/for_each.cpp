#include "parallel/for_each.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>

namespace cypp::parallel {

namespace {

// Hands out the indexes of one call and keeps its first failure.
class Round {
public:
    Round(std::size_t count, const std::function<void(std::size_t)>& work) : count_(count), work_(work) {}
    void run() {
        try {
            for (std::size_t i = next_++; i < count_; i = next_++) work_(i);
        } catch (...) {
            std::lock_guard lock(failure_mutex_);
            if (!failure_) failure_ = std::current_exception();
            next_ = count_;
        }
    }
    void rethrow() const {
        if (failure_) std::rethrow_exception(failure_);
    }

private:
    const std::size_t count_;
    const std::function<void(std::size_t)>& work_;
    std::atomic<std::size_t> next_{0};
    std::mutex failure_mutex_;
    std::exception_ptr failure_;
};

}  // namespace

void for_each(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& work) {
    Round round(count, work);
    const auto threads = static_cast<unsigned>(std::min<std::size_t>(std::max(jobs, 1u), count));
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads; ++t) workers.emplace_back([&] { round.run(); });
    round.run();
    for (std::thread& worker : workers) worker.join();
    round.rethrow();
}

Pool::~Pool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

void Pool::serve(unsigned worker) {
    unsigned long seen = 0;
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || round_number_ != seen; });
        if (stopping_) return;
        seen = round_number_;
        if (worker >= round_workers_) continue;  // not wanted this round
        const std::function<void()>* round = round_;
        lock.unlock();
        (*round)();
        lock.lock();
        if (--busy_ == 0) finished_.notify_one();
    }
}

void Pool::for_each(std::size_t count, const std::function<void(std::size_t)>& work, unsigned max_jobs) {
    if (count == 0) return;
    Round round(count, work);
    const std::function<void()> run = [&] { round.run(); };
    if (workers_.empty() && jobs_ > 1 && count > 1) {
        try {
            for (unsigned worker = 1; worker < jobs_; ++worker) workers_.emplace_back([this, worker] { serve(worker); });
        } catch (const std::system_error&) {
            // Out of threads (or of address space): the threads that started do the work.
        }
    }
    const unsigned threads = static_cast<unsigned>(
        std::min<std::size_t>({max_jobs ? max_jobs : jobs_, workers_.size() + 1, count}));
    if (threads > 1) {
        std::lock_guard lock(mutex_);
        round_ = &run;
        round_workers_ = threads;  // workers 1 .. threads - 1
        busy_ = threads - 1;
        ++round_number_;
    }
    if (threads > 1) wake_.notify_all();
    round.run();
    if (threads > 1) {
        std::unique_lock lock(mutex_);
        finished_.wait(lock, [&] { return busy_ == 0; });
        round_ = nullptr;
    }
    round.rethrow();
}

void Pool::on_every_thread(const std::function<void()>& work) {
    // Run as a round of one call per thread; the first exception is thrown again here.
    std::mutex failure_mutex;
    std::exception_ptr failure;
    const std::function<void()> run = [&] {
        try {
            work();
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
        }
    };
    const auto workers = static_cast<unsigned>(workers_.size());
    if (workers > 0) {
        {
            std::lock_guard lock(mutex_);
            round_ = &run;
            round_workers_ = workers + 1;
            busy_ = workers;
            ++round_number_;
        }
        wake_.notify_all();
    }
    run();
    if (workers > 0) {
        std::unique_lock lock(mutex_);
        finished_.wait(lock, [&] { return busy_ == 0; });
        round_ = nullptr;
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace cypp::parallel
