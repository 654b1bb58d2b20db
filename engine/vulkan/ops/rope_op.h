// Host side of shaders/rope.comp (house style rule 7: rope.comp <->
// dispatchRope <-> RopePush; CPU twins facet::cpu::rmsNorm, facet::cpu::rope).
// In place on [nTok][nHeads][headDim] float rows: optional per-head RMSNorm
// (q_norm/k_norm weight, or weightless for V), then optional NeoX RoPE.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of rope.comp, field for field.
struct RopePush {
    uint32_t nTok;
    uint32_t nHeads;
    uint32_t headDim;
    uint32_t xOffset;
    uint32_t tokStride;
    uint32_t headStride;
    uint32_t wOffset;
    uint32_t thetaOffset;
    uint32_t posOffset;
    uint32_t usePositions;
    int32_t pos0;
    float eps;
    uint32_t cacheOffset;
    uint32_t capacity;
    uint32_t nKvHeads;
    uint32_t vHead0;
    uint32_t wkOffset;
    uint32_t vCacheOffset;
};
// 18 scalars of 4 bytes in the GLSL block `Push` (std430 push-constant layout).
static_assert(sizeof(RopePush) == 72, "RopePush must match the push block of shaders/rope.comp");

// The θ table rope.comp reads: per pair j, 4 floats (τ1, τ2, τ3, 0) with
// τ = θ_j / 2π (turns per position) = τ1 + τ2 + τ3, τ1 and τ2 truncated to
// 12 significant bits, so the shader's products with 12-bit halves of the
// position are exact (why: rope.comp). θ_j is the CPU's double, e.g.
// facet::ropeTheta(desc, layer, j). Upload once per layer kind; 16 bytes per pair.
std::vector<float> ropeThetaTable(const std::vector<double>& thetas);

struct RopeArgs {
    BufferSlice x;          // in and out; element (t, h, i) at t*tokStride + h*headStride + i
    BufferSlice weight;     // headDim floats (q_norm / k_norm); empty = weightless norm
    BufferSlice theta;      // ropeThetaTable (headDim/2 pairs); needed when rotate
    BufferSlice positions;  // nTok int32 positions in [0, 2^24); empty = pos0 + t
    uint32_t nTok = 0;
    uint32_t nHeads = 0;
    uint32_t headDim = 0;     // even
    uint32_t tokStride = 0;   // floats; 0 = nHeads * headStride
    uint32_t headStride = 0;  // floats; 0 = headDim
    int32_t pos0 = 0;         // positions must stay in [0, 2^24) (exact in fp32)
    bool norm = true;
    bool rotate = true;
    float eps = 1e-6f;
    // Also store the finished rows into an f16 KV ring (kv_store's format:
    // kvCacheBytes(capacity, nHeads * headDim)), row t at slot
    // (pos0 + t) % capacity: K and V of a layer that owns its cache, with no
    // kv_store after. Needs pos0 (no positions buffer), nTok <= capacity and
    // headDim <= 512. Empty: x only.
    BufferSlice cache;
    uint32_t capacity = 0;
    // A layer's q, k and v in one dispatch (nKvHeads > 0; after the one
    // q|k|v product): x's token row holds nHeads q heads, then nKvHeads k
    // heads, then nKvHeads v heads, headStride apart (with vFromK no v heads:
    // V is the raw K, attention_k_eq_v). q is normed with `weight`, rotated
    // and written back; k normed with kWeight and rotated, v normed without
    // weight, both only stored, into `cache` and vCache (x keeps them raw).
    // Needs norm, rotate, both weights and the ring arguments.
    uint32_t nKvHeads = 0;
    BufferSlice kWeight, vCache;
    bool vFromK = false;
    // Invocations per (token, head): 0 = the device's (64 on GPUs, 8 on CPU
    // devices); tests set the other family's. A power of two within the limits.
    uint32_t invocations = 0;
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
// One workgroup per (token, head); subgroupAdd reduction when
// caps().subgroupReduce(), else shared memory. x (and the cache) must fit one binding.
Status dispatchRope(Cmd& cmd, const RopeArgs& args);

}  // namespace facet::vk
