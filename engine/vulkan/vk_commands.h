// Recording and submitting compute work: one command buffer with its own
// pool, fence and descriptor pools (descriptor sets are allocated per bind and
// freed together at the next begin(), as llama.cpp does per dispatch).
//
//   FACET_TRY(cmd.begin());
//   FACET_TRY(dispatchRmsNorm(cmd, args));   // bind + push + dispatch
//   cmd.computeBarrier();
//   ...
//   FACET_TRY(cmd.submitAndWait());
#pragma once

#include <volk.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"
#include "vulkan/vk_barrier_tracker.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Device;
class Pipeline;
class DescriptorPool;
class DispatchProfiler;
struct ProductLog;

class Cmd {
public:
    static constexpr std::chrono::nanoseconds kDefaultTimeout = std::chrono::seconds(60);

    // `name` appears in errors ("vkWaitForFences(decode step, 60.0 s): VK_TIMEOUT").
    static Result<std::unique_ptr<Cmd>> create(Device& device, std::string name);
    // Waits (bounded) for pending work before freeing anything.
    ~Cmd();
    Cmd(Cmd&& other) noexcept;
    Cmd& operator=(Cmd&& other) noexcept;
    Cmd(const Cmd&) = delete;
    Cmd& operator=(const Cmd&) = delete;

    Device& device() const { return *device_; }
    VkCommandBuffer handle() const { return cmd_; }
    const std::string& name() const { return name_; }

    // Starts recording (one-time submit). An error while the previous
    // submission is pending: wait() first.
    Status begin();

    // Binds `pipeline` with buffers[i] at binding i (each checked: range <=
    // maxStorageBufferRange, aligned offset, inside its buffer).
    Status bind(const Pipeline& pipeline, std::span<const BufferSlice> buffers);
    Status bind(const Pipeline& pipeline, std::initializer_list<BufferSlice> buffers) {
        return bind(pipeline, std::span<const BufferSlice>(buffers.begin(), buffers.size()));
    }
    // Push constants for the bound pipeline; `bytes` must be its push size.
    Status push(const void* data, uint32_t bytes);
    template <typename T>
    Status push(const T& block) {
        return push(&block, static_cast<uint32_t>(sizeof(T)));
    }
    // Checks the group counts against maxComputeWorkGroupCount.
    Status dispatch(uint32_t x, uint32_t y = 1, uint32_t z = 1);

    // Global memory barriers (one VkMemoryBarrier each).
    void computeBarrier();            // shader writes -> later shader reads/writes (none while tracking)
    void transferToComputeBarrier();  // copies/fills -> shader reads/writes
    void computeToTransferBarrier();  // shader writes -> copies (and copies -> copies)
    void toHostBarrier();             // shader/copy writes -> host reads after the fence

    // Records a copy of min(src.size, dst.size) bytes.
    void copy(const BufferSlice& src, const BufferSlice& dst);
    // Fills `dst` with a 32-bit pattern; offset and size multiples of 4.
    Status fill(const BufferSlice& dst, uint32_t value);

    Status end();
    Status submit();
    // VK_TIMEOUT leaves the work pending (wait again); VK_ERROR_DEVICE_LOST
    // marks the device lost. Both are errors naming this command buffer.
    Status wait(std::chrono::nanoseconds timeout = kDefaultTimeout);
    Status submitAndWait(std::chrono::nanoseconds timeout = kDefaultTimeout);

    // Keep descriptor sets across begin(): a bind with the same pipeline and
    // buffer ranges as before reuses its set, so re-recording a decode step
    // writes no descriptors (sets are written once per model). Only for
    // owners whose buffers outlive this Cmd's use of them.
    void setDescriptorReuse(bool on) { reuse_ = on; }

    // Barrier tracking (vk_barrier_tracker.h): from the next begin(),
    // dispatch() records the compute barrier a dispatch needs from the
    // ranges bound, and computeBarrier() records nothing. Off: the
    // callers' barriers, as placed (FACET_VK_NO_BARRIER_TRACKING).
    void setBarrierTracking(bool on) { trackNext_ = on; }
    bool barrierTracking() const { return tracking_; }
    size_t cachedSets() const { return cache_.size(); }

    // Stamp every dispatch from the next begin() and add the times to
    // `profiler` after each wait (nullptr: off). `profiler` must outlive its use.
    void setProfiler(DispatchProfiler* profiler) { profiler_ = profiler; }

    // What the next dispatches work on, for the profiler's per-label totals
    // (recordLinear sets the weight's role, e.g. "ffn_up"); empty: none.
    void setLabel(std::string label) { label_ = std::move(label); }

    // Every later mat_vec and mat_mat product that takes the device's shape
    // (none of its own, no override) is appended to `log` as recorded
    // (nullptr: off), for the kernel tuner to replay (ops/product_tuner.h).
    void setProductLog(ProductLog* log) { productLog_ = log; }
    ProductLog* productLog() const { return productLog_; }

    bool recording() const { return recording_; }
    bool pending() const { return pending_; }
    uint32_t dispatches() const { return dispatches_; }  // since begin()
    uint32_t barriers() const { return barriers_; }      // since begin(): pipeline barriers of any kind
    const Pipeline* bound() const { return bound_; }      // the last pipeline bound, or nullptr

private:
    Cmd() = default;
    void release();
    Result<VkDescriptorSet> allocateSet(const Pipeline& pipeline);
    Result<VkDescriptorSet> cachedSet(const Pipeline& pipeline, std::span<const BufferSlice> buffers);
    Status deviceStatus(const char* call, VkResult r, const std::string& what);
    void recordComputeBarrier();

    Device* device_ = nullptr;
    std::string name_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer cmd_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    std::vector<std::unique_ptr<DescriptorPool>> descriptorPools_;
    size_t currentPool_ = 0;
    const Pipeline* bound_ = nullptr;
    bool recording_ = false;
    bool pending_ = false;
    uint32_t dispatches_ = 0;
    uint32_t barriers_ = 0;
    bool reuse_ = false;
    std::unordered_map<std::string, VkDescriptorSet> cache_;  // key: pipeline + ranges
    std::vector<std::unique_ptr<DescriptorPool>> cachePools_;
    DispatchProfiler* profiler_ = nullptr;
    bool profiled_ = false;  // the pending submission carries stamps
    std::string label_;
    ProductLog* productLog_ = nullptr;
    BarrierTracker tracker_;
    bool tracking_ = false, trackNext_ = false;
};

}  // namespace facet::vk
