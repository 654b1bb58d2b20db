// mat_vec_lanes.comp for Q6_K (module mat_vec_lanes_q6_k): same product,
// push block, bindings and work split (an invocation per ROWS rows, weights
// as R32_UINT texels with a word bound past the rows). A Q6_K block is 210
// bytes (ql[128], qh[64], int8 scales[16], fp16 d), so it starts on 2 bytes
// and its 32-bit fields straddle words when it starts at 2 mod 4: each run
// of words is fetched once and realigned by a shift of 0 or 16 bits. The
// generic shader decodes a group of 8 values at a time (ql, qh, scale and d
// fetched again for each); here the scales and d are decoded once per block,
// and the 6-bit values come out four at a time from word-wide masks
// (low nibbles of ql | two bits of qh). Measured on 2 cores, E2B ffn_up
// 1536x6144: 4.2 ms -> 3.1 ms.
//
// Interface, spec constants and work split: common/mat_vec_lanes.glsl.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "mat_vec_lanes.glsl"

uint word(uint i) { return texelFetch(wTex, int(i)).x; }

// The 32 bits starting `shift` bits into a (shift 0 or 16), b the word after a.
uint join(uint a, uint b, uint shift) { return (a >> shift) | ((b << (31u - shift)) << 1u); }

void main() {
    uint rowByte[ROWS];
    for (uint r = 0; r < ROWS; ++r) rowByte[r] = lanesRowByte(r);
    float acc[NTOK * ROWS];
    for (uint i = 0; i < NTOK * ROWS; ++i) acc[i] = 0.0;

    const uint blocks = p.cols / 256u;
    for (uint blk = 0; blk < blocks; ++blk) {
        uint wb[ROWS], sh[ROWS];  // the block's first word and its bit shift
        float dsc[ROWS][16];      // d · scales[j]
        for (uint r = 0; r < ROWS; ++r) {
            const uint b = rowByte[r] + blk * 210u;
            wb[r] = b >> 2;
            sh[r] = (b & 2u) * 8u;
            // Bytes 192..211: the scales and d. The last word is needed only
            // at shift 16 (then it is the word past the block, which the host
            // binds); at shift 0 word 52 is read again instead.
            uint t[6];
            for (uint i = 0; i < 5u; ++i) t[i] = word(wb[r] + 48u + i);
            t[5] = word(wb[r] + 52u + (sh[r] >> 4));
            const float d = unpackHalf2x16(join(t[4], t[5], sh[r])).x;
            for (uint i = 0; i < 4u; ++i) {
                const int s4 = int(join(t[i], t[i + 1u], sh[r]));
                for (uint k = 0; k < 4u; ++k) dsc[r][4u * i + k] = d * float(bitfieldExtract(s4, int(8u * k), 8));
            }
        }
        for (uint n = 0; n < 2u; ++n) {  // 128-value halves
            uint ql[ROWS][16], qh[ROWS][8];
            for (uint r = 0; r < ROWS; ++r) {
                uint raw[17];
                for (uint i = 0; i < 17u; ++i) raw[i] = word(wb[r] + 16u * n + i);
                for (uint i = 0; i < 16u; ++i) ql[r][i] = join(raw[i], raw[i + 1u], sh[r]);
                for (uint i = 0; i < 9u; ++i) raw[i] = word(wb[r] + 32u + 8u * n + i);
                for (uint i = 0; i < 8u; ++i) qh[r][i] = join(raw[i], raw[i + 1u], sh[r]);
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
