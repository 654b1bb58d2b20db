// mat_vec_lanes.comp for Q8_0 rows of whole 256-value groups starting on 16
// bytes: same product, push block and work split (an invocation per ROWS
// rows). Eight Q8_0 blocks are 272 bytes, 17 16-byte texels, so each
// block's three texels (34 bytes from an even offset always touch three) and
// its byte offset in them are known at compile time: a block costs two or
// three R32G32B32A32_UINT fetches (16-byte gathers on llvmpipe) where the
// generic shader makes a 4-byte fetch per few values,
// and it reads row-interleaved weights (TEXEL_STEP), the CPU-device storage.
//
// Interface, spec constants and work split: common/mat_vec_lanes.glsl.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "mat_vec_lanes.glsl"

uint word(uvec4 a, uvec4 b, uvec4 c, uint i) { return i < 4u ? a[i] : i < 8u ? b[i - 4u] : c[i - 8u]; }

// The Q8_0 block at byte `at` (even, < 16) of the 48 bytes a|b|c: its scale
// d and its 32 signed quants, q[4i..4i+3] in v[i]; the caller forms
// d · Σ q · x, the scale applied once per block (a different rounding order
// from the CPU's, inside the test bounds).
void unpackBlock(uvec4 a, uvec4 b, uvec4 c, uint at, out float d, out vec4 v[8]) {
    const uint w0 = at >> 2;
    uint qs[8];
    if ((at & 2u) == 0u) {  // d in the low half of word w0, the quants from byte 2 on
        d = unpackHalf2x16(word(a, b, c, w0)).x;
        for (uint i = 0; i < 8u; ++i) qs[i] = (word(a, b, c, w0 + i) >> 16) | (word(a, b, c, w0 + i + 1u) << 16);
    } else {  // d in the high half, the quants word-aligned after it
        d = unpackHalf2x16(word(a, b, c, w0) >> 16).x;
        for (uint i = 0; i < 8u; ++i) qs[i] = word(a, b, c, w0 + 1u + i);
    }
    for (uint i = 0; i < 8u; ++i) {
        const int q = int(qs[i]);
        v[i] = vec4(bitfieldExtract(q, 0, 8), bitfieldExtract(q, 8, 8), bitfieldExtract(q, 16, 8),
                    bitfieldExtract(q, 24, 8));
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
        // Block b lies in texels 2b .. 2b + 2 ((34 b) >> 4 == 2b for b < 8; 34
        // bytes always touch 3): its last texel is the next block's first,
        // fetched once and carried (17 fetches per group instead of 24).
        uvec4 carry[ROWS];
        for (uint r = 0; r < ROWS; ++r) carry[r] = texelFetch(wTex, int(rowTexel[r] + g * 17u * TEXEL_STEP));
        for (uint b = 0; b < 8u; ++b) {
            const uint at = (34u * b) & 15u;
            float d[ROWS];
            vec4 v[ROWS][8];
            for (uint r = 0; r < ROWS; ++r) {
                const uint base = rowTexel[r] + (g * 17u + 2u * b) * TEXEL_STEP;
                const uvec4 tb = texelFetch(wTex, int(base + TEXEL_STEP));
                const uvec4 tc = texelFetch(wTex, int(base + 2u * TEXEL_STEP));
                unpackBlock(carry[r], tb, tc, at, d[r], v[r]);
                carry[r] = tc;
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
