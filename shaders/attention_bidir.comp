// Bidirectional attention over a packed batch of sequences (EmbeddingGemma;
// CPU twin facet::cpu::attendHead on q · scale, the oracle being
// engine/embedding/embedding_forward.cpp), one workgroup per (head, token):
//   out = Σ_j softmax_j(scale · q·k_j) v_j   over j in [first, last],
// [first, last] = the token's own sequence (bounds[2t], bounds[2t + 1], packed
// indices, inclusive), narrowed on sliding layers to |t − j| <= halfWindow.
// No causal mask, no softcap. GQA: head h reads kv head h / (nHeads / nKvHeads).
// K and V are float32 rows of the batch itself (no cache, no ring): float16
// activations break this model. Keys are visited in blocks of WG_SIZE with an
// online softmax (running max and sum, accumulator rescaled per block), as in
// attention.comp, so any sequence length works in O(headDim) shared memory.
//
// Spec constants: 0 WG_SIZE (power of two), 1 HEAD_DIM (<= WG_SIZE * MAX_DIMS).
// Host side: engine/vulkan/ops/bidir_attention_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 128;
layout(constant_id = 1) const uint HEAD_DIM = 256;
layout(local_size_x_id = 0) in;

const uint MAX_DIMS = 8;  // head dims per invocation: 1024 with 128 invocations

layout(std430, set = 0, binding = 0) readonly buffer QBuf { float q[]; };
layout(std430, set = 0, binding = 1) readonly buffer KBuf { float k[]; };
layout(std430, set = 0, binding = 2) readonly buffer VBuf { float v[]; };
layout(std430, set = 0, binding = 3) readonly buffer BoundsBuf { uint bounds[]; };
layout(std430, set = 0, binding = 4) writeonly buffer OBuf { float o[]; };

// Must match BidirAttentionPush (static_assert there). Offsets and strides in
// elements of each binding.
layout(push_constant) uniform Push {
    uint nTok;
    uint nHeads;
    uint nKvHeads;
    uint qOffset;
    uint qStride;
    uint kOffset;
    uint vOffset;
    uint kvStride;
    uint bOffset;
    uint oOffset;
    uint oStride;
    uint sliding;     // 1: narrow to |t - j| <= halfWindow
    uint halfWindow;
    float scale;      // q is multiplied by this before the dot (1/sqrt(head dim))
} p;

shared float qs[HEAD_DIM];
shared float probs[WG_SIZE];
shared float red[WG_SIZE];

float groupMax(float x) {
    const uint t = gl_LocalInvocationID.x;
    red[t] = x;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) red[t] = max(red[t], red[t + s]);
        barrier();
    }
    const float r = red[0];
    barrier();
    return r;
}

float groupSum(float x) {
    const uint t = gl_LocalInvocationID.x;
    red[t] = x;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) red[t] += red[t + s];
        barrier();
    }
    const float r = red[0];
    barrier();
    return r;
}

void main() {
    const uint head = gl_WorkGroupID.x;
    const uint tok = gl_WorkGroupID.y;
    if (head >= p.nHeads || tok >= p.nTok) return;  // whole workgroup
    const uint t = gl_LocalInvocationID.x;
    const uint kvCol = (head / (p.nHeads / p.nKvHeads)) * HEAD_DIM;

    // q · scale rounded once, as the CPU reference scales q before the dot.
    const uint qb = p.qOffset + tok * p.qStride + head * HEAD_DIM;
    for (uint d = t; d < HEAD_DIM; d += WG_SIZE) qs[d] = q[qb + d] * p.scale;
    barrier();

    uint first = bounds[p.bOffset + 2u * tok];
    uint last = bounds[p.bOffset + 2u * tok + 1u];
    if (p.sliding != 0u) {
        first = max(first, tok >= p.halfWindow ? tok - p.halfWindow : 0u);
        last = min(last, tok + p.halfWindow);
    }

    float m = -1.0 / 0.0;  // running max
    float l = 0.0;         // running sum of exp(s - m)
    float acc[MAX_DIMS];
    for (uint i = 0; i < MAX_DIMS; ++i) acc[i] = 0.0;

    for (uint base = first; base <= last; base += WG_SIZE) {
        const uint j = base + t;
        float s = -1.0 / 0.0;
        if (j <= last) {
            const uint kb = p.kOffset + j * p.kvStride + kvCol;
            float qk = 0.0;
            for (uint d = 0; d < HEAD_DIM; ++d) qk += qs[d] * k[kb + d];
            s = qk;
        }
        const float mNew = max(m, groupMax(s));
        const float e = j <= last ? exp(s - mNew) : 0.0;
        probs[t] = e;
        const float blockSum = groupSum(e);  // its barriers also publish probs[]
        const float corr = exp(m - mNew);    // 0 on the first block (m = -inf)
        l = l * corr + blockSum;
        const uint n = min(WG_SIZE, last - base + 1u);
        for (uint i = 0; i < MAX_DIMS; ++i) {
            const uint d = t + i * WG_SIZE;
            if (d >= HEAD_DIM) break;
            float a = acc[i] * corr;
            for (uint jj = 0; jj < n; ++jj) a += probs[jj] * v[p.vOffset + (base + jj) * p.kvStride + kvCol + d];
            acc[i] = a;
        }
        m = mNew;
        barrier();  // probs[] is rewritten by the next block
    }

    const uint ob = p.oOffset + tok * p.oStride + head * HEAD_DIM;
    for (uint i = 0; i < MAX_DIMS; ++i) {
        const uint d = t + i * WG_SIZE;
        if (d >= HEAD_DIM) break;
        o[ob + d] = acc[i] / l;
    }
}
