#include "cpu/ops.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "model/dequantize.h"

namespace facet::cpu {

void rmsNorm(const float* x, const float* w, float* out, int n, float eps) {
    double ss = 0.0;
    for (int i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
    const double inv = 1.0 / std::sqrt(ss / n + static_cast<double>(eps));
    for (int i = 0; i < n; ++i) out[i] = static_cast<float>(x[i] * inv * (w ? w[i] : 1.0f));
}

float geluTanh(float z) {
    const double zd = z;
    const double k = std::sqrt(2.0 / M_PI);
    return static_cast<float>(0.5 * zd * (1.0 + std::tanh(k * (zd + 0.044715 * zd * zd * zd))));
}

void rope(float* x, int d, int pos, const double* thetas) {
    const int half = d / 2;
    for (int j = 0; j < half; ++j) {
        const double phi = static_cast<double>(pos) * thetas[j];
        const double c = std::cos(phi), s = std::sin(phi);
        const double a = x[j], b = x[j + half];
        x[j] = static_cast<float>(a * c - b * s);
        x[j + half] = static_cast<float>(b * c + a * s);
    }
}

void softmax(float* x, int n) {
    float mx = x[0];
    for (int i = 1; i < n; ++i) mx = std::max(mx, x[i]);
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += std::exp(static_cast<double>(x[i]) - mx);
    for (int i = 0; i < n; ++i) x[i] = static_cast<float>(std::exp(static_cast<double>(x[i]) - mx) / sum);
}

static void matmulRange(const TensorView& W, int64_t r0, int64_t r1, int64_t rowBase, const float* x, int nTok,
                        int64_t xStride, float* y, int64_t yStride) {
    const int64_t n = W.ne[0];
    std::vector<float> row(static_cast<size_t>(n));
    for (int64_t r = r0; r < r1; ++r) {
        dequantizeTensorRow(W, r, row.data());
        for (int t = 0; t < nTok; ++t) {
            const float* xt = x + t * xStride;
            double acc = 0.0;
            for (int64_t c = 0; c < n; ++c) acc += static_cast<double>(row[c]) * xt[c];
            y[t * yStride + (r - rowBase)] = static_cast<float>(acc);
        }
    }
}

void matmul(const TensorView& W, int64_t rowBegin, int64_t rowEnd, const float* x, int nTok, int64_t xStride,
            float* y, int64_t yStride) {
    const int64_t rows = rowEnd - rowBegin;
    const int64_t work = rows * W.ne[0] * std::max(nTok, 1);
    // Only big products are worth threads (about 4M multiply-adds each).
    const int64_t minRows = std::max<int64_t>(2, (int64_t{1} << 22) * rows / std::max<int64_t>(work, 1));
    parallelFor(rows, minRows, [&](int64_t a, int64_t b) {
        matmulRange(W, rowBegin + a, rowBegin + b, rowBegin, x, nTok, xStride, y, yStride);
    });
}

std::vector<float> readVector(const TensorView& t) {
    std::vector<float> v(static_cast<size_t>(t.elements()));
    for (int64_t r = 0; r < t.rows(); ++r) dequantizeTensorRow(t, r, v.data() + r * t.ne[0]);
    return v;
}

}  // namespace facet::cpu
