// RoPE with the per-head RMSNorm before it, one workgroup per (token, head)
// row of x, in place (Gemma 4 spec §2.6 and §2.4; CPU twins facet::cpu::rmsNorm
// then facet::cpu::rope):
//   NORM:   x = x / sqrt(mean(x²) + eps) * (HAS_WEIGHT ? w : 1)   (q_norm, k_norm; weightless for V)
//   ROTATE: pairs (j, j + d/2) turn by φ = pos·θ_j (NeoX half split)
// θ_j comes from a table of d/2 vec4 per pair: τ_j = θ_j / 2π (turns per
// position) split as τ1 + τ2 + τ3, τ1 and τ2 with 12 significant bits (see
// ropeThetaTable; θ_j = base^(-2j/d) / factor_j as the CPU's double), so
// proportional RoPE (factors 1e30: θ ≈ 0, the pair passes through) is data.
//
// Why not pos * θ in fp32 then sin/cos: at pos 1e5 one ulp of φ is ~0.008 rad,
// sin/cos are only specified to 2^-11 absolute, and Vulkan's fma need not be
// fused, so no error-free product by fma either. Instead: pos < 2^24 splits
// into two 12-bit halves, so pos_half·τ1 and pos_half·τ2 are exact floats;
// their fractional parts (exact) become 32-bit fixed-point turns and are
// summed in uint, wrapping mod one turn, with the small pos·τ3 term. The
// angle, reduced to a quadrant and |r| <= π/4, goes through Taylor series.
// Angle error <= ~1.5e-7 rad for any pos < 2^24 (derivation in tst_vk_rope).
//
// STORE (K and V of a layer that owns its cache): the finished row also goes
// into the f16 KV ring (common/kv.glsl), slot (pos0 + token) % capacity, so
// no kv_store dispatch and barrier follow. A cache word holds values 2i and
// 2i+1, which two invocations own: the row passes through shared memory.
//
// QKV (one dispatch for a layer's attention inputs, after one q|k|v product):
// a token's row holds nHeads q heads, nKvHeads k heads, then nKvHeads v heads.
// Each workgroup takes one head, so its segment is uniform over the
// workgroup: q is normed with w, rotated and written back; k is normed with
// wk and rotated, v normed without weight; k and v go only into their rings
// (x keeps them raw, so v may read the raw k rows: vHead0 = nHeads where V
// is K, Gemma 4's full layers with attention_k_eq_v). NORM, HAS_WEIGHT,
// ROTATE and STORE then come from the segment, not the constants.
//
// Spec constants: 0 WG_SIZE (power of two), 1 NORM, 2 HAS_WEIGHT, 3 ROTATE,
// 4 STORE, 5 MAX_DIM (head dim bound of the STORE row buffer), 6 QKV. Define
// USE_SUBGROUPS for the subgroupAdd reduction. Host side:
// engine/vulkan/ops/rope_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(constant_id = 1) const bool NORM = true;
layout(constant_id = 2) const bool HAS_WEIGHT = true;
layout(constant_id = 3) const bool ROTATE = true;
layout(constant_id = 4) const bool STORE = false;
layout(constant_id = 5) const uint MAX_DIM = 512;
layout(constant_id = 6) const bool QKV = false;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 1) readonly buffer WBuf { float w[]; };
layout(std430, set = 0, binding = 2) readonly buffer TBuf { vec4 theta[]; };  // (τ1, τ2, τ3, 0) per pair
layout(std430, set = 0, binding = 3) readonly buffer PBuf { int positions[]; };
// STORE: the cache ring, 2 halves per word; bound always (x stands in, never written).
layout(std430, set = 0, binding = 4) writeonly buffer CBuf { uint cache[]; };
// QKV: k_norm's weight and the v ring (bound always; stand-ins otherwise).
layout(std430, set = 0, binding = 5) readonly buffer WkBuf { float wk[]; };
layout(std430, set = 0, binding = 6) writeonly buffer VBuf { uint vcache[]; };

// Must match RopePush (static_assert there). Offsets and strides in elements
// of each binding (floats; vec2 for theta; ints for positions).
layout(push_constant) uniform Push {
    uint nTok;
    uint nHeads;
    uint headDim;
    uint xOffset;
    uint tokStride;   // floats between tokens
    uint headStride;  // floats between heads
    uint wOffset;
    uint thetaOffset;
    uint posOffset;
    uint usePositions;  // 1: positions[posOffset + t]; 0: pos0 + t
    int pos0;
    float eps;
    uint cacheOffset;  // STORE: word of slot 0's first value in binding 4
    uint capacity;     // STORE: slots in the ring
    uint nKvHeads;     // QKV: k heads (= v heads)
    uint vHead0;       // QKV: the head of the row v head 0 is read from
    uint wkOffset;     // QKV: k_norm's first float in binding 5
    uint vCacheOffset; // QKV: as cacheOffset, in binding 6
} p;

#include "reduce.glsl"
#include "kv.glsl"

shared float rowOut[STORE || QKV ? MAX_DIM : 1u];  // STORE: the finished row

const float TWO_POW_32 = 4294967296.0;
const float TURN_UNIT = 1.46291807926715968e-9;  // 2π / 2^32: radians per fixed-point unit

// Fixed-point turns (2^-32 turn units, mod 1) of an exact or small product.
uint turnsOf(float product) {
    precise float f = product - floor(product);  // exact: [0, 1)
    return uint(f * TWO_POW_32);                 // truncates: < 1 unit of error
}

// sin and cos of r, |r| <= π/4: Taylor to r^11 / r^12 (truncation < 1e-11).
void sinCosSmall(float r, out float s, out float c) {
    const float r2 = r * r;
    s = r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 +
            r2 * (1.0 / 362880.0 + r2 * (-1.0 / 39916800.0))))));
    c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0 +
            r2 * (-1.0 / 3628800.0 + r2 * (1.0 / 479001600.0))))));
}

// sin and cos of 2π·pos·(τ1 + τ2 + τ3) for pos < 2^24.
void sinCosAngle(uint pos, vec4 tau, out float s, out float c) {
    const float ph = float(pos >> 12) * 4096.0;  // a multiple of 2^12 with 12 significant bits
    const float pl = float(pos & 0xfffu);        // 12 bits
    uint u = turnsOf(ph * tau.x) + turnsOf(ph * tau.y) + turnsOf(pl * tau.x) + turnsOf(pl * tau.y) +
             turnsOf(float(pos) * tau.z);
    // Nearest quarter turn q and the rest r in [-π/4, π/4).
    u += 0x20000000u;
    const uint quadrant = u >> 30;
    const float r = float(int(u & 0x3fffffffu) - 0x20000000) * TURN_UNIT;
    float sr, cr;
    sinCosSmall(r, sr, cr);
    if (quadrant == 0u) { s = sr; c = cr; }
    else if (quadrant == 1u) { s = cr; c = -sr; }
    else if (quadrant == 2u) { s = -sr; c = -cr; }
    else { s = -cr; c = sr; }
}

void main() {
    // Rows beyond maxComputeWorkGroupCount[0] continue in y.
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    const uint rowHeads = QKV ? p.nHeads + 2u * p.nKvHeads : p.nHeads;
    if (row >= p.nTok * rowHeads) return;  // the whole workgroup leaves: no barrier is split
    const uint tok = row / rowHeads;
    const uint head = row - tok * rowHeads;
    // The segment (0 q, 1 k, 2 v) depends on the workgroup alone, so the
    // STORE barrier below stays in uniform control flow.
    uint seg = 0u, srcHead = head, ringHead = head;
    if (QKV && head >= p.nHeads) {
        const uint j = head - p.nHeads;
        seg = j < p.nKvHeads ? 1u : 2u;
        ringHead = seg == 1u ? j : j - p.nKvHeads;
        srcHead = seg == 1u ? head : p.vHead0 + ringHead;
    }
    const bool norm = QKV || NORM;
    const bool hasWeight = QKV ? seg < 2u : HAS_WEIGHT;
    const bool rotate = QKV ? seg < 2u : ROTATE;
    const bool store = QKV ? seg > 0u : STORE;
    const bool writeBack = !QKV || seg == 0u;
    const uint li = gl_LocalInvocationID.x;
    const uint base = p.xOffset + tok * p.tokStride + srcHead * p.headStride;
    const uint half_ = p.headDim / 2u;

    float scale = 1.0;
    if (norm) {
        float ss = 0.0;
        for (uint i = li; i < p.headDim; i += WG_SIZE) {
            const float v = x[base + i];
            ss += v * v;
        }
        ss = workgroupSum(ss);  // every read of the row is done after its barrier
        scale = 1.0 / sqrt(ss / float(p.headDim) + p.eps);
    }

    const uint pos = uint(p.usePositions != 0u ? positions[p.posOffset + tok] : p.pos0 + int(tok));
    // Each invocation owns pairs (j, j + d/2): it reads and writes only them.
    for (uint j = li; j < half_; j += WG_SIZE) {
        float a = x[base + j];
        float b = x[base + j + half_];
        if (norm) {
            a *= scale;
            b *= scale;
            if (hasWeight) {
                const float wa = seg == 1u ? wk[p.wkOffset + j] : w[p.wOffset + j];
                const float wb = seg == 1u ? wk[p.wkOffset + j + half_] : w[p.wOffset + j + half_];
                a *= wa;
                b *= wb;
            }
        }
        if (rotate) {
            float s, c;
            sinCosAngle(pos, theta[p.thetaOffset + j], s, c);
            const float ra = a * c - b * s;
            const float rb = b * c + a * s;
            a = ra;
            b = rb;
        }
        if (writeBack) {
            x[base + j] = a;
            x[base + j + half_] = b;
        }
        if (store) {
            rowOut[j] = a;
            rowOut[j + half_] = b;
        }
    }
    if (store) {
        barrier();  // the whole row is in rowOut (store is uniform over the workgroup)
        // Cache row = the token's heads side by side: head h at value h·headDim.
        const uint ringHeads = QKV ? p.nKvHeads : p.nHeads;
        const uint words = ringHeads * half_;
        const uint slot = uint(p.pos0 + int(tok)) % p.capacity;
        const uint w0 = (seg == 2u ? p.vCacheOffset : p.cacheOffset) + slot * words + ringHead * half_;
        for (uint i = li; i < half_; i += WG_SIZE) {
            const uint packed = facet_kv_pack(rowOut[2u * i], rowOut[2u * i + 1u]);
            if (seg == 2u) vcache[w0 + i] = packed;
            else cache[w0 + i] = packed;
        }
    }
}
