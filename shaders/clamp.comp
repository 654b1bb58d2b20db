// Clamp over nTok rows (Gemma4ClippableLinear's bounds, spec gemma4-vision.md
// §4.2; CPU twin: clampRows in tests/tst_vk_vision_ops.cpp, the same
// min(max(x, lo), hi) as vision_forward.cpp's clampTo):
//   out[t][i] = min(max(x[t][i], lo), hi),  i < n
// One bound may be ±infinity (a missing bound). `out` may alias x (each
// invocation reads its element before writing it): an in-place clamp of an
// input only its own linear reads; a copy where linears share the input.
// x over the row, y over tokens.
//
// Spec constants: 0 WG_SIZE. Host side: engine/vulkan/ops/clamp_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 1) writeonly buffer OBuf { float o[]; };

// Must match ClampPush (static_assert there). Offsets and strides in floats.
layout(push_constant) uniform Push {
    uint nTok;
    uint n;
    uint xOffset;
    uint xStride;
    uint oOffset;
    uint oStride;
    float lo;
    float hi;
} p;

void main() {
    const uint i = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (i >= p.n || t >= p.nTok) return;
    o[p.oOffset + t * p.oStride + i] = min(max(x[p.xOffset + t * p.xStride + i], p.lo), p.hi);
}
