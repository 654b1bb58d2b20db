// mat_vec's closing norm ("tail", issue 20 F3; shaders/common/mat_vec_tail.glsl):
// a decode product whose output y is a block's output also does the block's
// post-norm in the same dispatch, so no rms_norm dispatch and barrier follow:
//   y[t]    = W · a[t]                                   (the product)
//   x[t]    = (norm(y[t]) · weight + x[t]) · scale        (x: residual, in place)
//   next[t] = norm(x[t]) · nextWeight                     (optional)
// for t < nTok, norm over the product's rows (rows = the vector width), the
// math of rms_norm.comp. Every workgroup stores its rows and counts itself
// on `counter`; the last one reads all of y in a fixed order (deterministic)
// and runs the norm. CPU twin: facet::cpu::matmul, then facet::cpu::rmsNorm.
#pragma once

#include <array>
#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk {

class Device;
struct MatVecArgs;
struct MatVecShape;

// MatVecArgs::tail; an empty counter = no tail.
struct MatVecTail {
    BufferSlice counter;          // one uint32, 0 before the first use; each dispatch leaves it 0
    BufferSlice weight;           // the post-norm weight: rows floats
    BufferSlice residual;         // x: nTok vectors of rows floats, in and out
    uint32_t residualStride = 0;  // floats between vectors; 0 = rows
    BufferSlice scale;            // one float multiplying x (the layer scalar); empty = none
    BufferSlice nextWeight;       // rows floats: also write the next pre-norm of x ...
    BufferSlice nextOut;          // ... here; both or neither
    uint32_t nextOutStride = 0;   // 0 = rows
    float eps = 1e-6f;
    bool empty() const { return counter.empty(); }
};

// The tail's part of MatVecPush (the GLSL block's fields tailCounter..tailFlags):
// offsets in floats (the counter's in uints) relative to each binding.
struct MatVecTailPush {
    uint32_t counter;
    uint32_t rOffset;
    uint32_t rStride;
    uint32_t wOffset;
    uint32_t sOffset;
    uint32_t w2Offset;
    uint32_t nextOffset;
    uint32_t nextStride;
    float eps;
    uint32_t flags;  // kTailScale | kTailNext
};
inline constexpr uint32_t kTailScale = 1, kTailNext = 2;

// Whether dispatchMatVec takes `args` with its tail on this device: the
// forward asks before it drops the rms_norm dispatch, and keeps that
// dispatch where this says no. False when FACET_VK_NO_TAIL_FUSION is set
// (DeviceOptions::noTailFusion), for GLU modes or accumulate, when the
// rows do not fit one binding (a row window each: no one dispatch sees all
// of y), or when a tail buffer is missing, short, misaligned, overlapping
// what it must not, or past one binding. dispatchMatVec refuses the same
// cases with an error naming the reason.
bool matVecCanTail(const Device& device, const MatVecArgs& args);

// For dispatchMatVec: bindings 4..9 of the mat_vec shaders (counter,
// residual, weight, scale, next weight, next out), the push fields and the
// TAIL spec constant, from args.tail checked (the product's own arguments
// already are); with no tail, `yBind` stands in for every binding and TAIL is 0.
struct TailBinding {
    std::array<BufferSlice, 6> binds;
    MatVecTailPush push{};
    uint32_t spec = 0;
};
Result<TailBinding> matVecTailBinding(const DeviceCaps& caps, const MatVecArgs& args, const BufferSlice& yBind);

// Whether the chosen shape can run the tail: the product in one dispatch
// (`windows` row windows), the norm's shared memory within the device's.
Status matVecTailFits(const DeviceCaps& caps, const MatVecShape& shape, uint32_t nTok, uint32_t windows);

}  // namespace facet::vk
