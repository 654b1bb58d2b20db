// RMSNorm, one workgroup per row (Gemma 4 spec §2.1; CPU twin facet::cpu::rmsNorm):
//   out[r][i] = (x[r][i] / sqrt(mean_i(x[r][i]²) + eps) * (HAS_WEIGHT ? w[i] : 1)
//                + (HAS_RESIDUAL ? residual[r][i] : 0)) * (HAS_SCALE ? scale[0] : 1)
//   HAS_NEXT: next[r][i] = out[r][i] / sqrt(mean_i(out[r][i]²) + eps) * w2[i]
// The residual form is Gemma's post-norm + residual add in one pass; SCALE
// is the layer scalar and NEXT the following pre-norm, so the end of one
// block and the start of the next are one dispatch (one barrier fewer in the
// dependent chain of a decode step). Accumulation is fp32. `out` may alias
// `x` or `residual`. The row's math is common/rms_norm_rows.glsl, shared with
// mat_vec's closing norm (mat_vec_tail.glsl).
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
#define RN_IN(i) x[i]
#define RN_WEIGHT(i) w[p.wOffset + (i)]
#define RN_RESIDUAL(i) res[i]
#define RN_OUT(i) o[i]
#define RN_NEXT_WEIGHT(i) w2[p.w2Offset + (i)]
#define RN_NEXT_OUT(i) o2[i]
#include "rms_norm_rows.glsl"

void main() {
    // Rows beyond maxComputeWorkGroupCount[0] continue in y.
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (row >= p.rows) return;  // the whole workgroup leaves: no barrier is split
    const float layerScale = HAS_SCALE ? sc[p.sOffset] : 1.0;
    rmsNormRow(p.cols, p.eps, p.xOffset + row * p.xStride, p.rOffset + row * p.rStride, p.oOffset + row * p.oStride,
               p.o2Offset + row * p.o2Stride, HAS_WEIGHT, HAS_RESIDUAL, HAS_SCALE, layerScale, HAS_NEXT);
}
