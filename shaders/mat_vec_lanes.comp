// The decode GEMV laid out for CPU devices (llvmpipe), same product and push
// block as mat_vec.comp (CPU twin facet::cpu::matmul):
//   y[t][r] (+)= Σ_c W[rowBegin + r][c] · x[t][c]    t < NTOK, r < rows
//
// Why a second layout: llvmpipe runs 8 invocations as the lanes of one SIMD
// register, and compiles every storage-buffer load inside a loop into a
// per-lane loop with two branches (~20 cycles a lane), while a texel fetch
// is a branch-free gather. mat_vec.comp, built for GPUs (adjacent invocations
// read adjacent words), spent ~15 cycles per weight there. Here each
// invocation owns ROWS whole rows, so no reduction is needed, the weights
// come through a uniform texel buffer of R32_UINT, and x through one of
// R32G32B32A32_SFLOAT (the same x address in every lane). Measured with
// facet-bench --kernels on 2 cores, E2B ffn_up 1536x6144 Q4_0: 26.6 ms with
// mat_vec.comp, 3.7 ms here (Q8_0 ~5 ms); Q4_0 rows of whole 256-value groups
// take mat_vec_lanes_q4_0.comp, 1.8 ms; Q8_0, Q4_K and Q6_K have their own
// decoders too (mat_vec_lanes_q8_0.comp, _q4_k.comp, _q6_k.comp).
// Slow on GPUs (a warp reads 32 rows apart): dispatchMatVec picks it for CPU
// devices only.
//
// Spec constants, GLU mode and work split: common/mat_vec_lanes.glsl. Needs
// xOffset and xStride to be multiples of 4 (vec4 texels). Host:
// engine/vulkan/ops/mat_vec_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "mat_vec_lanes.glsl"

uint dqWord(uint i) { return texelFetch(wTex, int(i)).x; }
// The host binds a word more than the rows span (dispatchMatVec).
#define DQ_READ_PAST 1
#include "dequant.glsl"

vec4 x4(uint t, uint c) { return texelFetch(xTex, int((p.xOffset + t * p.xStride + c) >> 2)); }

void main() {
    uint rowByte[ROWS];
    for (uint r = 0; r < ROWS; ++r) rowByte[r] = lanesRowByte(r);
    float acc[NTOK * ROWS];
    for (uint i = 0; i < NTOK * ROWS; ++i) acc[i] = 0.0;

    // Block by block; the group loop has a constant count, so the compiler
    // unrolls it and shares the words adjacent groups both read (the scale).
    const uint blocks = p.cols / BLOCK_ELEMS;
    for (uint blk = 0; blk < blocks; ++blk) {
        for (uint g = 0; g < GROUPS; ++g) {
            vec4 lo[ROWS], hi[ROWS];
            uint e0, e1;  // the same in every row
            for (uint r = 0; r < ROWS; ++r) dequantGroup(rowByte[r] + blk * BLOCK_BYTES, g, lo[r], hi[r], e0, e1);
            const uint c0 = blk * BLOCK_ELEMS + e0, c1 = blk * BLOCK_ELEMS + e1;
            for (uint t = 0; t < NTOK; ++t) {
                const vec4 x0 = x4(t, c0), x1 = x4(t, c1);
                for (uint r = 0; r < ROWS; ++r) acc[t * ROWS + r] += dot(lo[r], x0) + dot(hi[r], x1);
            }
        }
    }
#ifdef HAS_TAIL
    // F32/F16/BF16 rows need not be a multiple of 8 values.
    for (uint c = blocks * BLOCK_ELEMS; c < p.cols; ++c) {
        for (uint r = 0; r < ROWS; ++r) {
            const float w = dequantOne(rowByte[r], c);
            for (uint t = 0; t < NTOK; ++t) acc[t * ROWS + r] += w * x4(t, c & ~3u)[c & 3u];
        }
    }
#endif
    LANES_STORE(acc)
}
