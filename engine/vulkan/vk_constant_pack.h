// Small float vectors (norm weights, RoPE tables) packed into one buffer,
// each at a 256-byte boundary (the largest minStorageBufferOffsetAlignment
// in the wild), so each can be bound on its own. The encoders (EmbeddingVulkan,
// VisionVulkan) upload one pack and bind slices of it.
#pragma once

#include <utility>
#include <vector>

#include "vulkan/vk_buffer.h"

namespace facet::vk {

class ConstantPack {
public:
    // Appends `v`; the handle names it in slice().
    size_t add(const std::vector<float>& v) {
        spans_.push_back({data_.size(), v.size()});
        data_.insert(data_.end(), v.begin(), v.end());
        data_.resize((data_.size() + 63) / 64 * 64, 0.0f);
        return spans_.size() - 1;
    }
    size_t bytes() const { return data_.size() * 4; }
    const float* data() const { return data_.data(); }
    // Vector `handle` in `b`, the buffer the pack was uploaded to.
    BufferSlice slice(const Buffer& b, size_t handle) const {
        return b.slice(spans_[handle].first * 4, spans_[handle].second * 4);
    }

private:
    std::vector<float> data_;
    std::vector<std::pair<size_t, size_t>> spans_;  // first float, count
};

}  // namespace facet::vk
