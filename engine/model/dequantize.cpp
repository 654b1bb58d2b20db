// Block dequantizers. Each mirrors the arithmetic order of ggml's reference
// dequantize_row_* (scale products formed first, then applied), so results
// are bit-identical to llama.cpp's CPU reference, not merely close.
#include "model/dequantize.h"

#include <cstring>
#include <limits>

namespace facet {

namespace {

constexpr int64_t kQK = 256;

// Blocks are byte-packed with no alignment promise: read fields by memcpy.
float loadHalf(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, 2);
    return halfToFloat(h);
}

uint32_t loadU32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;  // little-endian host assumed, as for the whole file format
}

void rowF32(const uint8_t* s, float* y, int64_t n) { std::memcpy(y, s, static_cast<size_t>(n) * 4); }

void rowF16(const uint8_t* s, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = loadHalf(s + 2 * i);
}

void rowBF16(const uint8_t* s, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        uint16_t b;
        std::memcpy(&b, s + 2 * i, 2);
        y[i] = bf16ToFloat(b);
    }
}

// Q4_0: d, then 16 bytes; low nibbles are elements 0..15, high nibbles 16..31.
void rowQ4_0(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / 32; ++b, s += 18, y += 32) {
        const float d = loadHalf(s);
        const uint8_t* qs = s + 2;
        for (int j = 0; j < 16; ++j) {
            const int x0 = (qs[j] & 0x0F) - 8;
            const int x1 = (qs[j] >> 4) - 8;
            y[j] = x0 * d;
            y[j + 16] = x1 * d;
        }
    }
}

// Q4_1: d, m, 16 bytes; value q*d + m.
void rowQ4_1(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / 32; ++b, s += 20, y += 32) {
        const float d = loadHalf(s);
        const float m = loadHalf(s + 2);
        const uint8_t* qs = s + 4;
        for (int j = 0; j < 16; ++j) {
            const int x0 = qs[j] & 0x0F;
            const int x1 = qs[j] >> 4;
            y[j] = x0 * d + m;
            y[j + 16] = x1 * d + m;
        }
    }
}

// Q5_0: d, u32 qh (bit j = 5th bit of element j), 16 bytes of low nibbles.
void rowQ5_0(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / 32; ++b, s += 22, y += 32) {
        const float d = loadHalf(s);
        const uint32_t qh = loadU32(s + 2);
        const uint8_t* qs = s + 6;
        for (int j = 0; j < 16; ++j) {
            const int h0 = static_cast<int>((qh >> j) & 1u) << 4;
            const int h1 = static_cast<int>((qh >> (j + 16)) & 1u) << 4;
            const int x0 = ((qs[j] & 0x0F) | h0) - 16;
            const int x1 = ((qs[j] >> 4) | h1) - 16;
            y[j] = x0 * d;
            y[j + 16] = x1 * d;
        }
    }
}

// Q5_1: d, m, u32 qh, 16 bytes; unsigned 5-bit values, q*d + m.
void rowQ5_1(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / 32; ++b, s += 24, y += 32) {
        const float d = loadHalf(s);
        const float m = loadHalf(s + 2);
        const uint32_t qh = loadU32(s + 4);
        const uint8_t* qs = s + 8;
        for (int j = 0; j < 16; ++j) {
            const int h0 = static_cast<int>((qh >> j) & 1u) << 4;
            const int h1 = static_cast<int>((qh >> (j + 16)) & 1u) << 4;
            const int x0 = (qs[j] & 0x0F) | h0;
            const int x1 = (qs[j] >> 4) | h1;
            y[j] = x0 * d + m;
            y[j + 16] = x1 * d + m;
        }
    }
}

// Q8_0: d, 32 signed bytes.
void rowQ8_0(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / 32; ++b, s += 34, y += 32) {
        const float d = loadHalf(s);
        const int8_t* qs = reinterpret_cast<const int8_t*>(s + 2);
        for (int j = 0; j < 32; ++j) y[j] = qs[j] * d;
    }
}

// The 12-byte K-quant scale field packs eight 6-bit scales and eight 6-bit
// mins: entries 0..3 whole in bytes 0..7, entries 4..7 split between the
// nibbles of bytes 8..11 and the top two bits of bytes 0..7.
void scaleMinK4(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
    if (j < 4) {
        *sc = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *sc = static_cast<uint8_t>((q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4));
        *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// Q4_K: d, dmin, scales[12], qs[128]. Each 64-element chunk uses one qs run of
// 32 bytes: low nibbles are the first 32 elements, high nibbles the next 32.
void rowQ4_K(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / kQK; ++b, s += 144) {
        const float d = loadHalf(s);
        const float dmin = loadHalf(s + 2);
        const uint8_t* scales = s + 4;
        const uint8_t* q = s + 16;
        for (int is = 0; is < 8; is += 2, q += 32) {
            uint8_t sc, m;
            scaleMinK4(is, scales, &sc, &m);
            const float d1 = d * sc, m1 = dmin * m;
            scaleMinK4(is + 1, scales, &sc, &m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l) *y++ = d1 * (q[l] & 0x0F) - m1;
            for (int l = 0; l < 32; ++l) *y++ = d2 * (q[l] >> 4) - m2;
        }
    }
}

// Q5_K: as Q4_K plus qh[32]; chunk c takes its 5th bits from bits 2c (first
// 32 elements) and 2c+1 (next 32) of qh[l].
void rowQ5_K(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / kQK; ++b, s += 176) {
        const float d = loadHalf(s);
        const float dmin = loadHalf(s + 2);
        const uint8_t* scales = s + 4;
        const uint8_t* qh = s + 16;
        const uint8_t* ql = s + 48;
        uint8_t u1 = 1, u2 = 2;
        for (int is = 0; is < 8; is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
            uint8_t sc, m;
            scaleMinK4(is, scales, &sc, &m);
            const float d1 = d * sc, m1 = dmin * m;
            scaleMinK4(is + 1, scales, &sc, &m);
            const float d2 = d * sc, m2 = dmin * m;
            for (int l = 0; l < 32; ++l) *y++ = d1 * ((ql[l] & 0x0F) + ((qh[l] & u1) ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l) *y++ = d2 * ((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
        }
    }
}

// Q6_K: ql[128], qh[64], int8 scales[16], d. Per 128-element half: element
// l+32k (k=0..3) takes low bits from ql (k even: low nibble, odd: high; k>=2
// from ql[l+32]) and bits 2k..2k+1 of qh[l]; scales[i] covers elements 16i..16i+15.
void rowQ6_K(const uint8_t* s, float* y, int64_t n) {
    for (int64_t b = 0; b < n / kQK; ++b, s += 210) {
        const uint8_t* ql = s;
        const uint8_t* qh = s + 128;
        const int8_t* sc = reinterpret_cast<const int8_t*>(s + 192);
        const float d = loadHalf(s + 208);
        for (int half = 0; half < 2; ++half, y += 128, ql += 64, qh += 32, sc += 8) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = ((ql[l] & 0x0F) | (((qh[l] >> 0) & 3) << 4)) - 32;
                const int q2 = ((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32;
                const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                y[l] = d * sc[is + 0] * q1;
                y[l + 32] = d * sc[is + 2] * q2;
                y[l + 64] = d * sc[is + 4] * q3;
                y[l + 96] = d * sc[is + 6] * q4;
            }
        }
    }
}

}  // namespace

void dequantizeRow(GgmlType type, const void* src, float* dst, int64_t n) {
    const auto* s = static_cast<const uint8_t*>(src);
    if (n <= 0) return;
    switch (type) {
        case GgmlType::F32: return rowF32(s, dst, n);
        case GgmlType::F16: return rowF16(s, dst, n);
        case GgmlType::BF16: return rowBF16(s, dst, n);
        case GgmlType::Q4_0: return rowQ4_0(s, dst, n);
        case GgmlType::Q4_1: return rowQ4_1(s, dst, n);
        case GgmlType::Q5_0: return rowQ5_0(s, dst, n);
        case GgmlType::Q5_1: return rowQ5_1(s, dst, n);
        case GgmlType::Q8_0: return rowQ8_0(s, dst, n);
        case GgmlType::Q4_K: return rowQ4_K(s, dst, n);
        case GgmlType::Q5_K: return rowQ5_K(s, dst, n);
        case GgmlType::Q6_K: return rowQ6_K(s, dst, n);
        default: break;
    }
    // A caller bug (GGUF validation keeps unsupported types out): poison the
    // output so it cannot pass for real weights, rather than abort.
    for (int64_t i = 0; i < n; ++i) dst[i] = std::numeric_limits<float>::quiet_NaN();
}

void dequantizeTensorRow(const TensorView& t, int64_t r, float* dst) {
    dequantizeRow(t.type, t.row(r), dst, t.ne[0]);
}

double dotRow(const TensorView& t, int64_t r, const float* x, float* scratch) {
    const int64_t n = t.ne[0];
    dequantizeRow(t.type, t.row(r), scratch, n);
    double acc = 0.0;
    for (int64_t i = 0; i < n; ++i) acc += static_cast<double>(scratch[i]) * static_cast<double>(x[i]);
    return acc;
}

}  // namespace facet
