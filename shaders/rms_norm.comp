// RMSNorm, one workgroup per row (Gemma 4 spec §2.1; CPU twin facet::cpu::rmsNorm):
//   out[r][i] = (x[r][i] / sqrt(mean_i(x[r][i]²) + eps) * (HAS_WEIGHT ? w[i] : 1)
//                + (HAS_RESIDUAL ? residual[r][i] : 0)) * (HAS_SCALE ? scale[0] : 1)
//   HAS_NEXT: next[r][i] = out[r][i] / sqrt(mean_i(out[r][i]²) + eps) * w2[i]
// The residual form is Gemma's post-norm + residual add in one pass; SCALE
// is the layer scalar and NEXT the following pre-norm, so the end of one
// block and the start of the next are one dispatch (one barrier fewer in the
// dependent chain of a decode step). Accumulation is fp32. `out` may alias
// `x` or `residual` (each invocation reads an element before it writes the
// same one, all reads of x for the sum finish at the reduction's barrier, and
// NEXT reads back only the elements the invocation itself wrote).
//
// Spec constants: 0 WG_SIZE (invocations per row; a power of two),
// 1 HAS_WEIGHT, 2 HAS_RESIDUAL, 3 HAS_SCALE, 4 HAS_NEXT. Define USE_SUBGROUPS
// for the subgroupAdd reduction (a separate module: its capabilities must not
// reach devices without subgroup arithmetic). Host side:
// engine/vulkan/ops/rms_norm_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const bool HAS_WEIGHT = true;
layout(constant_id = 2) const bool HAS_RESIDUAL = false;
layout(constant_id = 3) const bool HAS_SCALE = false;
layout(constant_id = 4) const bool HAS_NEXT = false;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 1) readonly buffer WBuf { float w[]; };
layout(std430, set = 0, binding = 2) readonly buffer RBuf { float res[]; };
layout(std430, set = 0, binding = 3) buffer OBuf { float o[]; };
layout(std430, set = 0, binding = 4) readonly buffer SBuf { float sc[]; };
layout(std430, set = 0, binding = 5) readonly buffer W2Buf { float w2[]; };
layout(std430, set = 0, binding = 6) writeonly buffer O2Buf { float o2[]; };

// Must match RmsNormPush (static_assert there). Offsets and strides are in
// floats, relative to each binding's start.
layout(push_constant) uniform Push {
    uint rows;
    uint cols;
    uint xOffset;
    uint xStride;
    uint wOffset;
    uint rOffset;
    uint rStride;
    uint oOffset;
    uint oStride;
    float eps;
    uint sOffset;
    uint w2Offset;
    uint o2Offset;
    uint o2Stride;
} p;

#include "reduce.glsl"

void main() {
    // Rows beyond maxComputeWorkGroupCount[0] continue in y.
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (row >= p.rows) return;  // the whole workgroup leaves: no barrier is split
    const uint t = gl_LocalInvocationID.x;
    const uint xb = p.xOffset + row * p.xStride;

    float ss = 0.0;
    for (uint i = t; i < p.cols; i += WG_SIZE) {
        const float v = x[xb + i];
        ss += v * v;
    }
    ss = workgroupSum(ss);
    const float scale = 1.0 / sqrt(ss / float(p.cols) + p.eps);

    const uint rb = p.rOffset + row * p.rStride;
    const uint ob = p.oOffset + row * p.oStride;
    const float layerScale = HAS_SCALE ? sc[p.sOffset] : 1.0;
    float ss2 = 0.0;
    for (uint i = t; i < p.cols; i += WG_SIZE) {
        float v = x[xb + i] * scale;
        if (HAS_WEIGHT) v *= w[p.wOffset + i];
        if (HAS_RESIDUAL) v += res[rb + i];
        if (HAS_SCALE) v *= layerScale;
        o[ob + i] = v;
        if (HAS_NEXT) ss2 += v * v;
    }
    if (!HAS_NEXT) return;

    ss2 = workgroupSum(ss2);
    const float scale2 = 1.0 / sqrt(ss2 / float(p.cols) + p.eps);
    const uint o2b = p.o2Offset + row * p.o2Stride;
    for (uint i = t; i < p.cols; i += WG_SIZE) o2[o2b + i] = o[ob + i] * scale2 * w2[p.w2Offset + i];
}
