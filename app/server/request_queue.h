// One engine, one request at a time: a bounded FIFO of work items run in
// order on a dedicated engine thread. A full queue refuses new work (the API
// answers 429); a waiting item can be withdrawn (its client left), a running
// one is stopped through its cancel flag, which the engine checks per token.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace facet::server {

class RequestQueue {
public:
    using Work = std::function<void(const std::atomic<bool>& cancel)>;

    // `capacity`: how many items may wait besides the running one.
    explicit RequestQueue(int capacity);
    // Cancels the running item, drops the waiting ones and joins the thread.
    ~RequestQueue();
    RequestQueue(const RequestQueue&) = delete;
    RequestQueue& operator=(const RequestQueue&) = delete;

    // Queues `work` (run on the engine thread); nullopt when the queue is full.
    std::optional<uint64_t> submit(Work work);
    // Withdraws a waiting item (true: it will never run) or sets the cancel
    // flag of the running one (false: it runs to its end, stopping early).
    bool cancel(uint64_t ticket);
    // Items waiting, the running one excluded.
    int waiting() const;
    // Whether an item is running or waiting ahead of anything submitted now.
    bool busy() const;
    int capacity() const { return capacity_; }

private:
    struct Item {
        uint64_t ticket;
        Work work;
    };
    void loop();

    const int capacity_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Item> waiting_;
    uint64_t nextTicket_ = 1;
    uint64_t runningTicket_ = 0;  // 0: idle
    std::atomic<bool> runningCancel_{false};
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace facet::server
