#include "request_queue.h"

namespace facet::server {

RequestQueue::RequestQueue(int capacity) : capacity_(capacity) { thread_ = std::thread([this] { loop(); }); }

RequestQueue::~RequestQueue() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        waiting_.clear();
        runningCancel_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

std::optional<uint64_t> RequestQueue::submit(Work work) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || static_cast<int>(waiting_.size()) >= capacity_) return std::nullopt;
    const uint64_t t = nextTicket_++;
    waiting_.push_back(Item{t, std::move(work)});
    wake_.notify_one();
    return t;
}

bool RequestQueue::cancel(uint64_t ticket) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
        if (it->ticket == ticket) {
            waiting_.erase(it);
            return true;
        }
    if (runningTicket_ == ticket) runningCancel_ = true;
    return false;
}

int RequestQueue::waiting() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(waiting_.size());
}

bool RequestQueue::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return runningTicket_ != 0 || !waiting_.empty();
}

void RequestQueue::loop() {
    while (true) {
        Item item;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
            if (stopping_) return;
            item = std::move(waiting_.front());
            waiting_.pop_front();
            runningTicket_ = item.ticket;
            runningCancel_ = false;
        }
        item.work(runningCancel_);
        std::lock_guard<std::mutex> lock(mutex_);
        runningTicket_ = 0;
    }
}

}  // namespace facet::server
