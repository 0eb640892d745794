// parallel: the one way cypp spreads independent work over threads. Callers keep their
// results in slots by index and use them in index order, so nothing they write depends
// on the number of threads.
#pragma once

#include <cstddef>
#include <functional>

namespace cypp::parallel {

// Runs work(i) for every i below count, each once, on up to jobs threads (this one among
// them; jobs 0 counts as 1). The first exception a call throws is thrown again here, once
// every thread has stopped; no new call starts after it.
void for_each(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& work);

}  // namespace cypp::parallel
