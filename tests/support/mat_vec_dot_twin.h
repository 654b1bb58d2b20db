// CPU twins for tst_vk_mat_vec_dot: quantize_act.comp's integer rounding
// (bit for bit), the scratch bytes it writes parsed back, and mat_vec_dot.comp's
// per-block terms over the same quantized activations.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "model/ggml_type.h"
#include "vulkan/ops/mat_vec_dot_op.h"

namespace facet::test {

// quantize_act's CPU twin: the same integer rounding of 127·|x|/amax.
struct QuantAct {
    std::vector<int8_t> q;     // [t][cols]
    std::vector<uint32_t> d;   // [t][blocks] float bits of the scale
    std::vector<int32_t> sum;  // [t][blocks]
};

inline void splitFloat(float v, uint32_t& m, uint32_t& e) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    b &= 0x7FFFFFFFu;
    const uint32_t be = b >> 23;
    m = (b & 0x7FFFFFu) | (be ? 0x800000u : 0u);
    e = std::max(be, 1u);
}

inline QuantAct quantizeTwin(const std::vector<float>& x, int cols, int nTok, int xStride) {
    const int blocks = cols / 32;
    QuantAct r;
    r.q.resize(size_t(nTok) * cols);
    r.d.resize(size_t(nTok) * blocks);
    r.sum.resize(size_t(nTok) * blocks);
    for (int t = 0; t < nTok; ++t)
        for (int b = 0; b < blocks; ++b) {
            const float* v = x.data() + size_t(t) * xStride + 32 * b;
            float amax = 0;
            for (int i = 0; i < 32; ++i) amax = std::max(amax, std::abs(v[i]));
            uint32_t ma, ea;
            splitFloat(amax, ma, ea);
            int32_t sum = 0;
            for (int i = 0; i < 32; ++i) {
                uint32_t mx, ex;
                splitFloat(v[i], mx, ex);
                const uint32_t sh = ea - ex;
                int32_t q = 0;
                if (ma != 0 && sh <= 8) {
                    const uint32_t den = ma << sh;
                    q = int32_t((127u * mx + den / 2) / den);
                }
                if (v[i] < 0) q = -q;
                sum += q;
                r.q[size_t(t) * cols + 32 * b + i] = int8_t(q);
            }
            r.d[size_t(t) * blocks + b] = std::bit_cast<uint32_t>(amax * vk::kActInv127);
            r.sum[size_t(t) * blocks + b] = sum;
        }
    return r;
}

// The GPU's scratch bytes (layout of mat_vec_dot_op.h) as a QuantAct.
inline QuantAct parseScratch(const std::vector<uint8_t>& bytes, size_t at, int cols, int nTok) {
    const int blocks = cols / 32;
    QuantAct r;
    r.q.resize(size_t(nTok) * cols);
    std::memcpy(r.q.data(), bytes.data() + at, r.q.size());
    const uint8_t* e = bytes.data() + at + r.q.size();
    for (int i = 0; i < nTok * blocks; ++i) {
        uint32_t d;
        int32_t s;
        std::memcpy(&d, e + 8 * i, 4);
        std::memcpy(&s, e + 8 * i + 4, 4);
        r.d.push_back(d);
        r.sum.push_back(s);
    }
    return r;
}

// The product over the quantized activations, as the shader forms it: per
// block an exact integer sum, then float(sum) · (dw · dx) with two roundings;
// the terms summed in double. absSum bounds the fp32 summation error.
struct Twin {
    std::vector<double> y, absSum;
    std::vector<float> oneTerm;  // the single term of one-block rows
};

inline Twin dotTwin(const uint8_t* w, uint64_t rb, GgmlType type, int cols, int rowBegin, int rows, const QuantAct& xq,
             int nTok) {
    const int blocks = cols / 32;
    Twin r;
    r.y.assign(size_t(nTok) * rows, 0);
    r.absSum.assign(r.y.size(), 0);
    r.oneTerm.assign(r.y.size(), 0);
    for (int i = 0; i < rows; ++i)
        for (int b = 0; b < blocks; ++b) {
            const uint8_t* blk = w + uint64_t(rowBegin + i) * rb + b * (type == GgmlType::Q4_0 ? 18 : 34);
            uint16_t h;
            std::memcpy(&h, blk, 2);
            const float dw = halfToFloat(h);
            int wq[32];
            for (int k = 0; k < 32; ++k)
                wq[k] = type == GgmlType::Q4_0 ? int((blk[2 + k % 16] >> (k < 16 ? 0 : 4)) & 15) - 8
                                               : int(int8_t(blk[2 + k]));
            for (int t = 0; t < nTok; ++t) {
                int32_t s = 0;
                for (int k = 0; k < 32; ++k) s += wq[k] * xq.q[size_t(t) * cols + 32 * b + k];
                const float term = float(s) * (dw * std::bit_cast<float>(xq.d[size_t(t) * blocks + b]));
                const size_t o = size_t(t) * rows + i;
                r.y[o] += term;
                r.absSum[o] += std::abs(term);
                r.oneTerm[o] = term;
            }
        }
    return r;
}


}  // namespace facet::test
