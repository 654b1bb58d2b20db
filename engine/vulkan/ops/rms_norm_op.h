// Host side of shaders/rms_norm.comp (house style rule 7: rms_norm.comp <->
// dispatchRmsNorm <-> RmsNormPush; CPU twin facet::cpu::rmsNorm).
//   out[r]  = (x[r] / sqrt(mean(x[r]²) + eps) * w  (+ residual[r])) (* scale)
//   next[r] = out[r] / sqrt(mean(out[r]²) + eps) * nextWeight   (optional)
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of rms_norm.comp, field for field. Offsets and strides are
// in floats relative to each binding's start.
struct RmsNormPush {
    uint32_t rows;
    uint32_t cols;
    uint32_t xOffset;
    uint32_t xStride;
    uint32_t wOffset;
    uint32_t rOffset;
    uint32_t rStride;
    uint32_t oOffset;
    uint32_t oStride;
    float eps;
    uint32_t sOffset;
    uint32_t w2Offset;
    uint32_t o2Offset;
    uint32_t o2Stride;
};
// 14 scalars of 4 bytes in the GLSL block `Push` (std430 push-constant layout).
// Pipeline creation also compares this with the size reflected from the SPIR-V.
static_assert(sizeof(RmsNormPush) == 56, "RmsNormPush must match the push block of shaders/rms_norm.comp");

// What a block's closing norm also does in the same dispatch (Gemma: the
// layer scalar, then the next block's pre-norm: one barrier fewer).
struct RmsNormThen {
    BufferSlice scale;       // one float multiplying out (the layer scalar); empty = none
    BufferSlice nextWeight;  // cols floats: also write the next pre-norm of out ...
    BufferSlice nextOut;     // ... here (must not overlap x, residual or out); both or neither
    uint32_t nextOutStride = 0;
};

// float32 tensors of `rows` rows of `cols` values; row r of x starts at float
// r * xStride of `x` (stride 0 = cols; the same for residual and out).
struct RmsNormArgs {
    BufferSlice x;
    BufferSlice weight;    // cols floats; empty = no weight (multiply by 1)
    BufferSlice residual;  // empty = no residual add
    BufferSlice out;       // may be the same range as x or residual
    RmsNormThen then;
    uint32_t rows = 0;
    uint32_t cols = 0;
    uint32_t xStride = 0;
    uint32_t residualStride = 0;
    uint32_t outStride = 0;
    float eps = 1e-6f;
    // Invocations per row: 0 = the device's (256 on GPUs, 8 on CPU devices);
    // tests set the other family's. A power of two within the device's limits.
    uint32_t invocations = 0;
};

// Records the dispatches (no barriers) into `cmd`, which must be recording.
// The reduction uses subgroupAdd when caps().subgroupReduce(), else shared
// memory. Tensors whose rows do not fit one binding (maxStorageBufferRange)
// are processed in row windows, each bound separately.
Status dispatchRmsNorm(Cmd& cmd, const RmsNormArgs& args);

// The common call: out = norm(x)·w over `rows` rows of `cols` (+ residual),
// then optionally the next pre-norm of out.
Status recordRmsNorm(Cmd& cmd, const BufferSlice& x, const BufferSlice& w, const BufferSlice& out, uint32_t rows,
                     uint32_t cols, float eps, const BufferSlice& residual = {}, const RmsNormThen& then = {});

}  // namespace facet::vk
