#include "cpu/attention.h"

#include <vector>

#include "cpu/ops.h"

namespace facet::cpu {

void attendHead(const float* q, int headDim, int first, int last, const RowFn& key, const RowFn& value, float* out) {
    const int count = last - first + 1;
    std::vector<float> scores(count);
    for (int j = 0; j < count; ++j) {
        const float* k = key(first + j);
        double s = 0.0;
        for (int c = 0; c < headDim; ++c) s += static_cast<double>(q[c]) * k[c];
        scores[j] = static_cast<float>(s);  // attention scale is 1.0
    }
    softmax(scores.data(), count);
    std::vector<double> acc(headDim, 0.0);
    for (int j = 0; j < count; ++j) {
        const float* v = value(first + j);
        for (int c = 0; c < headDim; ++c) acc[c] += static_cast<double>(scores[j]) * v[c];
    }
    for (int c = 0; c < headDim; ++c) out[c] = static_cast<float>(acc[c]);
}

}  // namespace facet::cpu
