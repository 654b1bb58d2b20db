// Descriptor pools and storage-buffer descriptor writes. Every write states
// buffer, offset and range explicitly (never VK_WHOLE_SIZE: llama.cpp PR
// #16354) and is checked against maxStorageBufferRange and
// minStorageBufferOffsetAlignment first, so an oversized binding is a clear
// error here instead of a validation message (llama.cpp#18656) or a wrong answer.
#pragma once

#include <volk.h>

#include <memory>
#include <span>
#include <string>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Device;
class Pipeline;

class DescriptorPool {
public:
    // Room for `maxSets` sets of storage buffers, `maxBuffers` descriptors in all.
    static Result<std::unique_ptr<DescriptorPool>> create(Device& device, uint32_t maxSets, uint32_t maxBuffers);
    ~DescriptorPool();
    DescriptorPool(DescriptorPool&& other) noexcept;
    DescriptorPool& operator=(DescriptorPool&& other) noexcept;
    DescriptorPool(const DescriptorPool&) = delete;
    DescriptorPool& operator=(const DescriptorPool&) = delete;

    // A set for `pipeline`'s layout. VK_ERROR_OUT_OF_POOL_MEMORY when full
    // (the error message starts with "vkAllocateDescriptorSets"); see full().
    Result<VkDescriptorSet> allocate(const Pipeline& pipeline);
    // Whether allocate() failed for lack of room since the last reset().
    bool full() const { return full_; }
    // Frees every set at once; only when no submitted work still uses them.
    Status reset();
    VkDescriptorPool handle() const { return pool_; }

private:
    DescriptorPool() = default;
    void release();

    Device* device_ = nullptr;
    VkDescriptorPool pool_ = VK_NULL_HANDLE;
    bool full_ = false;
};

// Checks one binding: a live buffer, 0 < size <= maxStorageBufferRange, offset
// a multiple of minStorageBufferOffsetAlignment, inside the buffer. `what`
// names the use in the error ("rms_norm binding 3").
Status checkBinding(const Device& device, const BufferSlice& slice, const std::string& what);

// Writes buffers[i] to binding i of `set` for every binding of `pipeline`.
Status writeDescriptors(Device& device, VkDescriptorSet set, const Pipeline& pipeline,
                        std::span<const BufferSlice> buffers);

}  // namespace facet::vk
