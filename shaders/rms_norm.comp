// RMSNorm, one workgroup per row (Gemma 4 spec §2.1; CPU twin facet::cpu::rmsNorm):
//   out[r][i] = x[r][i] / sqrt(mean_i(x[r][i]²) + eps) * (HAS_WEIGHT ? w[i] : 1)
//               + (HAS_RESIDUAL ? residual[r][i] : 0)
// The residual form is Gemma's post-norm + residual add in one pass.
// Accumulation is fp32. `out` may alias `x` or `residual` (each invocation
// reads an element before it writes the same one, and all reads of x for the
// sum finish at the reduction's barrier).
//
// Spec constants: 0 WG_SIZE (invocations per row; a power of two),
// 1 HAS_WEIGHT, 2 HAS_RESIDUAL. Define USE_SUBGROUPS for the subgroupAdd
// reduction (a separate module: its capabilities must not reach devices
// without subgroup arithmetic). Host side: engine/vulkan/ops/rms_norm_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const bool HAS_WEIGHT = true;
layout(constant_id = 2) const bool HAS_RESIDUAL = false;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 1) readonly buffer WBuf { float w[]; };
layout(std430, set = 0, binding = 2) readonly buffer RBuf { float res[]; };
layout(std430, set = 0, binding = 3) writeonly buffer OBuf { float o[]; };

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
    for (uint i = t; i < p.cols; i += WG_SIZE) {
        float v = x[xb + i] * scale;
        if (HAS_WEIGHT) v *= w[p.wOffset + i];
        if (HAS_RESIDUAL) v += res[rb + i];
        o[ob + i] = v;
    }
}
