// mat_vec's closing norm ("tail", issue 20 F3): the workgroup that finishes
// a product last runs a block's post-norm over the whole of y, so no
// rms_norm dispatch and barrier follow the product. For t < NTOK, with the
// row width = p.rows (the product covers whole vectors):
//   x[t] = (norm(y[t]) · w + x[t]) · (scale: s)          (in place)
//   next[t] = norm(x[t]) · w2                             (next: optional)
// the math of rms_norm.comp (common/rms_norm_rows.glsl). Host side:
// engine/vulkan/ops/mat_vec_tail.{h,cpp}.
//
// The includer declares WG_SIZE, NTOK, binding 2 (y), the push block `p`
// with the tail fields, and calls matVecTail() from every invocation of
// every workgroup after its y stores, the ones with no rows included (each
// workgroup is counted). TAIL 0 (spec constant 8) removes it all.
//
// Why it is correct without the Vulkan memory model: y's stores and the
// last workgroup's loads go through `yc`, declared coherent (device-scope
// visibility, no incoherent cache in the way); memoryBarrierBuffer() orders
// each invocation's stores before the workgroup's barrier() and invocation
// 0's atomicAdd on the coherent counter, so a workgroup is counted only after
// its rows are visible. The workgroup whose add returns groups - 1 is the
// last; its memoryBarrierBuffer() keeps its loads of y after the add. It
// reads y in a fixed order: the result does not depend on the race. It
// leaves the counter 0 for the next dispatch (after a pipeline barrier).
#ifndef FACET_MAT_VEC_TAIL_GLSL
#define FACET_MAT_VEC_TAIL_GLSL

#include "reduce.glsl"

layout(constant_id = 8) const uint TAIL = 0;  // 0 none, 1 closing norm

layout(std430, set = 0, binding = 2) coherent buffer YBufC { float yc[]; };  // y, as the tail needs it
layout(std430, set = 0, binding = 4) coherent buffer TailCount { uint tailCount[]; };
layout(std430, set = 0, binding = 5) buffer TailRes { float tailRes[]; };  // x: residual in, result out
layout(std430, set = 0, binding = 6) readonly buffer TailW { float tailW[]; };
layout(std430, set = 0, binding = 7) readonly buffer TailS { float tailS[]; };
layout(std430, set = 0, binding = 8) readonly buffer TailW2 { float tailW2[]; };
layout(std430, set = 0, binding = 9) writeonly buffer TailNext { float tailNext[]; };

#define RN_IN(i) yc[i]
#define RN_WEIGHT(i) tailW[p.tailWOffset + (i)]
#define RN_RESIDUAL(i) tailRes[i]
#define RN_OUT(i) tailRes[i]
#define RN_NEXT_WEIGHT(i) tailW2[p.tailW2Offset + (i)]
#define RN_NEXT_OUT(i) tailNext[i]
#include "rms_norm_rows.glsl"

const uint kTailScale = 1u, kTailNext = 2u;  // p.tailFlags

shared bool tailLast;

// y[t][row] (+)= v, through the coherent view where a tail reads it back.
void matVecStore(uint row, uint t, float v) {
    const uint o = p.yOffset + t * p.yStride + row;
    if (TAIL != 0u) yc[o] = p.accumulate != 0u ? yc[o] + v : v;
    else y[o] = p.accumulate != 0u ? y[o] + v : v;
}

void matVecTail() {
    memoryBarrierBuffer();
    barrier();
    if (gl_LocalInvocationIndex == 0u)
        tailLast = atomicAdd(tailCount[p.tailCounter], 1u) == gl_NumWorkGroups.x * gl_NumWorkGroups.y - 1u;
    barrier();
    if (!tailLast) return;  // (shared: the same in the whole workgroup)
    memoryBarrierBuffer();
    const bool hasScale = (p.tailFlags & kTailScale) != 0u, hasNext = (p.tailFlags & kTailNext) != 0u;
    const float s = hasScale ? tailS[p.tailSOffset] : 1.0;
    for (uint t = 0; t < NTOK; ++t)
        rmsNormRow(p.rows, p.tailEps, p.yOffset + t * p.yStride, p.tailROffset + t * p.tailRStride,
                   p.tailROffset + t * p.tailRStride, p.tailNextOffset + t * p.tailNextStride, true, true, hasScale, s,
                   hasNext);
    if (gl_LocalInvocationIndex == 0u) atomicExchange(tailCount[p.tailCounter], 0u);
}

#endif  // FACET_MAT_VEC_TAIL_GLSL
