// Matrix times many vectors, the prefill GEMM (CPU twin facet::cpu::matmul):
//   y[t][r] (+)= Σ_c W[rowBegin + r][c] · x[t][c]    t < nTok, r < rows
// W is raw GGUF blocks of one type (TYPE_* define, dequant.glsl); x and y are
// fp32, accumulation is fp32. The GEMV twin is mat_vec.comp.
//
// Work split: a workgroup owns a BM (rows) x BN (tokens) tile of y and walks
// the row in K steps of BK values. Each step dequantizes the BM x BK weight
// tile once into shared memory (every value is then used by BN tokens, where
// the GEMV dequantizes the whole weight again for every 8 tokens), stages
// the matching BN x BK slice of x, and every invocation accumulates a TM x TN
// micro-tile in registers.
//
// W_DIRECT (for CPU implementations, see matMatTile): no shared memory and
// no barrier; each invocation dequantizes the groups of its own TM rows into
// registers and reads its TN tokens of x directly. llvmpipe loads shared
// memory lane by lane and turns every barrier into a coroutine switch whose
// frame holds all accumulators, so a shared tile costs more there than it saves.
//
// K runs over groups in storage order, not over columns: dequantGroup gives
// 8 values that are two runs of 4 columns, and in the K-quants the runs of a
// group lie 32 or 64 columns apart (Q6_K: a run of 32 columns needs half of
// each of 8 groups). A sum does not care about the order of its terms, so a
// K step takes BK/8 consecutive groups whole, and the x tile is gathered from
// the columns those groups hold (table `runs`). Nothing is decoded twice and
// BK needs no relation to the block size.
//
// Spec constants: 0 WG_SIZE = (BM/TM)·(BN/TN), 1 BM, 2 BN, 3 BK (a multiple
// of 8; unused with W_DIRECT), 4 TM (divides BM), 5 TN (divides BN),
// 6 W_DIRECT. Shared memory: 4·(BK + 4)·(BM + BN) + 8·GROUPS bytes, 32 +
// 8·GROUPS with W_DIRECT. Host (and the tiles it picks for GPUs and for CPU
// implementations): engine/vulkan/ops/mat_mat_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_control_flow_attributes : require

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const uint BM = 64;
layout(constant_id = 2) const uint BN = 64;
layout(constant_id = 3) const uint BK = 16;
layout(constant_id = 4) const uint TM = 4;
layout(constant_id = 5) const uint TN = 4;
layout(constant_id = 6) const bool W_DIRECT = false;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer WBuf { uint wq[]; };
layout(std430, set = 0, binding = 1) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 2) buffer YBuf { float y[]; };

// Must match MatMatPush (static_assert there). x/y offsets and strides are in
// floats relative to their binding; W offsets in bytes relative to its binding.
layout(push_constant) uniform Push {
    uint rows;         // rows in this dispatch
    uint cols;
    uint rowBytes;     // bytes of one row of W
    uint wByteOffset;  // byte of the first row of this dispatch in the W binding
    uint xOffset;      // float of x[first token of this dispatch][0]
    uint xStride;
    uint yOffset;      // float of y[first token][first row of this dispatch]
    uint yStride;
    uint nTok;         // tokens in this dispatch
    uint accumulate;   // 1: y += W x; 0: y = W x
} p;

uint dqWord(uint i) { return wq[i]; }
#include "dequant.glsl"

const uint KG = BK / 8u;       // groups per K step
const uint RM = BM / TM;       // invocations along the rows of the tile
const uint CN = BN / TN;       // invocations along the tokens
// Rounds of the tile fills: fixed trip counts, so that they unroll (see the
// loop-limit note at main()).
const uint W_ROUNDS = (BM * KG + WG_SIZE - 1u) / WG_SIZE;
const uint X_ROUNDS = (BN * (BK / 4u) + WG_SIZE - 1u) / WG_SIZE;
// Both tiles are k-contiguous, so a group's 8 values are two vec4 stores and
// the product reads vec4s along k (one load instruction per 4 values, which
// also matters on CPU implementations that load lane by lane); the padding
// of 4 floats staggers rows over the banks and keeps vec4 alignment.
const uint WK4 = BK / 4u + 1u;                // vec4s per tile row
shared vec4 ws[W_DIRECT ? 1u : BM * WK4];    // ws[m * WK4 + k/4]: weights of tile row m, slots k..k+3
shared vec4 xs[W_DIRECT ? 1u : BN * WK4];    // xs[n * WK4 + k/4]: x of tile token n, slots k..k+3
shared uvec2 runs[GROUPS];                    // first column of each run of group g in its block

// Loop limit: llvmpipe (lavapipe) ends every loop once an invocation has run
// 65535 iterations of non-unrolled loops in total (LP_MAX_TGSI_LOOP_ITERATIONS),
// silently. Only the K loop iterates (cols / BK times; cols / 8 with
// W_DIRECT) and the tail loop (< 8 times); every loop inside them has a
// constant trip count and unrolls.
//
// The K loop covers the whole groups only (full = cols / 8, all of a
// quantized row), without a branch per group: in the last step of the
// shared tile the groups past `full` read group full - 1 again (finite
// weights) against x slots of 0. The last cols % 8 values of F32/F16/BF16
// rows follow in a short loop.
void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * BM;
    const uint tok0 = gl_WorkGroupID.y * BN;
    const uint full = p.cols / 8u;
    const uint tm = tid % RM, tn = tid / RM;

    // Rows past the end read the last row again; results are dropped at the store.
    uint rowByte[TM];
    [[unroll]] for (uint i = 0; i < TM; ++i)
        rowByte[i] = p.wByteOffset + min(row0 + tm + i * RM, p.rows - 1u) * p.rowBytes;
    float acc[TM * TN];
    [[unroll]] for (uint i = 0; i < TM * TN; ++i) acc[i] = 0.0;

    if (W_DIRECT) {
        // One group (8 values) of every own row per step; tokens past the end
        // read the last token again (results dropped at the store).
        uint xRow[TN];
        [[unroll]] for (uint j = 0; j < TN; ++j) xRow[j] = p.xOffset + min(tok0 + tn + j * CN, p.nTok - 1u) * p.xStride;
        for (uint u = 0; u < full; ++u) {
            vec4 lo[TM], hi[TM];
            uint e0, e1;  // the same in every row
            [[unroll]] for (uint i = 0; i < TM; ++i)
                dequantGroup(rowByte[i] + (u / GROUPS) * BLOCK_BYTES, u % GROUPS, lo[i], hi[i], e0, e1);
            const uint c0 = (u / GROUPS) * BLOCK_ELEMS + e0, c1 = (u / GROUPS) * BLOCK_ELEMS + e1;
            [[unroll]] for (uint j = 0; j < TN; ++j) {
                const uint b = xRow[j];
                const vec4 b0 = vec4(x[b + c0], x[b + c0 + 1u], x[b + c0 + 2u], x[b + c0 + 3u]);
                const vec4 b1 = vec4(x[b + c1], x[b + c1 + 1u], x[b + c1 + 2u], x[b + c1 + 3u]);
                [[unroll]] for (uint i = 0; i < TM; ++i) acc[i * TN + j] += dot(lo[i], b0) + dot(hi[i], b1);
            }
        }
    } else {
        // Where the runs of each group lie depends on the type only; read it
        // off block 0 of the first row (quantized rows hold at least one block).
        for (uint g = tid; g < GROUPS; g += WG_SIZE) {
#ifdef HAS_TAIL
            runs[g] = uvec2(0u, 4u);  // the virtual block of 8 is contiguous; row 0 may be shorter than 8
#else
            vec4 lo, hi;
            uint e0, e1;
            dequantGroup(p.wByteOffset, g, lo, hi, e0, e1);
            runs[g] = uvec2(e0, e1);
#endif
        }
        barrier();

        for (uint u0 = 0; u0 < full; u0 += KG) {
            // Weight tile: one group of one row per item, rows fastest so that
            // neighbouring invocations write neighbouring (staggered) rows.
            [[unroll]] for (uint s = 0; s < W_ROUNDS; ++s) {
                const uint i = tid + s * WG_SIZE;
                if (i >= BM * KG) continue;  // only when WG_SIZE does not divide the tile
                const uint m = i % BM, gi = i / BM, u = min(u0 + gi, full - 1u);
                vec4 lo, hi;
                uint e0, e1;
                dequantGroup(p.wByteOffset + min(row0 + m, p.rows - 1u) * p.rowBytes + (u / GROUPS) * BLOCK_BYTES,
                             u % GROUPS, lo, hi, e0, e1);
                ws[m * WK4 + 2u * gi] = lo;
                ws[m * WK4 + 2u * gi + 1u] = hi;
            }
            // x tile, gathered from the columns of this step's groups: slots
            // 8gi..8gi+3 are the first run of group gi, 8gi+4..8gi+7 the second.
            // Zero past the last token or whole group.
            [[unroll]] for (uint s = 0; s < X_ROUNDS; ++s) {
                const uint i = tid + s * WG_SIZE;
                if (i >= BN * (BK / 4u)) continue;
                const uint q = i % (BK / 4u), n = i / (BK / 4u), u = u0 + q / 2u, t = tok0 + n;
                const uvec2 run = runs[u % GROUPS];
                const uint xb =
                    p.xOffset + t * p.xStride + (u / GROUPS) * BLOCK_ELEMS + ((q & 1u) == 0u ? run.x : run.y);
                xs[n * WK4 + q] =
                    (u < full && t < p.nTok) ? vec4(x[xb], x[xb + 1u], x[xb + 2u], x[xb + 3u]) : vec4(0.0);
            }
            barrier();

            // Micro-tile: rows tm + i·RM and tokens tn + j·CN, so neighbouring
            // invocations read neighbouring rows of ws and write neighbouring rows of y.
            [[unroll]] for (uint k4 = 0; k4 < BK / 4u; ++k4) {
                vec4 a[TM];
                [[unroll]] for (uint i = 0; i < TM; ++i) a[i] = ws[(tm + i * RM) * WK4 + k4];
                [[unroll]] for (uint j = 0; j < TN; ++j) {
                    const vec4 b = xs[(tn + j * CN) * WK4 + k4];
                    [[unroll]] for (uint i = 0; i < TM; ++i) acc[i * TN + j] += dot(a[i], b);
                }
            }
            barrier();  // the tiles are overwritten by the next step
        }
    }

#ifdef HAS_TAIL
    // The last cols % 8 values, straight from memory (at most 7 columns).
    for (uint c = full * 8u; c < p.cols; ++c) {
        float w[TM];
        [[unroll]] for (uint i = 0; i < TM; ++i) w[i] = dequantOne(rowByte[i], c);
        [[unroll]] for (uint j = 0; j < TN; ++j) {
            const uint t = tok0 + tn + j * CN;
            const float xv = t < p.nTok ? x[p.xOffset + t * p.xStride + c] : 0.0;
            [[unroll]] for (uint i = 0; i < TM; ++i) acc[i * TN + j] += w[i] * xv;
        }
    }
#endif

    [[unroll]] for (uint j = 0; j < TN; ++j) {
        const uint t = tok0 + tn + j * CN;
        [[unroll]] for (uint i = 0; i < TM; ++i) {
            const uint r = row0 + tm + i * RM;
            if (t < p.nTok && r < p.rows) {
                const uint o = p.yOffset + t * p.yStride + r;
                y[o] = p.accumulate != 0u ? y[o] + acc[i * TN + j] : acc[i * TN + j];
            }
        }
    }
}
