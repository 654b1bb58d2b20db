#include "vulkan/vk_descriptors.h"

#include <algorithm>
#include <vector>

#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Result<std::unique_ptr<DescriptorPool>> DescriptorPool::create(Device& device, uint32_t maxSets, uint32_t maxBuffers) {
    std::unique_ptr<DescriptorPool> p(new DescriptorPool());
    p->device_ = &device;
    // Texel buffers only where the device has them; as many as storage buffers.
    const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, std::max(maxBuffers, 1u)},
                                          {VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER, std::max(maxBuffers, 1u)}};
    auto ci = vkStruct<VkDescriptorPoolCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
    ci.maxSets = std::max(maxSets, 1u);
    ci.poolSizeCount = device.caps().texelBuffers ? 2 : 1;
    ci.pPoolSizes = sizes;
    if (VkResult r = vkCreateDescriptorPool(device.handle(), &ci, nullptr, &p->pool_); r != VK_SUCCESS)
        return vkError("vkCreateDescriptorPool", std::to_string(maxSets) + " sets", r);
    return p;
}

Result<VkDescriptorSet> DescriptorPool::allocate(const Pipeline& pipeline) {
    VkDescriptorSetLayout layout = pipeline.setLayout();
    auto ai = vkStruct<VkDescriptorSetAllocateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
    ai.descriptorPool = pool_;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &layout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    if (VkResult r = vkAllocateDescriptorSets(device_->handle(), &ai, &set); r != VK_SUCCESS) {
        if (r == VK_ERROR_OUT_OF_POOL_MEMORY || r == VK_ERROR_FRAGMENTED_POOL) full_ = true;
        return vkError("vkAllocateDescriptorSets", pipeline.name(), r);
    }
    return set;
}

Status DescriptorPool::reset() {
    full_ = false;
    if (VkResult r = vkResetDescriptorPool(device_->handle(), pool_, 0); r != VK_SUCCESS)
        return vkError("vkResetDescriptorPool", "", r);
    return {};
}

void DescriptorPool::release() {
    if (device_ && pool_ != VK_NULL_HANDLE) vkDestroyDescriptorPool(device_->handle(), pool_, nullptr);
    pool_ = VK_NULL_HANDLE;
    device_ = nullptr;
}

DescriptorPool::~DescriptorPool() { release(); }

DescriptorPool::DescriptorPool(DescriptorPool&& o) noexcept { *this = std::move(o); }

DescriptorPool& DescriptorPool::operator=(DescriptorPool&& o) noexcept {
    if (this != &o) {
        release();
        std::swap(device_, o.device_);
        std::swap(pool_, o.pool_);
        std::swap(full_, o.full_);
    }
    return *this;
}

Status checkBinding(const Device& device, const BufferSlice& s, const std::string& what) {
    const DeviceCaps& caps = device.caps();
    if (!s.buffer) return errorf("%s: no buffer", what.c_str());
    const std::string name = "'" + s.buffer->name() + "'";
    if (s.size == 0) return errorf("%s: empty range of buffer %s", what.c_str(), name.c_str());
    if (s.size > caps.maxStorageBufferRange)
        return errorf(
            "%s: range of %s (%llu bytes) of buffer %s exceeds maxStorageBufferRange %s (%llu bytes) on %s; "
            "split the tensor into bindings of at most that size",
            what.c_str(), formatBytes(s.size).c_str(), static_cast<unsigned long long>(s.size), name.c_str(),
            formatBytes(caps.maxStorageBufferRange).c_str(),
            static_cast<unsigned long long>(caps.maxStorageBufferRange), caps.name.c_str());
    if (caps.minStorageBufferOffsetAlignment && s.offset % caps.minStorageBufferOffsetAlignment)
        return errorf("%s: offset %llu in buffer %s is not a multiple of minStorageBufferOffsetAlignment %llu",
                      what.c_str(), static_cast<unsigned long long>(s.offset), name.c_str(),
                      static_cast<unsigned long long>(caps.minStorageBufferOffsetAlignment));
    if (s.offset > s.buffer->size() || s.size > s.buffer->size() - s.offset)
        return errorf("%s: range [%llu, %llu) is outside buffer %s of %llu bytes", what.c_str(),
                      static_cast<unsigned long long>(s.offset), static_cast<unsigned long long>(s.offset + s.size),
                      name.c_str(), static_cast<unsigned long long>(s.buffer->size()));
    return {};
}

Status writeDescriptors(Device& device, VkDescriptorSet set, const Pipeline& pipeline,
                        std::span<const BufferSlice> buffers) {
    if (buffers.size() != pipeline.bindings())
        return errorf("%s: %zu buffers given for %u bindings", pipeline.name().c_str(), buffers.size(),
                      pipeline.bindings());
    std::vector<VkDescriptorBufferInfo> infos(buffers.size());
    std::vector<VkBufferView> views(buffers.size());
    std::vector<VkWriteDescriptorSet> writes(buffers.size());
    for (size_t i = 0; i < buffers.size(); ++i) {
        const std::string what = pipeline.name() + " binding " + std::to_string(i);
        writes[i] = vkStruct<VkWriteDescriptorSet>(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET);
        writes[i].dstSet = set;
        writes[i].dstBinding = static_cast<uint32_t>(i);
        writes[i].descriptorCount = 1;
        if (const VkFormat f = pipeline.texelFormat(static_cast<uint32_t>(i)); f != VK_FORMAT_UNDEFINED) {
            if (!buffers[i].buffer) return errorf("%s: no buffer", what.c_str());
            auto view = buffers[i].buffer->texelView(buffers[i].offset, buffers[i].size, f);
            if (!view.ok()) return errorf("%s: %s", what.c_str(), view.message().c_str());
            views[i] = view.value();
            writes[i].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER;
            writes[i].pTexelBufferView = &views[i];
            continue;
        }
        FACET_TRY(checkBinding(device, buffers[i], what));
        infos[i] = {buffers[i].handle(), buffers[i].offset, buffers[i].size};
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
    }
    vkUpdateDescriptorSets(device.handle(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
    return {};
}

}  // namespace facet::vk
