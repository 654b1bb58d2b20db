// Host side of shaders/attention.comp (CPU twin facet::cpu::attendHead).
// Every position a token attends to must be in the cache when this runs:
// the batch's own K/V are stored first (kv_store), and a sliding layer's ring
// holds at least window + batch slots so the batch cannot overwrite keys its
// earlier tokens still need.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

struct AttentionPush {
    uint32_t nTok;
    uint32_t nHeads;
    uint32_t nKvHeads;
    uint32_t pos0;
    uint32_t window;
    uint32_t capacity;
    uint32_t qOffset;
    uint32_t qStride;
    uint32_t oOffset;
    uint32_t oStride;
};
static_assert(sizeof(AttentionPush) == 40, "AttentionPush must match the push block of shaders/attention.comp");

struct AttentionArgs {
    BufferSlice q;        // [nTok][qStride] fp32, heads packed at h * headDim
    BufferSlice kCache;   // [capacity][nKvHeads * headDim] f16, two per uint
    BufferSlice vCache;   // same layout
    BufferSlice out;      // [nTok][outStride] fp32
    uint32_t nTok = 0, nHeads = 0, nKvHeads = 0, headDim = 0;
    uint32_t pos0 = 0;     // absolute position of the first token
    uint32_t window = 0;   // sliding window; 0 = full attention
    uint32_t capacity = 0; // ring slots
    uint32_t qStride = 0, outStride = 0;  // 0 = nHeads * headDim
};

Status dispatchAttention(Cmd& cmd, const AttentionArgs& args);

}  // namespace facet::vk
