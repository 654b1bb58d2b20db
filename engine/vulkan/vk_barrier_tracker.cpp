#include "vulkan/vk_barrier_tracker.h"

#include "vulkan/vk_pipeline.h"

namespace facet::vk {

void BarrierTracker::reset() {
    pending_.clear();
    stage_.clear();
}

void BarrierTracker::bind(const Pipeline& pipeline, std::span<const BufferSlice> buffers) {
    pending_.clear();
    for (uint32_t i = 0; i < buffers.size(); ++i) {
        const BufferSlice& b = buffers[i];
        if (b.empty()) continue;
        pending_.push_back({b.handle(), b.offset, b.offset + b.size, pipeline.writes(i)});
    }
}

bool BarrierTracker::conflicts() const {
    for (const Access& a : pending_)
        for (const Access& s : stage_)
            if ((a.write || s.write) && a.buffer == s.buffer && a.begin < s.end && s.begin < a.end) return true;
    return false;
}

void BarrierTracker::dispatched() {
    // A dispatch bound twice in a stage (the same pipeline and ranges, other
    // push constants) adds nothing new.
    for (const Access& a : pending_) {
        bool known = false;
        for (const Access& s : stage_)
            if (s.buffer == a.buffer && s.begin == a.begin && s.end == a.end && s.write == a.write) known = true;
        if (!known) stage_.push_back(a);
    }
}

}  // namespace facet::vk
