// Stores nTok rows of K (and V) into the f16 KV-cache rings (CPU twin
// facet::cpu::kvStore; format in common/kv.glsl):
//   cache[(pos0 + t) % capacity][i] = f16(src[t][i])
// One invocation per word (two values); x over the row's words, y over tokens.
//
// Spec constants: 0 WG_SIZE, 1 HAS_V (also store V; else bindings 1 and 3 are
// stand-ins, never touched). Host side: engine/vulkan/ops/kv_store_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const bool HAS_V = true;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer KBuf { float k[]; };
layout(std430, set = 0, binding = 1) readonly buffer VBuf { float v[]; };
layout(std430, set = 0, binding = 2) writeonly buffer KCache { uint kc[]; };
layout(std430, set = 0, binding = 3) writeonly buffer VCache { uint vc[]; };

// Must match KvStorePush (static_assert there). Source offsets and strides in
// floats, cache offsets in words (uints), each relative to its binding.
layout(push_constant) uniform Push {
    uint nTok;
    uint words;  // per row: width / 2
    uint kOffset;
    uint kStride;
    uint vOffset;
    uint vStride;
    uint kcOffset;
    uint vcOffset;
    uint capacity;  // slots in the ring
    uint pos0;      // position of token 0
} p;

#include "kv.glsl"

void main() {
    const uint i = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (i >= p.words || t >= p.nTok) return;
    const uint slot = (p.pos0 + t) % p.capacity;
    const uint src = 2u * i;
    const uint kb = p.kOffset + t * p.kStride + src;
    kc[p.kcOffset + slot * p.words + i] = facet_kv_pack(k[kb], k[kb + 1u]);
    if (HAS_V) {
        const uint vb = p.vOffset + t * p.vStride + src;
        vc[p.vcOffset + slot * p.words + i] = facet_kv_pack(v[vb], v[vb + 1u]);
    }
}
