#include "vulkan/vk_commands.h"

#include <cstdio>
#include <cstring>

#include "vulkan/vk_descriptors.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_pipeline.h"
#include "vulkan/vk_profiler.h"

namespace facet::vk {

namespace {

constexpr uint32_t kSetsPerPool = 256;
constexpr uint32_t kBuffersPerPool = kSetsPerPool * 8;
constexpr size_t kMaxCachedSets = 16384;

std::string secondsText(std::chrono::nanoseconds t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(t).count());
    return buf;
}

void memoryBarrier(VkCommandBuffer cmd, VkPipelineStageFlags srcStage, VkAccessFlags srcAccess,
                   VkPipelineStageFlags dstStage, VkAccessFlags dstAccess) {
    auto b = vkStruct<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    b.srcAccessMask = srcAccess;
    b.dstAccessMask = dstAccess;
    vkCmdPipelineBarrier(cmd, srcStage, dstStage, 0, 1, &b, 0, nullptr, 0, nullptr);
}

}  // namespace

Result<std::unique_ptr<Cmd>> Cmd::create(Device& device, std::string name) {
    std::unique_ptr<Cmd> c(new Cmd());
    c->device_ = &device;
    c->name_ = std::move(name);
    const VkDevice d = device.handle();

    auto pci = vkStruct<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
    pci.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pci.queueFamilyIndex = device.queueFamily();
    if (VkResult r = vkCreateCommandPool(d, &pci, nullptr, &c->pool_); r != VK_SUCCESS)
        return vkError("vkCreateCommandPool", c->name_, r);
    auto ai = vkStruct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
    ai.commandPool = c->pool_;
    ai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    ai.commandBufferCount = 1;
    if (VkResult r = vkAllocateCommandBuffers(d, &ai, &c->cmd_); r != VK_SUCCESS)
        return vkError("vkAllocateCommandBuffers", c->name_, r);
    auto fci = vkStruct<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
    if (VkResult r = vkCreateFence(d, &fci, nullptr, &c->fence_); r != VK_SUCCESS)
        return vkError("vkCreateFence", c->name_, r);
    return c;
}

void Cmd::release() {
    if (!device_) return;
    const VkDevice d = device_->handle();
    if (pending_ && fence_ != VK_NULL_HANDLE)  // never free what the GPU may still read
        vkWaitForFences(d, 1, &fence_, VK_TRUE, std::chrono::nanoseconds(kDefaultTimeout).count());
    descriptorPools_.clear();
    cache_.clear();
    cachePools_.clear();
    if (fence_ != VK_NULL_HANDLE) vkDestroyFence(d, fence_, nullptr);
    if (pool_ != VK_NULL_HANDLE) vkDestroyCommandPool(d, pool_, nullptr);  // frees cmd_
    fence_ = VK_NULL_HANDLE;
    pool_ = VK_NULL_HANDLE;
    cmd_ = VK_NULL_HANDLE;
    device_ = nullptr;
}

Cmd::~Cmd() { release(); }

Cmd::Cmd(Cmd&& o) noexcept { *this = std::move(o); }

Cmd& Cmd::operator=(Cmd&& o) noexcept {
    if (this != &o) {
        release();
        std::swap(device_, o.device_);
        std::swap(name_, o.name_);
        std::swap(pool_, o.pool_);
        std::swap(cmd_, o.cmd_);
        std::swap(fence_, o.fence_);
        std::swap(descriptorPools_, o.descriptorPools_);
        std::swap(currentPool_, o.currentPool_);
        std::swap(bound_, o.bound_);
        std::swap(recording_, o.recording_);
        std::swap(pending_, o.pending_);
        std::swap(dispatches_, o.dispatches_);
        std::swap(barriers_, o.barriers_);
        std::swap(reuse_, o.reuse_);
        std::swap(cache_, o.cache_);
        std::swap(cachePools_, o.cachePools_);
        std::swap(profiler_, o.profiler_);
        std::swap(profiled_, o.profiled_);
        std::swap(label_, o.label_);
        std::swap(productLog_, o.productLog_);
        std::swap(tracker_, o.tracker_);
        std::swap(tracking_, o.tracking_);
        std::swap(trackNext_, o.trackNext_);
    }
    return *this;
}

Status Cmd::deviceStatus(const char* call, VkResult r, const std::string& what) {
    if (r == VK_ERROR_DEVICE_LOST) device_->markLost();
    return vkError(call, what, r);
}

Status Cmd::begin() {
    if (pending_) return errorf("%s: begin() while the previous submission is pending (wait() first)", name_.c_str());
    if (recording_) return errorf("%s: begin() while recording", name_.c_str());
    if (VkResult r = vkResetCommandBuffer(cmd_, 0); r != VK_SUCCESS) return vkError("vkResetCommandBuffer", name_, r);
    for (auto& p : descriptorPools_) FACET_TRY(p->reset());
    currentPool_ = 0;
    if (cache_.size() > kMaxCachedSets) {  // bindings keep changing: start over
        cache_.clear();
        for (auto& p : cachePools_) FACET_TRY(p->reset());
    }
    bound_ = nullptr;
    dispatches_ = 0;
    barriers_ = 0;
    tracking_ = trackNext_;
    tracker_.reset();
    auto bi = vkStruct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    if (VkResult r = vkBeginCommandBuffer(cmd_, &bi); r != VK_SUCCESS) return vkError("vkBeginCommandBuffer", name_, r);
    recording_ = true;
    profiled_ = profiler_ != nullptr;
    if (profiled_) profiler_->begin(cmd_);
    return {};
}

Result<VkDescriptorSet> Cmd::allocateSet(const Pipeline& pipeline) {
    while (currentPool_ < descriptorPools_.size()) {
        auto set = descriptorPools_[currentPool_]->allocate(pipeline);
        if (set.ok()) return set;
        if (!descriptorPools_[currentPool_]->full()) return set.error();
        ++currentPool_;
    }
    FACET_ASSIGN(auto pool, DescriptorPool::create(*device_, kSetsPerPool, kBuffersPerPool));
    descriptorPools_.push_back(std::move(pool));
    currentPool_ = descriptorPools_.size() - 1;
    return descriptorPools_.back()->allocate(pipeline);
}

Result<VkDescriptorSet> Cmd::cachedSet(const Pipeline& pipeline, std::span<const BufferSlice> buffers) {
    std::string key(sizeof(const Pipeline*) + buffers.size() * 3 * sizeof(uint64_t), '\0');
    char* k = key.data();
    const Pipeline* pp = &pipeline;
    std::memcpy(k, &pp, sizeof pp);
    k += sizeof pp;
    for (const BufferSlice& b : buffers) {
        const uint64_t v[3] = {reinterpret_cast<uint64_t>(b.handle()), b.offset, b.size};
        std::memcpy(k, v, sizeof v);
        k += sizeof v;
    }
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    VkDescriptorSet set = VK_NULL_HANDLE;
    for (auto& pool : cachePools_) {
        auto s = pool->allocate(pipeline);
        if (s.ok()) {
            set = s.value();
            break;
        }
        if (!pool->full()) return s.error();
    }
    if (set == VK_NULL_HANDLE) {
        FACET_ASSIGN(auto pool, DescriptorPool::create(*device_, kSetsPerPool, kBuffersPerPool));
        cachePools_.push_back(std::move(pool));
        FACET_ASSIGN(set, cachePools_.back()->allocate(pipeline));
    }
    FACET_TRY(writeDescriptors(*device_, set, pipeline, buffers));
    cache_.emplace(std::move(key), set);
    return set;
}

Status Cmd::bind(const Pipeline& pipeline, std::span<const BufferSlice> buffers) {
    if (!recording_) return errorf("%s: bind(%s) outside begin()/end()", name_.c_str(), pipeline.name().c_str());
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (reuse_) {
        FACET_ASSIGN(set, cachedSet(pipeline, buffers));
    } else {
        FACET_ASSIGN(set, allocateSet(pipeline));
        FACET_TRY(writeDescriptors(*device_, set, pipeline, buffers));
    }
    if (tracking_) tracker_.bind(pipeline, buffers);
    vkCmdBindPipeline(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.handle());
    vkCmdBindDescriptorSets(cmd_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0, 1, &set, 0, nullptr);
    bound_ = &pipeline;
    return {};
}

Status Cmd::push(const void* data, uint32_t bytes) {
    if (!bound_) return errorf("%s: push() before bind()", name_.c_str());
    if (bytes != bound_->pushBytes())
        return errorf("%s: %u push-constant bytes for %s, which takes %u", name_.c_str(), bytes, bound_->name().c_str(),
                      bound_->pushBytes());
    if (bytes) vkCmdPushConstants(cmd_, bound_->layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, bytes, data);
    return {};
}

Status Cmd::dispatch(uint32_t x, uint32_t y, uint32_t z) {
    if (!bound_) return errorf("%s: dispatch() before bind()", name_.c_str());
    const auto& max = device_->caps().maxComputeWorkGroupCount;
    if (x == 0 || y == 0 || z == 0 || x > max[0] || y > max[1] || z > max[2])
        return errorf("%s: dispatch %s (%u, %u, %u) outside 1..(%u, %u, %u) workgroups", name_.c_str(),
                      bound_->name().c_str(), x, y, z, max[0], max[1], max[2]);
    if (tracking_) {
        if (tracker_.conflicts()) {
            recordComputeBarrier();
            tracker_.barrier();
        }
        tracker_.dispatched();
    }
    vkCmdDispatch(cmd_, x, y, z);
    ++dispatches_;
    if (profiled_) profiler_->mark(cmd_, bound_->name(), label_);
    return {};
}

void Cmd::computeBarrier() {
    if (!tracking_) recordComputeBarrier();
}

void Cmd::recordComputeBarrier() {
    ++barriers_;
    memoryBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                  VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
}

void Cmd::transferToComputeBarrier() {
    ++barriers_;
    memoryBarrier(cmd_, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                  VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
}

void Cmd::computeToTransferBarrier() {
    ++barriers_;
    memoryBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                  VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                  VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
}

void Cmd::toHostBarrier() {
    ++barriers_;
    memoryBarrier(cmd_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                  VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                  VK_ACCESS_HOST_READ_BIT);
}

void Cmd::copy(const BufferSlice& src, const BufferSlice& dst) {
    VkBufferCopy region{src.offset, dst.offset, std::min(src.size, dst.size)};
    if (region.size) vkCmdCopyBuffer(cmd_, src.handle(), dst.handle(), 1, &region);
}

Status Cmd::fill(const BufferSlice& dst, uint32_t value) {
    if (dst.empty() || dst.offset % 4 || dst.size % 4)
        return errorf("%s: fill of [%llu, +%llu) needs a non-empty range at multiples of 4", name_.c_str(),
                      static_cast<unsigned long long>(dst.offset), static_cast<unsigned long long>(dst.size));
    vkCmdFillBuffer(cmd_, dst.handle(), dst.offset, dst.size, value);
    return {};
}

Status Cmd::end() {
    if (!recording_) return errorf("%s: end() without begin()", name_.c_str());
    recording_ = false;
    if (VkResult r = vkEndCommandBuffer(cmd_); r != VK_SUCCESS) return vkError("vkEndCommandBuffer", name_, r);
    return {};
}

Status Cmd::submit() {
    if (recording_) FACET_TRY(end());
    if (pending_) return errorf("%s: submitted twice without wait()", name_.c_str());
    if (device_->lost())
        return errorf("%s: the Vulkan device %s was lost earlier; recreate it", name_.c_str(), device_->name().c_str());
    if (VkResult r = vkResetFences(device_->handle(), 1, &fence_); r != VK_SUCCESS)
        return vkError("vkResetFences", name_, r);
    auto si = vkStruct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
    si.commandBufferCount = 1;
    si.pCommandBuffers = &cmd_;
    if (VkResult r = device_->submit(si, fence_, name_); r != VK_SUCCESS)
        return deviceStatus("vkQueueSubmit", r, name_ + ", " + std::to_string(dispatches_) + " dispatches");
    pending_ = true;
    return {};
}

Status Cmd::wait(std::chrono::nanoseconds timeout) {
    if (!pending_) return {};
    const VkResult r = vkWaitForFences(device_->handle(), 1, &fence_, VK_TRUE, static_cast<uint64_t>(timeout.count()));
    if (r == VK_TIMEOUT) {
        Error e = vkError("vkWaitForFences", name_ + ", " + secondsText(timeout), r);
        e.message += " (the GPU work did not finish in time; it is still pending)";
        return e;
    }
    if (r != VK_SUCCESS) {
        if (r == VK_ERROR_DEVICE_LOST) pending_ = false;  // nothing will ever signal it
        return deviceStatus("vkWaitForFences", r, name_ + ", " + secondsText(timeout));
    }
    pending_ = false;
    if (profiled_ && profiler_) {
        profiled_ = false;
        return profiler_->collect();
    }
    return {};
}

Status Cmd::submitAndWait(std::chrono::nanoseconds timeout) {
    FACET_TRY(submit());
    return wait(timeout);
}

}  // namespace facet::vk
