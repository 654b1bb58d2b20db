// Which dispatches must wait for earlier ones (issue 20: "barriers only
// where a dispatch reads what an earlier one wrote; track it, don't assume
// it"). Cmd records, when tracking is on, one compute barrier before a
// dispatch whose bound ranges conflict with what the dispatches since the
// last barrier touched: it reads or writes bytes they wrote (RAW, WAW), or
// writes bytes they read (WAR). Independent dispatches then share a stage
// and may overlap on the GPU.
//
// Conservative by construction: every binding a shader may write
// (Pipeline::writes, from the SPIR-V's NonWritable decorations) counts as a
// write of its whole bound range, and every binding as a read. So an op
// must bind no more than it may touch, and a stand-in for an absent input
// must be a range the dispatch touches anyway (op_binding.h). Transfers and
// host access keep their explicit barriers.
#pragma once

#include <volk.h>

#include <span>
#include <vector>

#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Pipeline;

class BarrierTracker {
public:
    struct Access {
        VkBuffer buffer = VK_NULL_HANDLE;
        VkDeviceSize begin = 0, end = 0;  // bytes [begin, end)
        bool write = false;
    };

    // Forget everything: the start of a recording (the previous submission
    // finished behind its fence before the next is recorded into this Cmd).
    void reset();
    // The ranges the next dispatches touch: `buffers` bound to `pipeline`.
    void bind(const Pipeline& pipeline, std::span<const BufferSlice> buffers);
    // The same from a list (tests).
    void bind(std::vector<Access> accesses) { pending_ = std::move(accesses); }
    // Whether a dispatch with the bound ranges must wait for the current
    // stage; then the caller records the barrier and calls barrier().
    bool conflicts() const;
    // A barrier was recorded: the stage is empty again.
    void barrier() { stage_.clear(); }
    // A dispatch with the bound ranges was recorded into the stage.
    void dispatched();

private:
    std::vector<Access> pending_;  // the bound pipeline's ranges
    std::vector<Access> stage_;    // touched since the last barrier
};

}  // namespace facet::vk
