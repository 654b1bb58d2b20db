// mat_vec_lanes.comp for Q5_K rows starting on 16 bytes (and their
// row-interleaved storage): same product, push block and work split (an
// invocation per ROWS rows). A Q5_K block is 176 bytes, eleven 16-byte
// texels: texel 0 holds d, dmin and the twelve bytes of 6-bit scales and
// mins (as Q4_K), texels 1..2 qh[32] (bit 2c of qh[l] is the fifth bit of
// value l of chunk c's first 32 values, bit 2c + 1 of its next 32), texels
// 3..10 the 128 bytes of nibbles, two texels per 64-value chunk. So the
// decode is mat_vec_lanes_q4_k.comp's plus 16 for each set high bit.
//
// Interface, spec constants and work split: common/mat_vec_lanes.glsl.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "mat_vec_lanes.glsl"

uvec4 bytesOf(uint w) { return uvec4(w, w >> 8, w >> 16, w >> 24) & 0xFFu; }

// d·sc and dmin·m of the block's eight 32-value sub-blocks (ggml's
// get_scale_min_k4: sub-blocks 0..3 in the low 6 bits of scales[0..7],
// 4..7 from scales[8..11] plus the top 2 bits of scales[0..7]).
void blockScales(uvec4 head, out vec4 dsc[2], out vec4 dm[2]) {
    const vec2 dd = unpackHalf2x16(head.x);  // (d, dmin)
    const uvec4 s0 = bytesOf(head.y), s1 = bytesOf(head.z), s2 = bytesOf(head.w);
    dsc[0] = dd.x * vec4(s0 & 63u);
    dm[0] = dd.y * vec4(s1 & 63u);
    dsc[1] = dd.x * vec4((s2 & 0xFu) | ((s0 >> 6) << 4));
    dm[1] = dd.y * vec4((s2 >> 4) | ((s1 >> 6) << 4));
}

// The 64 nibbles of one chunk's 32 bytes a|b: lo[i] = values 4i..4i+3 of its
// first sub-block, hi[i] those of its second.
void unpackChunk(uvec4 a, uvec4 b, out vec4 lo[8], out vec4 hi[8]) {
    for (uint i = 0; i < 8u; ++i) {
        const uint w = i < 4u ? a[i] : b[i - 4u];
        lo[i] = vec4(uvec4(w, w >> 8, w >> 16, w >> 24) & 0xFu);
        hi[i] = vec4(uvec4(w >> 4, w >> 12, w >> 20, w >> 28) & 0xFu);
    }
}

// The fifth bits of chunk c: 16 where bit 2c (lo) or 2c + 1 (hi) of
// qh[l] is set, qh[4i..4i+3] in word i of a|b.
void addHighBits(uvec4 a, uvec4 b, uint c, inout vec4 lo[8], inout vec4 hi[8]) {
    for (uint i = 0; i < 8u; ++i) {
        const uint w = i < 4u ? a[i] : b[i - 4u];
        const uvec4 q = uvec4(w, w >> 8, w >> 16, w >> 24) >> (2u * c);
        lo[i] += vec4(q & 1u) * 16.0;
        hi[i] += vec4((q >> 1) & 1u) * 16.0;
    }
}

void main() {
    uint rowTexel[ROWS];
    for (uint r = 0; r < ROWS; ++r) rowTexel[r] = lanesRowTexel(r);
    float acc[NTOK * ROWS];
    for (uint i = 0; i < NTOK * ROWS; ++i) acc[i] = 0.0;

    const uint blocks = p.cols / 256u;
    for (uint blk = 0; blk < blocks; ++blk) {
        vec4 dsc[ROWS][2], dm[ROWS][2];
        uvec4 qh[ROWS][2];
        for (uint r = 0; r < ROWS; ++r) {
            const uint t = rowTexel[r] + blk * 11u * TEXEL_STEP;
            blockScales(texelFetch(wTex, int(t)), dsc[r], dm[r]);
            qh[r][0] = texelFetch(wTex, int(t + TEXEL_STEP));
            qh[r][1] = texelFetch(wTex, int(t + 2u * TEXEL_STEP));
        }
        // Constant trip counts: unrolled, so the texel offsets and the scale
        // components below are constants.
        for (uint c = 0; c < 4u; ++c) {
            vec4 lo[ROWS][8], hi[ROWS][8];
            for (uint r = 0; r < ROWS; ++r) {
                const uint t = rowTexel[r] + (blk * 11u + 3u + 2u * c) * TEXEL_STEP;
                unpackChunk(texelFetch(wTex, int(t)), texelFetch(wTex, int(t + TEXEL_STEP)), lo[r], hi[r]);
                addHighBits(qh[r][0], qh[r][1], c, lo[r], hi[r]);
            }
            const uint sub = 2u * c;  // sub-blocks sub (lo) and sub + 1 (hi)
            for (uint tok = 0; tok < NTOK; ++tok) {
                const uint x0 = (p.xOffset + tok * p.xStride + blk * 256u + c * 64u) >> 2;
                vec4 xl[8], xh[8];
                vec4 sumL = vec4(0.0), sumH = vec4(0.0);
                for (uint i = 0; i < 8u; ++i) {
                    xl[i] = texelFetch(xTex, int(x0 + i));
                    xh[i] = texelFetch(xTex, int(x0 + 8u + i));
                    sumL += xl[i];
                    sumH += xh[i];
                }
                const float sl = dot(sumL, vec4(1.0)), sh = dot(sumH, vec4(1.0));
                for (uint r = 0; r < ROWS; ++r) {
                    float dl = 0.0, dh = 0.0;
                    for (uint i = 0; i < 8u; ++i) {
                        dl += dot(lo[r][i], xl[i]);
                        dh += dot(hi[r][i], xh[i]);
                    }
                    acc[tok * ROWS + r] += dsc[r][sub >> 2][sub & 3u] * dl + dsc[r][(sub + 1u) >> 2][(sub + 1u) & 3u] * dh -
                                           dm[r][sub >> 2][sub & 3u] * sl - dm[r][(sub + 1u) >> 2][(sub + 1u) & 3u] * sh;
                }
            }
        }
    }

    LANES_STORE(acc)
}
