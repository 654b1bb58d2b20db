// GeGLU over nTok rows (Gemma 4 spec §2.4; CPU twin facet::cpu::geglu):
//   out[t][i] = gelu_tanh(g[t][i]) * u[t][i],  i < n
// g and u may be two halves of one row (the MoE gate_up output): each has its
// own offset and row stride. `out` may alias g or u (each invocation reads its
// element before writing it). x over the row, y over tokens.
//
// gelu_tanh(z) = 0.5 z (1 + tanh(y)), y = sqrt(2/π)(z + 0.044715 z³), computed
// as z / (1 + exp(-2y)) (the same value: 0.5(1 + tanh y) = sigmoid(2y)). That
// form has no cancellation for z << 0 and saturates to z or -0 without NaN
// when exp overflows, unlike a tanh built from exp ratios.
//
// Spec constants: 0 WG_SIZE. Host side: engine/vulkan/ops/geglu_op.cpp.
#version 450

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

const float SQRT_2_OVER_PI = 0.797884560802865355;

float geluTanh(float z) {
    const float y = SQRT_2_OVER_PI * (z + 0.044715 * z * z * z);
    return z / (1.0 + exp(-2.0 * y));
}

void main() {
    const uint i = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (i >= p.n || t >= p.nTok) return;
    const float gv = g[p.gOffset + t * p.gStride + i];
    const float uv = u[p.uOffset + t * p.uStride + i];
    o[p.oOffset + t * p.oStride + i] = geluTanh(gv) * uv;
}
