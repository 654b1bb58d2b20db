// Host side of shaders/attention.comp (CPU twin facet::cpu::attendHead).
// Every position a token attends to must be in the cache when this runs:
// the batch's own K/V are stored first (kv_store), and a sliding layer's ring
// holds at least window + batch slots so the batch cannot overwrite keys its
// earlier tokens still need.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_device_info.h"

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
    uint32_t splitLen;
    uint32_t imgBegin;
    uint32_t imgEnd;
};
static_assert(sizeof(AttentionPush) == 52, "AttentionPush must match the push block of shaders/attention.comp");

struct AttentionCombinePush {
    uint32_t nTok;
    uint32_t nHeads;
    uint32_t nSplits;
    uint32_t oOffset;
    uint32_t oStride;
};
static_assert(sizeof(AttentionCombinePush) == 20,
              "AttentionCombinePush must match the push block of shaders/attention_combine.comp");

// Split-K: at most this many key ranges per (head, token).
inline constexpr uint32_t kAttentionMaxSplits = 32;
// Scratch bytes for `splits` partials of every (head, token).
inline uint64_t attentionScratchBytes(uint32_t nTok, uint32_t nHeads, uint32_t headDim, uint32_t splits) {
    return uint64_t(nTok) * nHeads * splits * (headDim + 2) * 4;
}

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
    // Split-K scratch (attentionScratchBytes(nTok, nHeads, headDim, kAttentionMaxSplits)
    // covers any choice); empty = never split.
    BufferSlice scratch;
    uint32_t splits = 0;  // 0 = chosen from the device and shape; N = forced (tests)
    // A bidirectional image block: tokens [imageBegin, imageEnd) of this call
    // also see each other's later keys (all in the cache before the call).
    uint32_t imageBegin = 0, imageEnd = 0;
};

// Records the dispatch(es): with splits, the partial pass, a barrier and the
// combine pass (no barrier before or after). On CPU devices with texel
// buffers, q, K and V are read through texel views (attention_texel) where
// head dim % 8 == 0, q's stride % 4 == 0 and all three start on 16 bytes.
Status dispatchAttention(Cmd& cmd, const AttentionArgs& args);

// The split count dispatchAttention picks: 1 on CPU devices and when heads x
// tokens already fill a GPU; else enough 256-key ranges to keep ~256
// workgroups busy, at most 16.
uint32_t attentionSplits(const DeviceCaps& caps, uint32_t nTok, uint32_t nHeads, uint64_t keysPerToken);

// The fewest key ranges that keep every workgroup under llvmpipe's loop
// limit (it silently ends loops once an invocation has run 65535 iterations;
// head dim 512 reaches that near 10k keys); 1 on other devices.
// dispatchAttention never splits less, and fails without scratch when this is > 1.
uint32_t attentionLoopLimitSplits(const DeviceCaps& caps, uint32_t headDim, uint64_t keysPerToken);

}  // namespace facet::vk
