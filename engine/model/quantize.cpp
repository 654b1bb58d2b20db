// Reference quantizers. Every scale is rounded to its stored precision (f16 or
// 6/8-bit integer) before the quants are chosen, so the quants are picked
// against the scale the dequantizer will actually see.
#include "model/quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace facet {

namespace {

constexpr int64_t kQK = 256;

// Round to nearest and clamp; NaN maps to `lo` so the int cast is always defined.
int roundClamp(float v, int lo, int hi) {
    if (!(v > static_cast<float>(lo))) return lo;
    if (v >= static_cast<float>(hi)) return hi;
    return static_cast<int>(std::nearbyint(v));
}

// Stores `f` as f16 and returns the value the reader will decode.
float storeHalf(uint8_t* p, float f) {
    const uint16_t h = floatToHalf(f);
    std::memcpy(p, &h, 2);
    return halfToFloat(h);
}

float safeDiv(float x, float d) { return d != 0.0f ? x / d : 0.0f; }

// Value of largest magnitude, sign kept (the Q4_0/Q5_0 scale maps it to -2^(b-1)).
float signedAbsMax(const float* x, int n) {
    float best = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > std::fabs(best)) best = x[i];
    }
    return best;
}

void minMax(const float* x, int n, float* mn, float* mx) {
    *mn = x[0];
    *mx = x[0];
    for (int i = 1; i < n; ++i) {
        *mn = std::min(*mn, x[i]);
        *mx = std::max(*mx, x[i]);
    }
}

void quantQ8_0(const float* x, uint8_t* y, int64_t n) {
    for (int64_t b = 0; b < n / 32; ++b, x += 32, y += 34) {
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
        const float d = storeHalf(y, amax / 127.0f);
        for (int j = 0; j < 32; ++j) {
            y[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(roundClamp(safeDiv(x[j], d), -127, 127)));
        }
    }
}

// Q4_0 / Q5_0: symmetric, q = round(x/d) + offset, 5th bits (bits == 5) in qh.
void quantSym(const float* x, uint8_t* y, int64_t n, int bits) {
    const int offset = 1 << (bits - 1);
    const int qmax = (1 << bits) - 1;
    const int stride = bits == 4 ? 18 : 22;
    for (int64_t b = 0; b < n / 32; ++b, x += 32, y += stride) {
        const float d = storeHalf(y, signedAbsMax(x, 32) / static_cast<float>(-offset));
        uint8_t* qs = y + stride - 16;
        uint32_t qh = 0;
        for (int j = 0; j < 16; ++j) {
            const int q0 = roundClamp(safeDiv(x[j], d) + static_cast<float>(offset), 0, qmax);
            const int q1 = roundClamp(safeDiv(x[j + 16], d) + static_cast<float>(offset), 0, qmax);
            qs[j] = static_cast<uint8_t>((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= static_cast<uint32_t>((q0 >> 4) & 1) << j;
            qh |= static_cast<uint32_t>((q1 >> 4) & 1) << (j + 16);
        }
        if (bits == 5) std::memcpy(y + 2, &qh, 4);
    }
}

// Q4_1 / Q5_1: asymmetric, x ~ q*d + m with m the block minimum.
void quantAsym(const float* x, uint8_t* y, int64_t n, int bits) {
    const int qmax = (1 << bits) - 1;
    const int stride = bits == 4 ? 20 : 24;
    for (int64_t b = 0; b < n / 32; ++b, x += 32, y += stride) {
        float mn, mx;
        minMax(x, 32, &mn, &mx);
        const float d = storeHalf(y, (mx - mn) / static_cast<float>(qmax));
        const float m = storeHalf(y + 2, mn);
        uint8_t* qs = y + stride - 16;
        uint32_t qh = 0;
        for (int j = 0; j < 16; ++j) {
            const int q0 = roundClamp(safeDiv(x[j] - m, d), 0, qmax);
            const int q1 = roundClamp(safeDiv(x[j + 16] - m, d), 0, qmax);
            qs[j] = static_cast<uint8_t>((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= static_cast<uint32_t>((q0 >> 4) & 1) << j;
            qh |= static_cast<uint32_t>((q1 >> 4) & 1) << (j + 16);
        }
        if (bits == 5) std::memcpy(y + 4, &qh, 4);
    }
}

// Inverse of the 12-byte 6-bit scale/min packing read by the dequantizer.
void packScalesK4(const uint8_t sc[8], const uint8_t m[8], uint8_t out[12]) {
    for (int j = 0; j < 4; ++j) {
        out[j] = static_cast<uint8_t>((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
        out[j + 4] = static_cast<uint8_t>((m[j] & 63) | ((m[j + 4] >> 4) << 6));
        out[j + 8] = static_cast<uint8_t>((sc[j + 4] & 0x0F) | ((m[j + 4] & 0x0F) << 4));
    }
}

// Q4_K / Q5_K: eight 32-element sub-blocks, each x ~ (d*sc)*q - (dmin*m).
void quantK(const float* x, uint8_t* y, int64_t n, int bits) {
    const int qmax = (1 << bits) - 1;
    const int stride = bits == 4 ? 144 : 176;
    for (int64_t b = 0; b < n / kQK; ++b, x += kQK, y += stride) {
        float scale[8], minv[8], maxScale = 0.0f, maxMin = 0.0f;
        for (int j = 0; j < 8; ++j) {
            float mn, mx;
            minMax(x + 32 * j, 32, &mn, &mx);
            mn = std::min(mn, 0.0f);  // mins are subtracted, so stored non-negative
            scale[j] = (mx - mn) / static_cast<float>(qmax);
            minv[j] = -mn;
            maxScale = std::max(maxScale, scale[j]);
            maxMin = std::max(maxMin, minv[j]);
        }
        const float d = storeHalf(y, maxScale / 63.0f);
        const float dmin = storeHalf(y + 2, maxMin / 63.0f);
        uint8_t sc[8], m[8];
        for (int j = 0; j < 8; ++j) {
            // Round both up: the scaled range then covers the sub-block and the
            // shifted values stay non-negative, so no quant is clipped.
            sc[j] = static_cast<uint8_t>(roundClamp(std::ceil(safeDiv(scale[j], d)), 0, 63));
            m[j] = static_cast<uint8_t>(roundClamp(std::ceil(safeDiv(minv[j], dmin)), 0, 63));
        }
        packScalesK4(sc, m, y + 4);
        uint8_t* qh = bits == 5 ? y + 16 : nullptr;
        uint8_t* qs = y + (bits == 5 ? 48 : 16);
        if (qh != nullptr) std::memset(qh, 0, 32);
        for (int chunk = 0; chunk < 4; ++chunk) {
            int q[64];
            for (int half = 0; half < 2; ++half) {
                const int j = 2 * chunk + half;
                const float ds = d * sc[j];
                const float dm = dmin * m[j];
                for (int l = 0; l < 32; ++l) q[32 * half + l] = roundClamp(safeDiv(x[32 * j + l] + dm, ds), 0, qmax);
            }
            for (int l = 0; l < 32; ++l) {
                qs[32 * chunk + l] = static_cast<uint8_t>((q[l] & 0x0F) | ((q[l + 32] & 0x0F) << 4));
                if (qh != nullptr) {
                    qh[l] |= static_cast<uint8_t>(((q[l] >> 4) & 1) << (2 * chunk));
                    qh[l] |= static_cast<uint8_t>(((q[l + 32] >> 4) & 1) << (2 * chunk + 1));
                }
            }
        }
    }
}

// Q6_K: sixteen 16-element sub-blocks with int8 scales; q in -32..31 stored +32.
void quantQ6_K(const float* x, uint8_t* y, int64_t n) {
    for (int64_t b = 0; b < n / kQK; ++b, x += kQK, y += 210) {
        float scale[16], maxScale = 0.0f;
        for (int j = 0; j < 16; ++j) {
            float amax = 0.0f;
            for (int l = 0; l < 16; ++l) amax = std::max(amax, std::fabs(x[16 * j + l]));
            scale[j] = amax / 31.0f;
            maxScale = std::max(maxScale, scale[j]);
        }
        const float d = storeHalf(y + 208, maxScale / 127.0f);
        int8_t sc[16];
        // Rounded up so no sub-block's largest value is clipped.
        for (int j = 0; j < 16; ++j) sc[j] = static_cast<int8_t>(roundClamp(std::ceil(safeDiv(scale[j], d)), 0, 127));
        std::memcpy(y + 192, sc, 16);
        uint8_t L[256];
        for (int i = 0; i < 256; ++i) {
            const float ds = d * sc[i / 16];
            L[i] = static_cast<uint8_t>(roundClamp(safeDiv(x[i], ds), -32, 31) + 32);
        }
        uint8_t* ql = y;
        uint8_t* qh = y + 128;
        for (int half = 0; half < 2; ++half, ql += 64, qh += 32) {
            const uint8_t* Lh = L + 128 * half;
            for (int l = 0; l < 32; ++l) {
                ql[l] = static_cast<uint8_t>((Lh[l] & 0x0F) | ((Lh[l + 64] & 0x0F) << 4));
                ql[l + 32] = static_cast<uint8_t>((Lh[l + 32] & 0x0F) | ((Lh[l + 96] & 0x0F) << 4));
                qh[l] = static_cast<uint8_t>((Lh[l] >> 4) | ((Lh[l + 32] >> 4) << 2) | ((Lh[l + 64] >> 4) << 4) |
                                             ((Lh[l + 96] >> 4) << 6));
            }
        }
    }
}

}  // namespace

void quantizeRow(GgmlType t, const float* src, void* dst, int64_t n) {
    if (n <= 0 || !isSupportedType(t) || rowBytes(t, n) == 0) return;
    auto* y = static_cast<uint8_t*>(dst);
    switch (t) {
        case GgmlType::F32:
            std::memcpy(y, src, static_cast<size_t>(n) * 4);
            return;
        case GgmlType::F16:
            for (int64_t i = 0; i < n; ++i) {
                const uint16_t h = floatToHalf(src[i]);
                std::memcpy(y + 2 * i, &h, 2);
            }
            return;
        case GgmlType::BF16:
            for (int64_t i = 0; i < n; ++i) {
                const uint16_t h = floatToBf16(src[i]);
                std::memcpy(y + 2 * i, &h, 2);
            }
            return;
        case GgmlType::Q8_0: return quantQ8_0(src, y, n);
        case GgmlType::Q4_0: return quantSym(src, y, n, 4);
        case GgmlType::Q5_0: return quantSym(src, y, n, 5);
        case GgmlType::Q4_1: return quantAsym(src, y, n, 4);
        case GgmlType::Q5_1: return quantAsym(src, y, n, 5);
        case GgmlType::Q4_K: return quantK(src, y, n, 4);
        case GgmlType::Q5_K: return quantK(src, y, n, 5);
        case GgmlType::Q6_K: return quantQ6_K(src, y, n);
        default: return;
    }
}

std::vector<uint8_t> quantizeToBytes(GgmlType t, const float* src, int64_t n) {
    const uint64_t bytes = rowBytes(t, n);
    if (bytes == 0 || !isSupportedType(t)) return {};
    std::vector<uint8_t> out(static_cast<size_t>(bytes));
    quantizeRow(t, src, out.data(), n);
    return out;
}

}  // namespace facet
