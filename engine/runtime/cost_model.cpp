#include "runtime/cost_model.h"

namespace facet {

uint64_t decodeBytesPerToken(const Model& m) {
    const ModelDesc& d = m.desc();
    const ModelWeights& w = m.weights();
    uint64_t bytes = 0;
    auto whole = [&](const TensorView* t) { return t ? t->nbytes : 0; };
    auto oneRow = [&](const TensorView* t) { return t ? t->bytesPerRow() : 0; };
    for (size_t r = 0; r < static_cast<size_t>(TensorRole::Count); ++r) {
        const auto role = static_cast<TensorRole>(r);
        const TensorView* t = w.global.t[r];
        if (role == TensorRole::TokenEmbd || role == TensorRole::PleTokenEmbd) bytes += oneRow(t);
        else bytes += whole(t);
    }
    if (!w.global[TensorRole::Output]) bytes += whole(w.global[TensorRole::TokenEmbd]);  // tied head
    for (int i = 0; i < d.nLayers; ++i) {
        for (size_t r = 0; r < static_cast<size_t>(TensorRole::Count); ++r) {
            const auto role = static_cast<TensorRole>(r);
            const TensorView* t = w.layers[i].t[r];
            if (!t) continue;
            if (role == TensorRole::GateUpExps || role == TensorRole::GateExps || role == TensorRole::UpExps ||
                role == TensorRole::DownExps)
                bytes += t->nbytes / d.nExperts * d.nExpertsUsed;  // only the routed experts
            else
                bytes += t->nbytes;
        }
    }
    return bytes;
}

}  // namespace facet
