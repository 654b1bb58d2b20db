#include "runtime/fit_estimate.h"

#include <algorithm>
#include <cstdio>

#include "model/model_maker.h"
#include "model/tensor_list.h"

namespace facet {

MemoryNeeds estimateMemory(const ModelDesc& d, GgmlType weightType, int context) {
    MemoryNeeds n;
    forEachTensor(d, [&](const TensorSpec& s) {
        if (s.need == Need::Ignored || s.role == TensorRole::Output) return;  // the head is tied
        int64_t elems = 1;
        for (int64_t e : s.ne) elems *= e;
        const GgmlType t = s.isNorm || s.role == TensorRole::RopeFreqs ? GgmlType::F32 : typeForRow(weightType, s.ne[0]);
        const uint64_t bytes = rowBytes(t, s.ne[0]) * static_cast<uint64_t>(elems / s.ne[0]);
        (s.role == TensorRole::PleTokenEmbd ? n.hostWeights : n.deviceWeights) += bytes;
    });
    n.kvCache = kvCacheBytes(d, context, 2);
    // A 512-token chunk's widest fp32 activations (residual, normed input,
    // attention and FFN intermediates) plus logits and their ranking buffers.
    int ffn = std::max(d.expertFfn * std::max(d.nExpertsUsed, 1), 0);
    int qWidth = 0;
    for (const LayerDesc& l : d.layers) {
        ffn = std::max(ffn, l.ffnWidth);
        qWidth = std::max(qWidth, l.nHeads * l.headDim);
    }
    const uint64_t perToken = 4ull * (4ull * d.hidden + 2ull * ffn + 3ull * qWidth);
    n.activations = 512 * perToken + 3ull * 4ull * static_cast<uint64_t>(d.vocab);
    return n;
}

const char* fitName(Fit f) {
    switch (f) {
        case Fit::Fits: return "fits";
        case Fit::MayBeSlow: return "may be slow";
        case Fit::WontFit: return "won't fit";
    }
    return "?";
}

FitEstimate estimateFit(const MemoryNeeds& n, const MachineMemory& m) {
    const auto gib = [](uint64_t b) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(b) / 1073741824.0);
        return std::string(buf);
    };
    const double ram = static_cast<double>(m.ramBytes);
    const bool hostFits = static_cast<double>(n.hostWeights) <= 0.8 * ram;
    if (m.vramBytes > 0 && !m.unified && hostFits && static_cast<double>(n.onDevice()) <= 0.9 * static_cast<double>(m.vramBytes))
        return {Fit::Fits, "needs " + gib(n.onDevice()) + " of the GPU's " + gib(m.vramBytes)};
    if (m.vramBytes > 0 && m.unified && static_cast<double>(n.total()) <= 0.7 * ram)
        return {Fit::Fits, "needs " + gib(n.total()) + " of the " + gib(m.ramBytes) + " shared memory"};
    if (static_cast<double>(n.total()) <= 0.8 * ram) {
        if (m.vramBytes == 0) return {Fit::MayBeSlow, "no GPU: runs on the CPU in " + gib(n.total()) + " of RAM"};
        return {Fit::MayBeSlow, "needs " + gib(n.onDevice()) + ", more than the GPU's " + gib(m.vramBytes) +
                                    ": runs on the CPU in " + gib(n.total()) + " of RAM"};
    }
    return {Fit::WontFit, "needs " + gib(n.total()) + "; this machine has " + gib(m.ramBytes) + " of RAM" +
                              (m.vramBytes && !m.unified ? " and " + gib(m.vramBytes) + " on the GPU" : "")};
}

}  // namespace facet
