// CpuKvCache: float32 K/V per KV-owning layer. Sliding layers keep a ring of
// `window` entries (slot = pos % window); full layers keep the whole context.
// KV-shared layers own nothing and read their source layer (spec §2.7).
#pragma once

#include <vector>

#include "model/model_desc.h"

namespace facet::cpu {

class KvCache {
public:
    KvCache(const ModelDesc& d, int maxContext);

    int maxContext() const { return maxContext_; }
    int capacity(int layer) const { return layers_[layer].capacity; }
    // Rows of nKvHeads*headDim floats for absolute position `pos`.
    float* k(int layer, int pos) { return row(layers_[layer].k, layer, pos); }
    float* v(int layer, int pos) { return row(layers_[layer].v, layer, pos); }
    const float* k(int layer, int pos) const { return const_cast<KvCache*>(this)->k(layer, pos); }
    const float* v(int layer, int pos) const { return const_cast<KvCache*>(this)->v(layer, pos); }
    size_t bytes() const;

private:
    struct Layer {
        int capacity = 0;
        int width = 0;  // nKvHeads * headDim
        std::vector<float> k, v;
    };
    float* row(std::vector<float>& buf, int layer, int pos) {
        const Layer& l = layers_[layer];
        return buf.data() + static_cast<size_t>(pos % l.capacity) * l.width;
    }
    int maxContext_;
    std::vector<Layer> layers_;
};

}  // namespace facet::cpu
