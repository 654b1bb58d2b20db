// Expert mat-vec of the MoE block with the expert ids read on the GPU (the
// router's output; no CPU round trip). For output vector v < nOut and row
// r < rowsPerExpert:
//   y[v][r] (+)= Σ_{j < group} w_s · Σ_c W[ids[s] * rowsPerExpert + r][c] · x[s / xDiv][c],  s = v * group + j
// with w_s = weights[s] when useWeights, else 1. Two uses (CPU twin: the
// expert loop of facet::cpu::CpuForward::moe):
//   gate_up: group 1, xDiv = K  (slot s of token t = s / K reads the token's input)
//   down:    group K, xDiv 1, useWeights (the router-weighted sum over the K experts)
//
// The stacked expert tensor may be larger than one binding: it is bound as up
// to 4 row windows W0..W3 (as get_rows.comp), chosen per row; rows outside
// this dispatch's windows contribute nothing here and are added by another
// dispatch of the same op (accumulate = 1 there).
//
// Work split as mat_vec.comp: a workgroup owns ROWS consecutive rows of one
// output vector (gl_WorkGroupID.z); invocations stride over groups of 8 values.
//
// BATCHED (a define: the moe_mat_vec_<type>_batched modules; prefill): expert
// by expert instead of slot by slot. Binding 0 is then moe_route.comp's
// table (at idsOffset) and gl_WorkGroupID.z a tile of it: up to NTOK slots of
// one expert, whose rows are dequantized once for all of them. Each slot s
// gets its own output row, y[s][r] (+)= w_s · W[e·rowsPerExpert + r] ·
// x[s / xDiv] (the down products' per-token sum is moe_route.comp's
// moe_slot_sum). A chunk then reads each expert's weights once per NTOK of
// its slots instead of once per slot. Tiles past the table's count leave.
//
// Spec constants: 0 WG_SIZE, 1 ROWS, 2 NTOK (BATCHED). USE_SUBGROUPS selects
// the subgroupAdd reduction. Host: engine/vulkan/ops/moe_mat_vec_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(constant_id = 1) const uint ROWS = 2;
layout(constant_id = 2) const uint NTOK = 8;
layout(local_size_x_id = 0) in;
#ifdef BATCHED
const uint OUTS = NTOK;  // output rows per weight row: one per slot of the tile
#else
const uint OUTS = 1u;
#endif

layout(std430, set = 0, binding = 0) readonly buffer IdBuf { uint ids[]; };
layout(std430, set = 0, binding = 1) readonly buffer W0Buf { uint w0[]; };
layout(std430, set = 0, binding = 2) readonly buffer W1Buf { uint w1[]; };
layout(std430, set = 0, binding = 3) readonly buffer W2Buf { uint w2[]; };
layout(std430, set = 0, binding = 4) readonly buffer W3Buf { uint w3[]; };
layout(std430, set = 0, binding = 5) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 6) buffer YBuf { float y[]; };
layout(std430, set = 0, binding = 7) readonly buffer SBuf { float sw[]; };

// Must match MoeMatVecPush (static_assert there). Window k holds tensor rows
// [winFirst[k], winFirst[k+1]) (the last up to winEnd), row winFirst[k] at
// byte winByte[k] of binding k; unused windows have winFirst = winEnd.
layout(push_constant) uniform Push {
    uint rowsPerExpert;
    uint cols;
    uint rowBytes;
    uint nExperts;
    uint group;
    uint xDiv;
    uint idsOffset;   // uints
    uint xOffset;     // floats
    uint xStride;
    uint yOffset;
    uint yStride;
    uint sOffset;     // floats of the router weights
    uint useWeights;
    uint accumulate;
    uint winFirst[4];
    uint winEnd;
    uint winByte[4];
} p;

uint g_win = 0;  // window of the row being dequantized
uint dqWord(uint i) {
    switch (g_win) {
        case 0u: return w0[i];
        case 1u: return w1[i];
        case 2u: return w2[i];
        default: return w3[i];
    }
}
#include "dequant.glsl"

shared float red[ROWS * OUTS][WG_SIZE];

uint windowOf(uint row) {
    return row >= p.winFirst[3] ? 3u : row >= p.winFirst[2] ? 2u : row >= p.winFirst[1] ? 1u : 0u;
}

// The workgroup sum of acc[i] for every i < N: the per-subgroup partials in
// red[i][0 .. parts) (USE_SUBGROUPS) or the total in red[i][0] (tree). A
// macro: glslang 12 mistranslates array parameters (see mat_vec_lanes.glsl).
#ifdef USE_SUBGROUPS
#define REDUCE_ACC(acc, N, parts)                                \
    for (uint i_ = 0; i_ < (N); ++i_) {                          \
        const float s_ = subgroupAdd(acc[i_]);                   \
        if (subgroupElect()) red[i_][gl_SubgroupID] = s_;        \
    }                                                            \
    barrier();                                                   \
    const uint parts = gl_NumSubgroups
#else
#define REDUCE_ACC(acc, N, parts)                                           \
    for (uint i_ = 0; i_ < (N); ++i_) red[i_][tid] = acc[i_];               \
    barrier();                                                              \
    for (uint s_ = WG_SIZE / 2u; s_ > 0u; s_ >>= 1) {                       \
        if (tid < s_)                                                       \
            for (uint i_ = 0; i_ < (N); ++i_) red[i_][tid] += red[i_][tid + s_]; \
        barrier();                                                          \
    }                                                                       \
    const uint parts = 1u
#endif

#ifdef BATCHED
void main() {
    const uint r0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS;
    const uint tb = p.idsOffset;  // the route table
    const uint ti = gl_WorkGroupID.z;
    if (r0 >= p.rowsPerExpert || ti >= ids[tb]) return;  // the whole workgroup leaves
    const uint tid = gl_LocalInvocationID.x;
    const uint units = p.cols / 8u;
    const uint e = ids[tb + 2u + 4u * ti], k0 = ids[tb + 2u + 4u * ti + 1u], k1 = ids[tb + 2u + 4u * ti + 2u];
    const uint n = min(k1 - k0, NTOK);
    // The tile's slots; past its end the last again (results dropped).
    uint slot[NTOK];
    for (uint k = 0; k < NTOK; ++k) slot[k] = ids[tb + ids[tb + 1u] + k0 + min(k, n - 1u)];

    float acc[ROWS * OUTS];
    for (uint i = 0; i < ROWS * OUTS; ++i) acc[i] = 0.0;
    // This dispatch's rows of the expert (rows outside its windows count 0).
    uint rowByte[ROWS], rowWin[ROWS];
    bool rowHere[ROWS];
    for (uint r = 0; r < ROWS; ++r) {
        const uint row = e * p.rowsPerExpert + min(r0 + r, p.rowsPerExpert - 1u);
        rowHere[r] = e < p.nExperts && row >= p.winFirst[0] && row < p.winEnd;
        rowWin[r] = rowHere[r] ? windowOf(row) : 0u;
        rowByte[r] = rowHere[r] ? p.winByte[rowWin[r]] + (row - p.winFirst[rowWin[r]]) * p.rowBytes : 0u;
    }
    for (uint u = tid; u < units; u += WG_SIZE) {
        const uint blk = u / GROUPS, g = u % GROUPS;
        vec4 lo[ROWS], hi[ROWS];
        uint e0, e1;
        for (uint r = 0; r < ROWS; ++r) {
            g_win = rowWin[r];
            dequantGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], e0, e1);
        }
        for (uint k = 0; k < NTOK; ++k) {
            const uint c0 = p.xOffset + (slot[k] / p.xDiv) * p.xStride + blk * BLOCK_ELEMS + e0;
            const uint c1 = c0 - e0 + e1;
            const vec4 x0 = vec4(x[c0], x[c0 + 1u], x[c0 + 2u], x[c0 + 3u]);
            const vec4 x1 = vec4(x[c1], x[c1 + 1u], x[c1 + 2u], x[c1 + 3u]);
            for (uint r = 0; r < ROWS; ++r) acc[k * ROWS + r] += dot(lo[r], x0) + dot(hi[r], x1);
        }
    }
#ifdef HAS_TAIL
    for (uint c = units * 8u + tid; c < p.cols; c += WG_SIZE)
        for (uint r = 0; r < ROWS; ++r) {
            g_win = rowWin[r];
            const float w = dequantOne(rowByte[r], c);
            for (uint k = 0; k < NTOK; ++k) acc[k * ROWS + r] += w * x[p.xOffset + (slot[k] / p.xDiv) * p.xStride + c];
        }
#endif
    REDUCE_ACC(acc, ROWS * OUTS, parts);
    for (uint i = tid; i < ROWS * n; i += WG_SIZE) {
        const uint k = i / ROWS, r = i % ROWS;
        if (r0 + r >= p.rowsPerExpert) continue;
        float sum = 0.0;
        for (uint q = 0; q < parts; ++q) sum += red[i][q];
        if (!rowHere[r]) sum = 0.0;
        const float ws = p.useWeights != 0u ? sw[p.sOffset + slot[k]] : 1.0;
        const uint o = p.yOffset + slot[k] * p.yStride + r0 + r;
        y[o] = p.accumulate != 0u ? y[o] + ws * sum : ws * sum;
    }
}
#else
void main() {
    const uint r0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS;
    if (r0 >= p.rowsPerExpert) return;  // the whole workgroup leaves
    const uint v = gl_WorkGroupID.z;
    const uint tid = gl_LocalInvocationID.x;
    const uint units = p.cols / 8u;

    float acc[ROWS];
    for (uint r = 0; r < ROWS; ++r) acc[r] = 0.0;

    for (uint j = 0; j < p.group; ++j) {
        const uint s = v * p.group + j;
        const uint e = ids[p.idsOffset + s];
        const float ws = p.useWeights != 0u ? sw[p.sOffset + s] : 1.0;
        // A bad id (never from moe_router) must not read out of bounds: its
        // rows count as absent and the output becomes NaN below.
        const bool badId = e >= p.nExperts;
        uint rowByte[ROWS];
        uint rowWin[ROWS];
        float rowOn[ROWS];
        for (uint r = 0; r < ROWS; ++r) {
            const uint row = e * p.rowsPerExpert + min(r0 + r, p.rowsPerExpert - 1u);
            const bool here = !badId && row >= p.winFirst[0] && row < p.winEnd;
            rowWin[r] = here ? windowOf(row) : 0u;
            rowByte[r] = here ? p.winByte[rowWin[r]] + (row - p.winFirst[rowWin[r]]) * p.rowBytes : 0u;
            rowOn[r] = here ? ws : 0.0;
            if (badId) acc[r] = uintBitsToFloat(0x7FC00000u);
        }
        const uint xb = p.xOffset + (s / p.xDiv) * p.xStride;
        for (uint u = tid; u < units; u += WG_SIZE) {
            const uint blk = u / GROUPS, g = u % GROUPS;
            vec4 lo[ROWS], hi[ROWS];
            uint e0, e1;
#ifdef DQ_AFFINE
            vec4 ab[ROWS];  // the affine form, as in mat_vec.comp
            for (uint r = 0; r < ROWS; ++r) {
                g_win = rowWin[r];
                affineGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], ab[r], e0, e1);
            }
#else
            for (uint r = 0; r < ROWS; ++r) {
                g_win = rowWin[r];
                dequantGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], e0, e1);
            }
#endif
            const uint c0 = xb + blk * BLOCK_ELEMS + e0, c1 = xb + blk * BLOCK_ELEMS + e1;
            const vec4 x0 = vec4(x[c0], x[c0 + 1u], x[c0 + 2u], x[c0 + 3u]);
            const vec4 x1 = vec4(x[c1], x[c1 + 1u], x[c1 + 2u], x[c1 + 3u]);
#ifdef DQ_AFFINE
            const vec2 sx = vec2(dot(x0, vec4(1.0)), dot(x1, vec4(1.0)));
            for (uint r = 0; r < ROWS; ++r) acc[r] += rowOn[r] * affineDot(lo[r], hi[r], ab[r], x0, x1, sx);
#else
            for (uint r = 0; r < ROWS; ++r) acc[r] += rowOn[r] * (dot(lo[r], x0) + dot(hi[r], x1));
#endif
        }
#ifdef HAS_TAIL
        for (uint c = units * 8u + tid; c < p.cols; c += WG_SIZE)
            for (uint r = 0; r < ROWS; ++r) {
                g_win = rowWin[r];
                acc[r] += rowOn[r] * dequantOne(rowByte[r], c) * x[xb + c];
            }
#endif
    }

    REDUCE_ACC(acc, ROWS, parts);
    for (uint r = tid; r < ROWS; r += WG_SIZE) {
        if (r0 + r >= p.rowsPerExpert) continue;
        float sum = 0.0;
        for (uint k = 0; k < parts; ++k) sum += red[r][k];
        const uint o = p.yOffset + v * p.yStride + r0 + r;
        y[o] = p.accumulate != 0u ? y[o] + sum : sum;
    }
}
#endif  // BATCHED
