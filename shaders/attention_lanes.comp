// Full bidirectional attention over one sequence with a query per invocation
// (the vision tower on CPU devices; CPU twin facet::cpu::attendHead on
// q · scale, the oracle being encodeImageCpu's attention):
//   out[t][h] = Σ_j softmax_j(scale · q[t][h]·k[j][kv(h)]) v[j][kv(h)]   over every key j < nKeys
// GQA: head h reads kv head h / (nHeads / nKvHeads).
//
// Why a second bidirectional attention (attention_bidir.comp has a workgroup
// per query): llvmpipe runs a workgroup as SIMD batches that switch at every
// barrier, and turns each storage-buffer load into a per-lane loop
// (mat_vec_lanes.comp), so attention_bidir's per-block reductions and loads
// cost far more than its arithmetic there (E2B tower, 441 patches: 22 s of
// attention against 13 s of products). Here a workgroup is WG_SIZE queries
// of one head and every invocation visits the same keys in the same order:
// q, K and V come through uniform texel buffers (branch-free gathers, the
// same key texel in every lane), the scores and the value sums are vector
// arithmetic across the queries, with no shared memory and no barrier. Keys
// go in chunks of CHUNK with an online softmax (running max and sum,
// accumulator rescaled per chunk). The head's dims are unrolled by hand (R64:
// guards on the spec constant fold away; local arrays, as mat_vec_lanes), so
// the chunk loop is the only loop: llvmpipe ends any invocation's loops after
// 65535 iterations (bidir_attention_op.cpp), here after 8 · 65535 keys. On
// GPUs this layout starves the device: they take attention_bidir.
//
// Spec constants: 0 WG_SIZE, 1 HEAD_DIM (a multiple of 4, <= 4 · MAX_HD4).
// q, K and V are R32G32B32A32_SFLOAT texels, out vec4: rows and heads start
// at multiples of 4 floats. Host side: engine/vulkan/ops/attention_lanes_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 8;
layout(constant_id = 1) const uint HEAD_DIM = 64;
layout(local_size_x_id = 0) in;

const uint HD4 = HEAD_DIM / 4;
const uint MAX_HD4 = 64;  // head dim 256
const uint CHUNK = 8;     // keys per online-softmax step

layout(set = 0, binding = 0) uniform samplerBuffer qTex;
layout(set = 0, binding = 1) uniform samplerBuffer kTex;
layout(set = 0, binding = 2) uniform samplerBuffer vTex;
layout(std430, set = 0, binding = 3) writeonly buffer OBuf { vec4 o[]; };

// Must match AttentionLanesPush (static_assert there). Offsets and strides
// in vec4 (texels) of each binding.
layout(push_constant) uniform Push {
    uint nTok;
    uint nKeys;
    uint nHeads;
    uint nKvHeads;
    uint qOffset;
    uint qStride;
    uint kOffset;
    uint vOffset;
    uint kvStride;
    uint oOffset;
    uint oStride;
    float scale;  // q is multiplied by this before the dot
} p;

#define R4(M, b) M(b) M(b + 1) M(b + 2) M(b + 3)
#define R16(M, b) R4(M, b) R4(M, b + 4) R4(M, b + 8) R4(M, b + 12)
#define R64(M) R16(M, 0) R16(M, 16) R16(M, 32) R16(M, 48)

#define LOAD_Q(i) if ((i) < HD4) qr[i] = texelFetch(qTex, int(qb + (i))) * p.scale;
#define ZERO(i) if ((i) < HD4) acc[i] = vec4(0.0);
#define DOT(i) if ((i) < HD4) sc += dot(qr[i], texelFetch(kTex, int(kb + (i))));
#define RESCALE(i) if ((i) < HD4) acc[i] *= corr;
#define ADD_V(i) if ((i) < HD4) acc[i] += e * texelFetch(vTex, int(vb + (i)));
#define STORE(i) if ((i) < HD4) o[ob + (i)] = acc[i] * inv;

void main() {
    const uint tok = gl_WorkGroupID.x * WG_SIZE + gl_LocalInvocationID.x;
    const uint head = gl_WorkGroupID.y;
    if (tok >= p.nTok || head >= p.nHeads) return;  // no barrier anywhere: lanes may leave
    const uint kvCol = (head / (p.nHeads / p.nKvHeads)) * HD4;
    const uint qb = p.qOffset + tok * p.qStride + head * HD4;
    vec4 qr[MAX_HD4];   // this invocation's query · scale
    vec4 acc[MAX_HD4];  // Σ exp(s_j − m) v_j
    R64(LOAD_Q)
    R64(ZERO)

    float m = -1.0 / 0.0;  // running max
    float l = 0.0;         // running sum of exp(s - m)
    for (uint base = 0; base < p.nKeys; base += CHUNK) {
        // Keys past the end repeat the last one with a score of -inf (weight 0).
        float s[CHUNK];
        float mx = m;
        for (uint c = 0; c < CHUNK; ++c) {
            const uint kb = p.kOffset + min(base + c, p.nKeys - 1u) * p.kvStride + kvCol;
            float sc = 0.0;
            R64(DOT)
            s[c] = base + c < p.nKeys ? sc : -1.0 / 0.0;
            mx = max(mx, s[c]);
        }
        const float corr = exp(m - mx);  // 0 on the first chunk (m = -inf)
        l *= corr;
        R64(RESCALE)
        for (uint c = 0; c < CHUNK; ++c) {
            const uint vb = p.vOffset + min(base + c, p.nKeys - 1u) * p.kvStride + kvCol;
            const float e = exp(s[c] - mx);
            l += e;
            R64(ADD_V)
        }
        m = mx;
    }
    const float inv = 1.0 / l;
    const uint ob = p.oOffset + tok * p.oStride + head * HD4;
    R64(STORE)
}
