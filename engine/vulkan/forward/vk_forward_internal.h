// Private structures of VkForward, shared by its translation units.
#pragma once

#include "vulkan/forward/vk_forward.h"

namespace facet::vk {

// A layer's constants (float32 copies of its small vectors, in the constant
// buffer) and its KV rings.
struct VkForward::Layer {
    BufferSlice attnNorm, qNorm, kNorm, postAttnNorm, ffnNorm, postFfwNorm;
    BufferSlice routerScale;  // router_scale · 1/√H, the CPU's product
    BufferSlice expertScale, preFfwNorm2, postFfwNorm1, postFfwNorm2, plePostNorm;
    BufferSlice layerScale;   // one float; empty when the model has none
    BufferSlice theta;        // ropeThetaTable of the layer
    BufferSlice kCache, vCache;  // f16 rings (KV-owning layers only)
    uint32_t capacity = 0;       // ring slots
};

// Activations for maxBatch tokens (float32 unless noted).
struct VkForward::Scratch {
    BufferSlice ids;       // uint32 [B] (host-visible input)
    BufferSlice pleTok;    // [B][L·P] PLE table rows · √P (host-visible input)
    BufferSlice imageRows; // [B][H] injected rows (host-visible input)
    BufferSlice x, a, o;   // [B][H]: residual, normed input, block output
    BufferSlice rn, u2, m; // [B][H]: MoE router input, expert input, expert sum
    BufferSlice qkv;       // [B][qkvStride]: a token's q heads, k heads, v heads (one product's rows)
    BufferSlice attn;      // [B][max nHeads·hd]
    BufferSlice g, u;      // [B][max ffn width]
    BufferSlice ple, pg;   // [B][L·P], [B][P]
    BufferSlice z, moeIds, moeW;  // [B][E], uint32 [B][K], [B][K]
    BufferSlice gu, h;            // [B·K][2F], [B·K][F]
    BufferSlice moeTable, ys;     // a chunk's route table (moe_route_op.h), [B·K][H] down rows per slot
    BufferSlice logits;           // [logitRows][V]
    BufferSlice topScratch, topIds, topVals;
    BufferSlice attnScratch;      // split-K partials for decode-sized chunks
    // Global constants.
    BufferSlice outputNorm, pleProjNorm, pleProjScale, pleMix;
    BufferSlice tailCounters;     // uint32 [kTailSites · L], 0 between dispatches
    uint32_t logitRows = 0;
};

}  // namespace facet::vk
