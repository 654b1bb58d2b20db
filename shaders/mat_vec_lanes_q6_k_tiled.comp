// mat_vec_lanes.comp for row-interleaved Q6_K (module mat_vec_lanes_q6_k_x16;
// DeviceWeights' storage of Q6_K on CPU devices, engine/vulkan/row_interleave.h):
// same product, push block and work split (an invocation per ROWS rows).
// The stored blocks are padded from 210 to 224 bytes, 14 16-byte texels:
// ql[128] in texels 0..7, qh[64] in 8..11, the int8 scales[16] in 12 and d
// in the low half of texel 13's first word. So every field is a whole
// texel at a fixed place, with no realignment (mat_vec_lanes_q6_k.comp
// reads the unpadded 210-byte blocks a word at a time and shifts each run by
// 0 or 16 bits), and the rows can be tiled. The value math is that shader's:
// d·scale and the 6-bit values four at a time from word-wide masks.
//
// Interface, spec constants and work split: common/mat_vec_lanes.glsl.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "mat_vec_lanes.glsl"

void main() {
    uint rowTexel[ROWS];
    for (uint r = 0; r < ROWS; ++r) rowTexel[r] = lanesRowTexel(r);
    float acc[NTOK * ROWS];
    for (uint i = 0; i < NTOK * ROWS; ++i) acc[i] = 0.0;

    const uint blocks = p.cols / 256u;
    for (uint blk = 0; blk < blocks; ++blk) {
        float dsc[ROWS][16];  // d · scales[j]
        for (uint r = 0; r < ROWS; ++r) {
            const uint t = rowTexel[r] + blk * 14u * TEXEL_STEP;
            const uvec4 sc = texelFetch(wTex, int(t + 12u * TEXEL_STEP));
            const float d = unpackHalf2x16(texelFetch(wTex, int(t + 13u * TEXEL_STEP)).x).x;
            for (uint i = 0; i < 4u; ++i)
                for (uint k = 0; k < 4u; ++k) dsc[r][4u * i + k] = d * float(bitfieldExtract(int(sc[i]), int(8u * k), 8));
        }
        for (uint n = 0; n < 2u; ++n) {  // 128-value halves
            uint ql[ROWS][16], qh[ROWS][8];
            for (uint r = 0; r < ROWS; ++r) {
                const uint t = rowTexel[r] + blk * 14u * TEXEL_STEP;
                for (uint i = 0; i < 4u; ++i) {
                    const uvec4 w = texelFetch(wTex, int(t + (4u * n + i) * TEXEL_STEP));
                    for (uint k = 0; k < 4u; ++k) ql[r][4u * i + k] = w[k];
                }
                for (uint i = 0; i < 2u; ++i) {
                    const uvec4 w = texelFetch(wTex, int(t + (8u + 2u * n + i) * TEXEL_STEP));
                    for (uint k = 0; k < 4u; ++k) qh[r][4u * i + k] = w[k];
                }
            }
            // Run k: values 128n + 32k + l (l < 32) take the low (k < 2) or
            // high nibble of ql[l + 32·(k & 1)] and bits 2k..2k+1 of qh[l];
            // scale 8n + 2k for l < 16, 8n + 2k + 1 after.
            for (uint k = 0; k < 4u; ++k) {
                vec4 v[ROWS][8];
                for (uint r = 0; r < ROWS; ++r)
                    for (uint i = 0; i < 8u; ++i) {
                        const uint base = ql[r][8u * (k & 1u) + i];
                        const uint lowBits = (k < 2u ? base : base >> 4) & 0x0F0F0F0Fu;
                        const uint q = lowBits | (((qh[r][i] >> (2u * k)) & 0x03030303u) << 4);
                        v[r][i] = vec4(uvec4(q, q >> 8, q >> 16, q >> 24) & 0x3Fu) - 32.0;
                    }
                for (uint tok = 0; tok < NTOK; ++tok) {
                    const uint x0 = (p.xOffset + tok * p.xStride + blk * 256u + 128u * n + 32u * k) >> 2;
                    vec4 xs[8];
                    for (uint i = 0; i < 8u; ++i) xs[i] = texelFetch(xTex, int(x0 + i));
                    for (uint r = 0; r < ROWS; ++r) {
                        float s0 = 0.0, s1 = 0.0;
                        for (uint i = 0; i < 4u; ++i) {
                            s0 += dot(v[r][i], xs[i]);
                            s1 += dot(v[r][4u + i], xs[4u + i]);
                        }
                        acc[tok * ROWS + r] += dsc[r][8u * n + 2u * k] * s0 + dsc[r][8u * n + 2u * k + 1u] * s1;
                    }
                }
            }
        }
    }

    LANES_STORE(acc)
}
