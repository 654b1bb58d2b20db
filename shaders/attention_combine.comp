// Merges the split-K partials of attention.comp (one workgroup per (head,
// token)): with M = max_z m_z and w_z = exp(m_z - M),
//   out[d] = Σ_z w_z · acc_z[d] / Σ_z w_z · l_z
// the same online-softmax algebra the single-workgroup path applies per
// block. Empty splits carry m = -inf, l = 0 and weigh nothing.
// Spec constants: 0 WG_SIZE, 1 HEAD_DIM. Host: engine/vulkan/ops/attention_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 128;
layout(constant_id = 1) const uint HEAD_DIM = 256;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer PartBuf { float part[]; };
layout(std430, set = 0, binding = 1) writeonly buffer OBuf { float o[]; };

// Must match AttentionCombinePush (static_assert there).
layout(push_constant) uniform Push {
    uint nTok;
    uint nHeads;
    uint nSplits;
    uint oOffset;
    uint oStride;
} p;

void main() {
    const uint head = gl_WorkGroupID.x;
    const uint tok = gl_WorkGroupID.y;
    if (head >= p.nHeads || tok >= p.nTok) return;
    const uint stride = HEAD_DIM + 2u;
    const uint base = (tok * p.nHeads + head) * p.nSplits * stride;
    float mMax = -1.0 / 0.0;
    for (uint z = 0; z < p.nSplits; ++z) mMax = max(mMax, part[base + z * stride]);
    float l = 0.0;
    for (uint z = 0; z < p.nSplits; ++z) {
        const float lz = part[base + z * stride + 1u];
        if (lz > 0.0) l += lz * exp(part[base + z * stride] - mMax);
    }
    const uint ob = p.oOffset + tok * p.oStride + head * HEAD_DIM;
    for (uint d = gl_LocalInvocationID.x; d < HEAD_DIM; d += WG_SIZE) {
        float a = 0.0;
        for (uint z = 0; z < p.nSplits; ++z) {
            const uint zb = base + z * stride;
            if (part[zb + 1u] > 0.0) a += part[zb + 2u + d] * exp(part[zb] - mMax);
        }
        o[ob + d] = a / l;
    }
}
