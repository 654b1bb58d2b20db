// mat_vec_lanes.comp for Q4_0 rows that are whole 256-value groups starting
// on 16 bytes (every E2B..31B product): same product, push block and work
// split (an invocation per ROWS rows). Eight Q4_0 blocks are 144 bytes, nine
// 16-byte texels, so each block's two texels and its byte offset in them are
// known at compile time: a block costs one or two R32G32B32A32_UINT fetches
// (a 16-byte gather per lane on llvmpipe) where the generic shader makes six
// 4-byte ones, and the block is unpacked once for all NTOK vectors. Measured
// on 2 cores, E2B ffn_up 1536x6144: 3.7 ms -> 1.8 ms; row-interleaved from
// memory, carrying the shared texel to the next block: 1.10 -> 0.98 ms.
//
// Interface, spec constants and work split: common/mat_vec_lanes.glsl.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "mat_vec_lanes.glsl"

uint word(uvec4 a, uvec4 b, uint i) { return i < 4u ? a[i] : b[i - 4u]; }

// The Q4_0 block at byte `at` (even, < 16) of the 32 bytes a|b: its scale d
// and q - 8 for elements 4i..4i+3 in v[i] (0..7); the caller forms
// d · Σ (q - 8) · x, the scale applied once per block (a different rounding
// order from the CPU's, inside the test bounds).
void unpackBlock(uvec4 a, uvec4 b, uint at, out float d, out vec4 v[8]) {
    const uint w0 = at >> 2;
    uint qs[4];
    if ((at & 2u) == 0u) {  // d in the low half of word w0, the quants from byte 2 on
        d = unpackHalf2x16(word(a, b, w0)).x;
        for (uint i = 0; i < 4u; ++i) qs[i] = (word(a, b, w0 + i) >> 16) | (word(a, b, w0 + i + 1u) << 16);
    } else {  // d in the high half, the quants word-aligned after it
        d = unpackHalf2x16(word(a, b, w0) >> 16).x;
        for (uint i = 0; i < 4u; ++i) qs[i] = word(a, b, w0 + 1u + i);
    }
    for (uint i = 0; i < 4u; ++i) {
        v[i] = vec4(uvec4(qs[i], qs[i] >> 8, qs[i] >> 16, qs[i] >> 24) & 0xFu) - 8.0;
        v[4u + i] = vec4(uvec4(qs[i] >> 4, qs[i] >> 12, qs[i] >> 20, qs[i] >> 28) & 0xFu) - 8.0;
    }
}

void main() {
    uint rowTexel[ROWS];
    for (uint r = 0; r < ROWS; ++r) rowTexel[r] = lanesRowTexel(r);
    float acc[NTOK * ROWS];
    for (uint i = 0; i < NTOK * ROWS; ++i) acc[i] = 0.0;

    const uint groups = p.cols / 256u;
    for (uint g = 0; g < groups; ++g) {
        // Constant trip counts: unrolled, so every texel index and byte
        // offset below is a constant plus the group's base.
        // Block b lies in texels b and b + 1 ((18 b) >> 4 == b for b < 8):
        // each texel is fetched once and carried to the next block.
        uvec4 carry[ROWS];
        for (uint r = 0; r < ROWS; ++r) carry[r] = texelFetch(wTex, int(rowTexel[r] + g * 9u * TEXEL_STEP));
        for (uint b = 0; b < 8u; ++b) {
            const uint at = (18u * b) & 15u;
            float d[ROWS];
            vec4 v[ROWS][8];
            for (uint r = 0; r < ROWS; ++r) {
                const uvec4 tb = texelFetch(wTex, int(rowTexel[r] + (g * 9u + b + 1u) * TEXEL_STEP));
                unpackBlock(carry[r], tb, at, d[r], v[r]);
                carry[r] = tb;
            }
            for (uint tok = 0; tok < NTOK; ++tok) {
                const uint x0 = (p.xOffset + tok * p.xStride + g * 256u + b * 32u) >> 2;
                vec4 xs[8];
                for (uint i = 0; i < 8u; ++i) xs[i] = texelFetch(xTex, int(x0 + i));
                for (uint r = 0; r < ROWS; ++r) {
                    float s = 0.0;
                    for (uint i = 0; i < 8u; ++i) s += dot(v[r][i], xs[i]);
                    acc[tok * ROWS + r] += s * d[r];
                }
            }
        }
    }

    LANES_STORE(acc)
}
