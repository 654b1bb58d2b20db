// GeGLU over nTok rows (Gemma 4 spec §2.4; CPU twin facet::cpu::geglu):
//   out[t][i] = gelu_tanh(g[t][i]) * u[t][i],  i < n
// g and u may be two halves of one row (the MoE gate_up output): each has its
// own offset and row stride. `out` may alias g or u (each invocation reads its
// element before writing it). x over the row, y over tokens. gelu_tanh:
// common/gelu.glsl.
//
// Spec constants: 0 WG_SIZE. Host side: engine/vulkan/ops/geglu_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "gelu.glsl"

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer GBuf { float g[]; };
layout(std430, set = 0, binding = 1) readonly buffer UBuf { float u[]; };
layout(std430, set = 0, binding = 2) writeonly buffer OBuf { float o[]; };

// Must match GegluPush (static_assert there). Offsets and strides in floats.
layout(push_constant) uniform Push {
    uint nTok;
    uint n;
    uint gOffset;
    uint gStride;
    uint uOffset;
    uint uStride;
    uint oOffset;
    uint oStride;
} p;

void main() {
    const uint i = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (i >= p.n || t >= p.nTok) return;
    const float gv = g[p.gOffset + t * p.gStride + i];
    const float uv = u[p.uOffset + t * p.uStride + i];
    o[p.oOffset + t * p.oStride + i] = geluTanh(gv) * uv;
}
