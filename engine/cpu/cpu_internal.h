// Private structures of CpuForward, shared by its translation units.
#pragma once

#include <vector>

#include "cpu/cpu_forward.h"

namespace facet::cpu {

struct CpuForward::LayerVectors {
    std::vector<float> attnNorm, qNorm, kNorm, postAttnNorm, ffnNorm, postFfwNorm;
    std::vector<float> routerScale, expertScale, preFfwNorm2, postFfwNorm1, postFfwNorm2;
    std::vector<float> plePostNorm;
    float layerScale = 1.f;
};

struct CpuForward::Batch {
    int n = 0;     // tokens in this call
    int pos0 = 0;  // absolute position of the first
    std::vector<float> x;    // residual stream [n][H]
    std::vector<float> ple;  // per-layer inputs [n][L][P]
    // This call's K (normed + roped) and V (normed) per KV-owning layer, [n][nKv*hd].
    std::vector<std::vector<float>> k, v;
    std::vector<InjectedRows> injected;  // soft tokens in place of some embeddings
};

}  // namespace facet::cpu
