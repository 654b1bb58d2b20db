// Host side of shaders/attention_bidir.comp (house style rule 7:
// attention_bidir.comp <-> dispatchBidirAttention <-> BidirAttentionPush; CPU
// twin facet::cpu::attendHead on q · scale). Attention of a packed batch of
// sequences without a causal mask (EmbeddingGemma): token t attends to every
// token of its own sequence, or on sliding layers to those at most
// halfWindow away; K and V are the batch's float32 rows, not a cache.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of attention_bidir.comp, field for field.
struct BidirAttentionPush {
    uint32_t nTok;
    uint32_t nHeads;
    uint32_t nKvHeads;
    uint32_t qOffset;
    uint32_t qStride;
    uint32_t kOffset;
    uint32_t vOffset;
    uint32_t kvStride;
    uint32_t bOffset;
    uint32_t oOffset;
    uint32_t oStride;
    uint32_t sliding;
    uint32_t halfWindow;
    float scale;
};
// 14 scalars of 4 bytes in the GLSL block `Push`.
static_assert(sizeof(BidirAttentionPush) == 56,
              "BidirAttentionPush must match the push block of shaders/attention_bidir.comp");

// Per token, the packed indices of its sequence's first and last token
// (inclusive): what BidirAttentionArgs::bounds holds. `starts` is each
// sequence's first index plus the total at the end (0, n0, n0 + n1, ...).
std::vector<uint32_t> sequenceBounds(const std::vector<int>& starts);

struct BidirAttentionArgs {
    BufferSlice q;       // [nTok][qStride] f32, heads packed at h * headDim
    BufferSlice k, v;    // [nTok][kvStride] f32, kv heads packed at h * headDim
    BufferSlice bounds;  // uint32 [nTok][2]: sequenceBounds()
    BufferSlice out;     // [nTok][outStride] f32
    uint32_t nTok = 0, nHeads = 0, nKvHeads = 0, headDim = 0;
    uint32_t qStride = 0, kvStride = 0, outStride = 0;  // 0 = packed heads
    bool sliding = false;
    uint32_t halfWindow = 0;  // sliding layers: |t - j| <= halfWindow
    float scale = 1.0f;       // q multiplier (1/sqrt(head dim))
    // The longest key range of any token (the longest sequence, or on a
    // sliding layer at most 2 * halfWindow + 1): checked against llvmpipe's
    // loop limit (attentionLoopLimitSplits), past which its sums are wrong.
    uint32_t maxKeys = 0;
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
// Every range must fit one storage binding.
Status dispatchBidirAttention(Cmd& cmd, const BidirAttentionArgs& args);

}  // namespace facet::vk
