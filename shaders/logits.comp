// Logits post-processing per token row of V values (Gemma 4 spec §2.5; CPU
// twins facet::cpu::softcap and facet::cpu::topK), in two passes so that a
// decode step reads back k (id, value) pairs instead of V floats:
//   PASS 0, one workgroup per CHUNK values of a row: softcap in place
//          (cap·tanh(x/cap); cap 0 = off), then, if K > 0, the chunk's K best
//          (value, id) pairs into the partials (empty slots: id 0xffffffff).
//   PASS 1, one workgroup per row: the K best of the row's nChunks·K partials,
//          sorted descending, to ids/values. K = 1 is greedy argmax.
// Order: higher value first, equal values by lower id (argmax ties -> lowest
// id, as the CPU twin). Each of the K rounds selects the best pair strictly
// after the previous pick in that total order, so nothing is marked or moved.
//
// Spec constants: 0 WG_SIZE (power of two), 1 CHUNK (values per pass-0
// workgroup, cached in shared memory), 2 K (<= 64; 0: softcap only), 3 PASS.
// Host side: engine/vulkan/ops/logits_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const uint CHUNK = 2048;
layout(constant_id = 2) const uint K = 1;
layout(constant_id = 3) const uint PASS = 0;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) buffer LBuf { float logits[]; };
layout(std430, set = 0, binding = 1) buffer PartBuf { uvec2 part[]; };  // (value bits, id)
layout(std430, set = 0, binding = 2) writeonly buffer IdBuf { uint outIds[]; };
layout(std430, set = 0, binding = 3) writeonly buffer ValBuf { float outVals[]; };

// Must match LogitsPush (static_assert there). Offsets in elements of each
// binding (floats; uvec2 for the partials; uints for ids).
layout(push_constant) uniform Push {
    uint nTok;
    uint vocab;
    uint lOffset;
    uint lStride;
    uint nChunks;  // per row: ceil(vocab / CHUNK)
    uint partOffset;
    uint idOffset;
    uint valOffset;
    float cap;
} p;

const uint NONE = 0xffffffffu;

shared float cache[PASS == 0u ? CHUNK : 1u];
shared float redV[WG_SIZE];
shared uint redI[WG_SIZE];

// True when (v1, i1) comes before (v2, i2); an empty slot (NONE) comes last.
bool before(float v1, uint i1, float v2, uint i2) {
    if (i1 == NONE) return false;
    if (i2 == NONE) return true;
    return v1 > v2 || (v1 == v2 && i1 < i2);
}

// Workgroup-wide best pair; every invocation gets it. Contains barriers.
void reduceBest(inout float v, inout uint id) {
    const uint t = gl_LocalInvocationID.x;
    redV[t] = v;
    redI[t] = id;
    barrier();
    for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (t < s && before(redV[t + s], redI[t + s], redV[t], redI[t])) {
            redV[t] = redV[t + s];
            redI[t] = redI[t + s];
        }
        barrier();
    }
    v = redV[0];
    id = redI[0];
    barrier();  // redV/redI are reused by the next round
}

float softcap(float x) {
    // tanh(y) = 1 - 2/(exp(2y) + 1): saturates to ±1 without NaN when exp
    // overflows; absolute error a few ulp of 1, i.e. ~1e-6 after ·cap=30.
    const float y = x / p.cap;
    return p.cap * (1.0 - 2.0 / (exp(2.0 * y) + 1.0));
}

void pass0() {
    const uint row = gl_WorkGroupID.y;
    const uint chunk = gl_WorkGroupID.x;
    const uint t = gl_LocalInvocationID.x;
    const uint first = chunk * CHUNK;
    const uint count = min(CHUNK, p.vocab - first);
    const uint lb = p.lOffset + row * p.lStride + first;
    for (uint i = t; i < count; i += WG_SIZE) {
        float v = logits[lb + i];
        if (p.cap > 0.0) {
            v = softcap(v);
            logits[lb + i] = v;
        }
        // NaN ranks as -inf (as the twin): it has no place in the order. Tested
        // on the bits: without float-controls a compiler may assume no NaNs
        // and fold isnan() away.
        if (K > 0u) cache[i] = (floatBitsToUint(v) & 0x7fffffffu) > 0x7f800000u ? uintBitsToFloat(0xff800000u) : v;
    }
    if (K == 0u) return;  // uniform: softcap only, no barrier follows
    barrier();
    float pv = 0.0;
    uint pi = NONE;  // previous pick; NONE: none yet
    const uint pb = p.partOffset + (row * p.nChunks + chunk) * K;
    for (uint r = 0u; r < K; ++r) {
        float bv = 0.0;
        uint bi = NONE;
        for (uint i = t; i < count; i += WG_SIZE) {
            const float v = cache[i];
            const uint id = first + i;
            if ((pi == NONE || before(pv, pi, v, id)) && before(v, id, bv, bi)) {
                bv = v;
                bi = id;
            }
        }
        reduceBest(bv, bi);
        if (t == 0u) part[pb + r] = uvec2(floatBitsToUint(bv), bi);
        pv = bv;
        pi = bi;
        if (bi == NONE) {
            // Fewer than K values in this chunk: the rest of the slots are empty.
            for (uint q = r + 1u + t; q < K; q += WG_SIZE) part[pb + q] = uvec2(0u, NONE);
            break;  // uniform: every invocation has the same bi
        }
    }
}

void pass1() {
    const uint row = gl_WorkGroupID.x;
    const uint t = gl_LocalInvocationID.x;
    const uint n = p.nChunks * K;
    const uint pb = p.partOffset + row * n;
    float pv = 0.0;
    uint pi = NONE;
    for (uint r = 0u; r < K; ++r) {
        float bv = 0.0;
        uint bi = NONE;
        for (uint i = t; i < n; i += WG_SIZE) {
            const uvec2 c = part[pb + i];
            const float v = uintBitsToFloat(c.x);
            if (c.y != NONE && (pi == NONE || before(pv, pi, v, c.y)) && before(v, c.y, bv, bi)) {
                bv = v;
                bi = c.y;
            }
        }
        reduceBest(bv, bi);
        if (t == 0u) {
            outIds[p.idOffset + row * K + r] = bi;
            outVals[p.valOffset + row * K + r] = bv;
        }
        pv = bv;
        pi = bi;
    }
}

void main() {
    if (PASS == 0u) pass0();
    else pass1();
}
