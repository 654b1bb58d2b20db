#include "cpu/kv_cache.h"

#include <algorithm>

namespace facet::cpu {

KvCache::KvCache(const ModelDesc& d, int maxContext) : maxContext_(maxContext), layers_(d.nLayers) {
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        if (!l.ownsKv(i)) continue;
        Layer& c = layers_[i];
        c.capacity = l.attn == AttnKind::Sliding ? std::min(l.window, maxContext) : maxContext;
        c.width = l.nKvHeads * l.headDim;
        c.k.assign(static_cast<size_t>(c.capacity) * c.width, 0.f);
        c.v.assign(static_cast<size_t>(c.capacity) * c.width, 0.f);
    }
}

size_t KvCache::bytes() const {
    size_t b = 0;
    for (const auto& l : layers_) b += (l.k.size() + l.v.size()) * sizeof(float);
    return b;
}

}  // namespace facet::cpu
