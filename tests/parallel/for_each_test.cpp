#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "parallel/for_each.h"

using cypp::parallel::for_each;

TEST_CASE("every index is worked on exactly once, whatever the number of threads", "[parallel]") {
    for (unsigned jobs : {0u, 1u, 2u, 8u}) {
        std::vector<std::atomic<int>> calls(1000);
        for_each(calls.size(), jobs, [&](std::size_t i) { ++calls[i]; });
        for (const auto& count : calls) REQUIRE(count == 1);
    }
    for_each(0, 4, [](std::size_t) { FAIL("no work to do"); });
}

TEST_CASE("work runs on up to the given number of threads, this one among them", "[parallel]") {
    std::mutex mutex;
    std::set<std::thread::id> threads;
    auto record = [&](std::size_t) {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
    };
    for_each(50, 1, record);
    REQUIRE(threads == std::set<std::thread::id>{std::this_thread::get_id()});
    threads.clear();
    for_each(2, 8, record);  // never more threads than indexes
    REQUIRE(threads.size() <= 2);
}

TEST_CASE("the first exception is thrown again after every thread has stopped", "[parallel]") {
    std::atomic<int> done{0};
    REQUIRE_THROWS_WITH(for_each(10000, 4,
                                 [&](std::size_t i) {
                                     if (i == 10) throw std::runtime_error("index 10");
                                     ++done;
                                 }),
                        "index 10");
    REQUIRE(done < 10000);  // the rest stopped early
}

TEST_CASE("a pool works every index once in each round, on the same threads round after round", "[parallel]") {
    for (unsigned jobs : {0u, 1u, 3u}) {
        cypp::parallel::Pool pool(jobs);
        REQUIRE(pool.jobs() == std::max(jobs, 1u));
        std::mutex mutex;
        std::set<std::thread::id> threads;
        for (int round = 0; round < 200; ++round) {
            std::vector<std::atomic<int>> calls(static_cast<std::size_t>(round % 7));
            pool.for_each(calls.size(), [&](std::size_t i) {
                ++calls[i];
                std::lock_guard lock(mutex);
                threads.insert(std::this_thread::get_id());
            });
            for (const auto& count : calls) REQUIRE(count == 1);
        }
        REQUIRE(threads.size() <= pool.jobs());  // no thread started per round
        REQUIRE(threads.count(std::this_thread::get_id()) == 1);
    }
}

TEST_CASE("a pool round can be kept to fewer threads, and a failed round leaves the pool usable", "[parallel]") {
    cypp::parallel::Pool pool(4);
    std::mutex mutex;
    std::set<std::thread::id> threads;
    pool.for_each(100, [&](std::size_t) {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
    }, 1);
    REQUIRE(threads == std::set<std::thread::id>{std::this_thread::get_id()});
    std::atomic<int> done{0};
    REQUIRE_THROWS_WITH(pool.for_each(10000,
                                      [&](std::size_t i) {
                                          if (i == 10) throw std::runtime_error("index 10");
                                          ++done;
                                      }),
                        "index 10");
    REQUIRE(done < 10000);
    std::vector<std::atomic<int>> calls(500);
    pool.for_each(calls.size(), [&](std::size_t i) { ++calls[i]; });
    for (const auto& count : calls) REQUIRE(count == 1);
}

TEST_CASE("a pool runs work once on every thread it has started and on the caller's", "[parallel]") {
    cypp::parallel::Pool pool(3);
    std::mutex mutex;
    std::vector<std::thread::id> ran;
    auto record = [&] {
        std::lock_guard lock(mutex);
        ran.push_back(std::this_thread::get_id());
    };
    pool.on_every_thread(record);  // no round yet: no thread started
    REQUIRE(ran == std::vector<std::thread::id>{std::this_thread::get_id()});
    pool.for_each(100, [](std::size_t) {});
    ran.clear();
    pool.on_every_thread(record);
    REQUIRE(ran.size() == 3);
    REQUIRE(std::set<std::thread::id>(ran.begin(), ran.end()).size() == 3);
}

TEST_CASE("an exception on any of a pool's threads in on_every_thread is thrown again to the caller", "[parallel]") {
    cypp::parallel::Pool pool(3);
    pool.for_each(100, [](std::size_t) {});  // starts the threads
    const std::thread::id caller = std::this_thread::get_id();
    std::atomic<int> ran{0};
    REQUIRE_THROWS_WITH(pool.on_every_thread([&] {
        ++ran;
        if (std::this_thread::get_id() != caller) throw std::runtime_error("on a pool thread");
    }),
                        "on a pool thread");
    REQUIRE(ran == 3);
    std::vector<std::atomic<int>> calls(50);
    pool.for_each(calls.size(), [&](std::size_t i) { ++calls[i]; });  // still usable
    for (const auto& count : calls) REQUIRE(count == 1);
}
