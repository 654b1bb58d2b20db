// Splits [0, n) into one contiguous range per hardware thread (at most 16)
// and runs fn(begin, end) on each, joined before returning. Small jobs run
// on the calling thread: starting a thread costs tens of microseconds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace facet {

template <typename Fn>
void parallelFor(int64_t n, int64_t minPerThread, Fn&& fn) {
    int64_t threads = std::min<int64_t>(std::max(1u, std::thread::hardware_concurrency()), 16);
    threads = std::min(threads, n / std::max<int64_t>(minPerThread, 1));
    if (threads <= 1) {
        if (n > 0) fn(int64_t{0}, n);
        return;
    }
    std::vector<std::thread> pool;
    const int64_t chunk = (n + threads - 1) / threads;
    for (int64_t i = 0; i < threads; ++i) {
        const int64_t a = i * chunk, b = std::min(n, a + chunk);
        if (a < b) pool.emplace_back([&fn, a, b] { fn(a, b); });
    }
    for (auto& t : pool) t.join();
}

}  // namespace facet
