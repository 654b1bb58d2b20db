// Elementwise binary ops over nTok rows (CPU twin facet::cpu::binary):
//   OP 0 Add:      out = a + b            (residual adds)
//   OP 1 Mul:      out = a * b            (PLE gate)
//   OP 2 Scale:    out = a * s            (layer scalar)
//   OP 3 AddScale: out = (a + b) * s      (PLE mix)
// s is one float read from a GPU buffer (a weight, so no host round trip).
// Each result is the same sequence of fp32 roundings as the twin, so the two
// agree bit for bit. `out` may alias a or b (each invocation reads its
// element before writing it). x over the row, y over tokens.
//
// Spec constants: 0 WG_SIZE, 1 OP (BinaryOp in binary_op.h; never renumber).
// Host side: engine/vulkan/ops/binary_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const uint OP = 0;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer ABuf { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer BBuf { float b[]; };
layout(std430, set = 0, binding = 2) readonly buffer SBuf { float s[]; };
layout(std430, set = 0, binding = 3) writeonly buffer OBuf { float o[]; };

// Must match BinaryPush (static_assert there). Offsets and strides in floats.
layout(push_constant) uniform Push {
    uint nTok;
    uint n;
    uint aOffset;
    uint aStride;
    uint bOffset;
    uint bStride;
    uint sOffset;
    uint oOffset;
    uint oStride;
} p;

void main() {
    const uint i = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (i >= p.n || t >= p.nTok) return;
    const float av = a[p.aOffset + t * p.aStride + i];
    float r;
    if (OP == 0u) {
        r = av + b[p.bOffset + t * p.bStride + i];
    } else if (OP == 1u) {
        r = av * b[p.bOffset + t * p.bStride + i];
    } else if (OP == 2u) {
        r = av * s[p.sOffset];
    } else {
        precise float sum = av + b[p.bOffset + t * p.bStride + i];
        r = sum * s[p.sOffset];
    }
    o[p.oOffset + t * p.oStride + i] = r;
}
