// Matrix times a few vectors, the decode GEMV (CPU twin facet::cpu::matmul):
//   y[t][r] (+)= Σ_c W[rowBegin + r][c] · x[t][c]    t < NTOK, r < rows
// or, in GLU mode, a GeGLU's gate and up products in one pass (no separate
// geglu dispatch and barrier), the up row pairBytes after its gate row:
//   GLU 1: y[t][r] = gelu_tanh(W[r] · x[t]) · (W[r + pair] · x[t])
// or with the up half given as data (the PLE gate: u is the per-layer
// embedding):
//   GLU 2: y[t][r] = gelu_tanh(W[r] · x[t]) · u[uOffset + t · uStride + r]
// and, with TAIL, a block's closing norm over y by the last workgroup
// (common/mat_vec_tail.glsl).
// W is raw GGUF blocks of one type (TYPE_* define, dequant.glsl); x and y are
// fp32, accumulation is fp32. Quantized blocks are used in their affine form
// (affineGroup: integers times the block's scale plus its offset): a subtract
// and a multiply fewer per weight, where instructions, not memory, bounded
// this shader on an H200.
//
// Work split: a workgroup owns ROWS consecutive rows. Its invocations stride
// over the row in groups of 8 values (dequant.glsl); invocation i takes group
// i, i + WG_SIZE, ..., so adjacent invocations read adjacent words of W
// (coalesced); UNROLL of those groups form one loop step, whose loads are
// independent of each other (more in flight per invocation). Each group is dequantized once and used for all ROWS x NTOK
// products, then every partial sum is reduced across the workgroup.
//
// BLOCKWISE (a define: the mat_vec_<type>_blocks modules, MatVecLayout::
// Blocks; quantized types only): invocation i takes whole blocks i,
// i + WG_SIZE, ... instead, so a block's words are loaded once for all its
// groups (DQ_READ_PAST: adjacent groups' reads are the same expressions; the
// host binds a word past the rows) and, where one scale and offset cover the
// block (DQ_BLOCK_AFFINE), its sums are scaled once. Fewer loads and
// multiplies per weight than the group split; which one a GPU prefers is
// for facet-bench --kernels to say.
//
// Spec constants: 0 WG_SIZE (power of two for the shared-memory tree),
// 1 ROWS (output rows per workgroup), 2 NTOK (vectors, 1..8; a constant so
// the accumulators stay in registers), 3 UNROLL (groups per loop step; 1
// with BLOCKWISE),
// 4 GLU (0 none, 1 pair rows: a workgroup then reads 2 ROWS weight rows,
// gate then up, 2 up values from binding 3; binding 3 is bound always).
// 8 TAIL (0 none, 1 the closing norm in the last workgroup: common/
// mat_vec_tail.glsl, bindings 4..9, bound always).
// Define USE_SUBGROUPS for the subgroupAdd
// reduction (a separate module, as rms_norm). Host: engine/vulkan/ops/mat_vec_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(constant_id = 1) const uint ROWS = 2;
layout(constant_id = 2) const uint NTOK = 1;
layout(constant_id = 3) const uint UNROLL = 1;
layout(constant_id = 4) const uint GLU = 0;
layout(local_size_x_id = 0) in;
const uint WROWS = ROWS * (GLU == 1u ? 2u : 1u);  // weight rows per workgroup

layout(std430, set = 0, binding = 0) readonly buffer WBuf { uint wq[]; };
layout(std430, set = 0, binding = 1) readonly buffer XBuf { float x[]; };
// The same binding as vec4s: one load for 4 values where the vectors start on
// a 16-byte boundary (every group's runs of 4 do), scalar loads otherwise.
layout(std430, set = 0, binding = 1) readonly buffer XBuf4 { vec4 x4[]; };
layout(std430, set = 0, binding = 2) buffer YBuf { float y[]; };
layout(std430, set = 0, binding = 3) readonly buffer UBuf { float u[]; };

// Must match MatVecPush (static_assert there). x/y offsets and strides are in
// floats relative to their binding; W offsets in bytes relative to its binding.
layout(push_constant) uniform Push {
    uint rows;         // rows in this dispatch
    uint cols;
    uint rowBytes;     // bytes of one row of W
    uint wByteOffset;  // byte of the first row of this dispatch in the W binding
    uint xOffset;
    uint xStride;
    uint yOffset;      // float of y[0][first row of this dispatch]
    uint yStride;
    uint accumulate;   // 1: y += W x; 0: y = W x
    uint pairBytes;    // GLU 1: from a gate row to its up row (mod 2^32)
    uint uOffset;      // GLU 2: float of u[0][first row of this dispatch] in binding 3
    uint uStride;      // GLU 2: floats between vectors of u
    uint rowShift;     // the lanes layout's row-interleaved weights only (unused here)
    // TAIL (mat_vec_tail.glsl): floats in their bindings unless noted
    uint tailCounter;     // uint of the counter in binding 4
    uint tailROffset;     // x[0][0] in binding 5
    uint tailRStride;
    uint tailWOffset;     // binding 6
    uint tailSOffset;     // binding 7
    uint tailW2Offset;    // binding 8
    uint tailNextOffset;  // binding 9
    uint tailNextStride;
    float tailEps;
    uint tailFlags;       // 1 scale, 2 next
} p;

#include "mat_vec_tail.glsl"

uint dqWord(uint i) { return wq[i]; }
#ifdef BLOCKWISE
#define DQ_READ_PAST 1
#else
#define DQ_LAST_WORD (uint(wq.length()) - 1u)
#endif
#include "dequant.glsl"
#include "gelu.glsl"
#if defined(BLOCKWISE) && !defined(DQ_AFFINE)
#error "mat_vec.comp: BLOCKWISE is for quantized types"
#endif

// One slot per (token, row) and invocation (shared variant) or subgroup.
shared float red[NTOK * WROWS][WG_SIZE];

// x[t] at columns c0..c0+3 and c1..c1+3: vec4 loads where every vector
// starts on 16 bytes (xVec4, uniform), scalar loads otherwise.
void loadX(uint t, uint c0, uint c1, bool xVec4, out vec4 x0, out vec4 x1) {
    const uint xb = p.xOffset + t * p.xStride;
    if (xVec4) {
        x0 = x4[(xb + c0) >> 2];
        x1 = x4[(xb + c1) >> 2];
    } else {
        x0 = vec4(x[xb + c0], x[xb + c0 + 1u], x[xb + c0 + 2u], x[xb + c0 + 3u]);
        x1 = vec4(x[xb + c1], x[xb + c1 + 1u], x[xb + c1 + 2u], x[xb + c1 + 3u]);
    }
}

void main() {
    const uint wg = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    const uint row0 = wg * ROWS;
    if (row0 >= p.rows) {  // the whole workgroup leaves: no barrier is split
        if (TAIL != 0u) matVecTail();  // (counted all the same)
        return;
    }
    const uint tid = gl_LocalInvocationID.x;

    float acc[NTOK * WROWS];
    for (uint i = 0; i < NTOK * WROWS; ++i) acc[i] = 0.0;

    // Rows past the end (last workgroup) read the last row again and drop
    // the result: no control flow in the loop. GLU: rows ROWS.. are the up rows.
    uint rowByte[WROWS];
    for (uint r = 0; r < ROWS; ++r) rowByte[r] = p.wByteOffset + min(row0 + r, p.rows - 1u) * p.rowBytes;
    for (uint r = ROWS; r < WROWS; ++r) rowByte[r] = rowByte[r - ROWS] + p.pairBytes;

    // Uniform: the same for the whole dispatch (one vector has no stride).
    const bool xVec4 = ((p.xOffset | (NTOK > 1u ? p.xStride : 0u)) & 3u) == 0u;
#ifdef BLOCKWISE
    const uint nBlocks = p.cols / BLOCK_ELEMS;
    for (uint blk = tid; blk < nBlocks; blk += WG_SIZE) {
#ifdef DQ_BLOCK_AFFINE
        float sq[NTOK * WROWS];  // Σ q·x over the block, per token and row
        for (uint i = 0; i < NTOK * WROWS; ++i) sq[i] = 0.0;
        float sxb[NTOK];  // Σ x over the block
        for (uint t = 0; t < NTOK; ++t) sxb[t] = 0.0;
        vec4 abBlk[WROWS];
#endif
        for (uint g = 0; g < GROUPS; ++g) {
            vec4 lo[WROWS], hi[WROWS], ab[WROWS];
            uint e0, e1;  // the same in every row
            for (uint r = 0; r < WROWS; ++r) affineGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], ab[r], e0, e1);
            const uint c0 = blk * BLOCK_ELEMS + e0, c1 = blk * BLOCK_ELEMS + e1;
            for (uint t = 0; t < NTOK; ++t) {
                vec4 x0, x1;
                loadX(t, c0, c1, xVec4, x0, x1);
                const vec2 sx = vec2(dot(x0, vec4(1.0)), dot(x1, vec4(1.0)));
#ifdef DQ_BLOCK_AFFINE
                sxb[t] += sx.x + sx.y;
                for (uint r = 0; r < WROWS; ++r) sq[t * WROWS + r] += dot(lo[r], x0) + dot(hi[r], x1);
#else
                for (uint r = 0; r < WROWS; ++r) acc[t * WROWS + r] += affineDot(lo[r], hi[r], ab[r], x0, x1, sx);
#endif
            }
#ifdef DQ_BLOCK_AFFINE
            for (uint r = 0; r < WROWS; ++r) abBlk[r] = ab[r];  // (a, b, a, b), the same in every group of the block
#endif
        }
#ifdef DQ_BLOCK_AFFINE
        for (uint t = 0; t < NTOK; ++t)
            for (uint r = 0; r < WROWS; ++r) acc[t * WROWS + r] += abBlk[r].x * sq[t * WROWS + r] + abBlk[r].y * sxb[t];
#endif
    }
#else
    const uint units = p.cols / 8u;
    for (uint u0 = tid; u0 < units; u0 += WG_SIZE * UNROLL) {
        for (uint j = 0; j < UNROLL; ++j) {
            const uint u = u0 + j * WG_SIZE;
            if (u >= units) break;
            const uint blk = u / GROUPS, g = u % GROUPS;
            // Decode the group in every row first, so each x value is
            // loaded once per group for all rows. Quantized types stay in
            // their affine form (affineGroup: fewer instructions per weight).
            vec4 lo[WROWS], hi[WROWS];
            uint e0, e1;  // the same in every row
#ifdef DQ_AFFINE
            vec4 ab[WROWS];
            for (uint r = 0; r < WROWS; ++r) affineGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], ab[r], e0, e1);
#else
            for (uint r = 0; r < WROWS; ++r) dequantGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], e0, e1);
#endif
            const uint c0 = blk * BLOCK_ELEMS + e0, c1 = blk * BLOCK_ELEMS + e1;
            for (uint t = 0; t < NTOK; ++t) {
                vec4 x0, x1;
                loadX(t, c0, c1, xVec4, x0, x1);
#ifdef DQ_AFFINE
                const vec2 sx = vec2(dot(x0, vec4(1.0)), dot(x1, vec4(1.0)));
                for (uint r = 0; r < WROWS; ++r) acc[t * WROWS + r] += affineDot(lo[r], hi[r], ab[r], x0, x1, sx);
#else
                for (uint r = 0; r < WROWS; ++r) acc[t * WROWS + r] += dot(lo[r], x0) + dot(hi[r], x1);
#endif
            }
        }
    }
#endif  // BLOCKWISE
#ifdef HAS_TAIL
    // F32/F16/BF16 rows need not be a multiple of 8 values.
    for (uint c = units * 8u + tid; c < p.cols; c += WG_SIZE) {
        for (uint r = 0; r < WROWS; ++r) {
            const float w = dequantOne(rowByte[r], c);
            for (uint t = 0; t < NTOK; ++t) acc[t * WROWS + r] += w * x[p.xOffset + t * p.xStride + c];
        }
    }
#endif

#ifdef USE_SUBGROUPS
    // subgroupAdd, one partial per subgroup, summed in subgroup order. Nothing
    // assumes a subgroup size (see reduce.glsl).
    for (uint i = 0; i < NTOK * WROWS; ++i) {
        const float s = subgroupAdd(acc[i]);
        if (subgroupElect()) red[i][gl_SubgroupID] = s;
    }
    barrier();
    const uint parts = gl_NumSubgroups;
#else
    for (uint i = 0; i < NTOK * WROWS; ++i) red[i][tid] = acc[i];
    barrier();
    for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
        if (tid < s)
            for (uint i = 0; i < NTOK * WROWS; ++i) red[i][tid] += red[i][tid + s];
        barrier();
    }
    const uint parts = 1u;
#endif
    for (uint i = tid; i < NTOK * ROWS; i += WG_SIZE) {
        const uint t = i / ROWS, r = i % ROWS;
        if (row0 + r >= p.rows) continue;
        float sum = 0.0;
        for (uint k = 0; k < parts; ++k) sum += red[t * WROWS + r][k];
        if (GLU == 1u) {
            float up = 0.0;
            for (uint k = 0; k < parts; ++k) up += red[t * WROWS + ROWS + r][k];
            sum = geluTanh(sum) * up;
        } else if (GLU == 2u) {
            sum = geluTanh(sum) * u[p.uOffset + t * p.uStride + row0 + r];
        }
        matVecStore(row0 + r, t, sum);
    }
    if (TAIL != 0u) matVecTail();
}
