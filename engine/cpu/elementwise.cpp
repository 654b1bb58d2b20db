#include "cpu/elementwise.h"

#include <algorithm>
#include <cmath>

#include "cpu/ops.h"
#include "model/ggml_type.h"

namespace facet::cpu {

void geglu(const float* g, const float* u, float* out, int n) {
    for (int i = 0; i < n; ++i) out[i] = geluTanh(g[i]) * u[i];
}

const char* binaryOpName(BinaryOp op) {
    switch (op) {
        case BinaryOp::Add:
            return "add";
        case BinaryOp::Mul:
            return "mul";
        case BinaryOp::Scale:
            return "scale";
        case BinaryOp::AddScale:
            return "add_scale";
        case BinaryOp::Count:
            break;
    }
    return "binary";
}

void binary(BinaryOp op, const float* a, const float* b, float s, float* out, int n) {
    for (int i = 0; i < n; ++i) {
        switch (op) {
            case BinaryOp::Add:
                out[i] = a[i] + b[i];
                break;
            case BinaryOp::Mul:
                out[i] = a[i] * b[i];
                break;
            case BinaryOp::Scale:
                out[i] = a[i] * s;
                break;
            case BinaryOp::AddScale: {
                const float sum = a[i] + b[i];  // rounded to float first, as the shader
                out[i] = sum * s;
                break;
            }
            case BinaryOp::Count:
                break;
        }
    }
}

void softcap(float* x, int n, float cap) {
    if (cap == 0.0f) return;
    for (int i = 0; i < n; ++i) x[i] = static_cast<float>(cap * std::tanh(static_cast<double>(x[i]) / cap));
}

std::vector<Candidate> topK(const float* x, int n, int k) {
    std::vector<Candidate> all(static_cast<size_t>(std::max(n, 0)));
    for (int i = 0; i < n; ++i) all[i] = {static_cast<uint32_t>(i), std::isnan(x[i]) ? -INFINITY : x[i]};
    const auto before = [](const Candidate& a, const Candidate& b) {
        return a.value > b.value || (a.value == b.value && a.id < b.id);
    };
    const size_t kk = static_cast<size_t>(std::clamp(k, 0, n));
    std::partial_sort(all.begin(), all.begin() + kk, all.end(), before);
    all.resize(kk);
    return all;
}

void kvStore(const float* src, int nTok, int width, int srcStride, uint16_t* cache, int capacity, int pos0) {
    for (int t = 0; t < nTok; ++t) {
        uint16_t* dst = cache + static_cast<size_t>((pos0 + t) % capacity) * width;
        for (int i = 0; i < width; ++i) dst[i] = floatToHalf(src[static_cast<size_t>(t) * srcStride + i]);
    }
}

}  // namespace facet::cpu
