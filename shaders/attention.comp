// Attention of one query head against its layer's f16 KV cache, one
// workgroup per (head, token) (Gemma 4 spec §2.4; CPU twin
// facet::cpu::attendHead):
//   out = Σ_j softmax_j(q·k_j) v_j   over j in [first, p], p = pos0 + token,
//   first = p - window + 1 on sliding layers (window > 0), else 0.
// A bidirectional image block (tokens [imgBegin, imgEnd) of the chunk, all
// in it) widens that to every key up to the block's last (vision spec §7.3):
// the window still counts from the query's own position.
// Scale 1.0, no softcap. GQA: head h reads kv head h / (nHeads / nKvHeads).
// Keys are visited in blocks of WG_SIZE with an online softmax (running max
// and sum, accumulator rescaled per block), so any context length works in
// O(headDim) shared memory. The cache is a ring: position j lives in slot
// j % capacity; halves are packed two per uint (no 16-bit storage needed).
//
// Split-K (decode on big GPUs, where nHeads x nTok workgroups leave most of
// the chip idle at long context): with splitLen > 0, workgroup z takes keys
// [first + z·splitLen, ...) of the token's range and writes its running max,
// sum and unnormalised accumulator to `part`; attention_combine.comp merges
// the splits. splitLen = 0: one workgroup per (head, token) writes `o`.
//
// TEXEL_READS (the attention_texel module, for CPU devices): q, K and V come
// through uniform texel buffers (R32G32B32A32_SFLOAT, _UINT and R32_UINT),
// and the q·k loop reads q from its texels instead of shared memory: llvmpipe
// compiles a storage or shared load inside a loop into a per-lane loop with
// branches, a texel fetch into a gather. Needs HEAD_DIM % 8 == 0 and q, K, V
// bound on 16 bytes with q's offset and stride multiples of 4 floats.
//
// Spec constants: 0 WG_SIZE (power of two), 1 HEAD_DIM (even, <= WG_SIZE * MAX_DIMS).
// Host side: engine/vulkan/ops/attention_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint WG_SIZE = 128;
layout(constant_id = 1) const uint HEAD_DIM = 256;
layout(local_size_x_id = 0) in;

const uint MAX_DIMS = 8;  // head dims per invocation: 1024 with 128 invocations

#ifdef TEXEL_READS
layout(set = 0, binding = 0) uniform samplerBuffer qTex;   // 4 floats a texel
layout(set = 0, binding = 1) uniform usamplerBuffer kTex;  // 8 halves a texel
layout(set = 0, binding = 2) uniform usamplerBuffer vTex;  // 2 halves a texel
uint vWord(uint i) { return texelFetch(vTex, int(i)).x; }
#else
layout(std430, set = 0, binding = 0) readonly buffer QBuf { float q[]; };
layout(std430, set = 0, binding = 1) readonly buffer KBuf { uint kc[]; };
layout(std430, set = 0, binding = 2) readonly buffer VBuf { uint vc[]; };
uint vWord(uint i) { return vc[i]; }
#endif
layout(std430, set = 0, binding = 3) writeonly buffer OBuf { float o[]; };
layout(std430, set = 0, binding = 4) writeonly buffer PartBuf { float part[]; };  // split-K partials

// Must match AttentionPush (static_assert there). Offsets/strides in floats.
layout(push_constant) uniform Push {
    uint nTok;
    uint nHeads;
    uint nKvHeads;
    uint pos0;      // absolute position of token 0
    uint window;    // 0 = full attention
    uint capacity;  // cache slots (ring length)
    uint qOffset;
    uint qStride;   // floats per token (nHeads * HEAD_DIM when packed)
    uint oOffset;
    uint oStride;
    uint splitLen;  // keys per split; 0 = no split
    uint imgBegin;  // bidirectional block [imgBegin, imgEnd) of the chunk's tokens; empty = none
    uint imgEnd;
} p;

#ifndef TEXEL_READS
shared float qs[HEAD_DIM];
#endif
shared float probs[WG_SIZE];
shared float red[WG_SIZE];

float groupMax(float v) {
    const uint t = gl_LocalInvocationID.x;
    red[t] = v;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) red[t] = max(red[t], red[t + s]);
        barrier();
    }
    const float r = red[0];
    barrier();
    return r;
}

float groupSum(float v) {
    const uint t = gl_LocalInvocationID.x;
    red[t] = v;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) red[t] += red[t + s];
        barrier();
    }
    const float r = red[0];
    barrier();
    return r;
}

float cacheAt(uint word, uint which) { return unpackHalf2x16(word)[which]; }

void main() {
    const uint head = gl_WorkGroupID.x;
    const uint tok = gl_WorkGroupID.y;
    if (head >= p.nHeads || tok >= p.nTok) return;  // whole workgroup: no split barrier
    const uint t = gl_LocalInvocationID.x;
    const uint kvHead = head / (p.nHeads / p.nKvHeads);
    const uint rowElems = p.nKvHeads * HEAD_DIM;  // one cache slot

    const uint qb = p.qOffset + tok * p.qStride + head * HEAD_DIM;
#ifndef TEXEL_READS
    for (uint d = t; d < HEAD_DIM; d += WG_SIZE) qs[d] = q[qb + d];
    barrier();
#endif

    const uint own = p.pos0 + tok;
    uint pos = (tok >= p.imgBegin && tok < p.imgEnd) ? p.pos0 + p.imgEnd - 1u : own;  // the last key
    uint first = (p.window > 0 && own + 1 > p.window) ? own + 1 - p.window : 0;
    const uint split = gl_WorkGroupID.z;
    bool empty = false;
    if (p.splitLen > 0) {
        const uint lo = first + split * p.splitLen;
        empty = lo > pos;
        pos = min(pos, lo + p.splitLen - 1u);
        first = lo;
    }

    float m = -1.0 / 0.0;  // running max
    float l = 0.0;         // running sum of exp(s - m)
    float acc[MAX_DIMS];
    for (uint i = 0; i < MAX_DIMS; ++i) acc[i] = 0.0;

    for (uint base = first; !empty && base <= pos; base += WG_SIZE) {
        const uint j = base + t;
        float s = -1.0 / 0.0;
        if (j <= pos) {
            const uint kw = ((j % p.capacity) * rowElems + kvHead * HEAD_DIM) >> 1;
            float qk = 0.0;
#ifdef TEXEL_READS
            for (uint d = 0; d < HEAD_DIM; d += 8) {
                const uvec4 w = texelFetch(kTex, int((kw + (d >> 1)) >> 2));
                const vec4 q0 = texelFetch(qTex, int((qb + d) >> 2)), q1 = texelFetch(qTex, int((qb + d + 4u) >> 2));
                qk += dot(q0, vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y))) +
                      dot(q1, vec4(unpackHalf2x16(w.z), unpackHalf2x16(w.w)));
            }
#else
            for (uint d = 0; d < HEAD_DIM; d += 2) {
                const vec2 kk = unpackHalf2x16(kc[kw + (d >> 1)]);
                qk += qs[d] * kk.x + qs[d + 1] * kk.y;
            }
#endif
            s = qk;
        }
        const float mNew = max(m, groupMax(s));
        const float e = j <= pos ? exp(s - mNew) : 0.0;
        probs[t] = e;
        const float blockSum = groupSum(e);  // its barriers also publish probs[]
        const float corr = exp(m - mNew);    // 0 on the first block (m = -inf)
        l = l * corr + blockSum;
        const uint n = min(WG_SIZE, pos - base + 1);
        for (uint i = 0; i < MAX_DIMS; ++i) {
            const uint d = t + i * WG_SIZE;
            if (d >= HEAD_DIM) break;
            float a = acc[i] * corr;
            for (uint jj = 0; jj < n; ++jj) {
                const uint e2 = ((base + jj) % p.capacity) * rowElems + kvHead * HEAD_DIM + d;
                a += probs[jj] * cacheAt(vWord(e2 >> 1), e2 & 1);
            }
            acc[i] = a;
        }
        m = mNew;
        barrier();  // probs[] is rewritten by the next block
    }

    if (p.splitLen > 0) {  // partials: m, l, acc[HEAD_DIM] (an empty split: -inf, 0, 0)
        const uint pb = ((tok * p.nHeads + head) * gl_NumWorkGroups.z + split) * (HEAD_DIM + 2u);
        if (t == 0) {
            part[pb] = m;
            part[pb + 1u] = l;
        }
        for (uint i = 0; i < MAX_DIMS; ++i) {
            const uint d = t + i * WG_SIZE;
            if (d >= HEAD_DIM) break;
            part[pb + 2u + d] = acc[i];
        }
        return;
    }
    const uint ob = p.oOffset + tok * p.oStride + head * HEAD_DIM;
    for (uint i = 0; i < MAX_DIMS; ++i) {
        const uint d = t + i * WG_SIZE;
        if (d >= HEAD_DIM) break;
        o[ob + d] = acc[i] / l;
    }
}
