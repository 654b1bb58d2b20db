#include "cpu/moe_router.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "cpu/ops.h"

namespace facet::cpu {

void moeRoute(const float* logits, int nExperts, int k, const float* expertScale, int* ids, float* weights) {
    std::vector<float> p(logits, logits + nExperts);
    softmax(p.data(), nExperts);
    std::vector<int> order(nExperts);
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
    double sum = 0.0;
    for (int i = 0; i < k; ++i) sum += p[order[i]];
    for (int i = 0; i < k; ++i) {
        ids[i] = order[i];
        weights[i] = static_cast<float>(p[order[i]] / sum * expertScale[order[i]]);
    }
}

}  // namespace facet::cpu
