#include "embedding/embedding_fit.h"

#include "model/model_maker.h"

namespace facet {

bool embeddingVariantByName(const std::string& name, EmbeddingDesc& out) {
    if (name != "embeddinggemma-300m") return false;
    // google/embeddinggemma-300m (tests/data/embedding/README.md, the model card).
    EmbeddingDesc d;
    d.name = name;
    d.nLayers = 24;
    d.hidden = 768;
    d.ffnWidth = 1152;
    d.nHeads = 3;
    d.nKvHeads = 1;
    d.headDim = 256;
    d.vocab = 262144;
    d.contextLength = 2048;
    d.ropeBase = 1000000.0f;
    d.ropeBaseSwa = 10000.0f;
    d.slidingWindow = 512;
    d.swaPattern = 6;
    d.dense2Out = 3072;
    d.dense3Out = 768;
    out = d;
    return true;
}

MemoryNeeds estimateEmbeddingMemory(const EmbeddingDesc& d, GgmlType weightType, int batchTokens) {
    MemoryNeeds n;
    for (const EmbeddingTensorSpec& s : embeddingTensorList(d)) {
        const bool isVector = s.ne.size() == 1;  // the norms, kept F32
        const GgmlType t = isVector ? GgmlType::F32 : typeForRow(weightType, s.ne[0]);
        int64_t elems = 1;
        for (int64_t e : s.ne) elems *= e;
        n.deviceWeights += rowBytes(t, s.ne[0]) * static_cast<uint64_t>(elems / s.ne[0]);
    }
    // Per token: residual, normed input, q/k/v, attention output, gate/up and
    // the FFN product, all f32; scores are computed on the fly (attention_bidir).
    const uint64_t qkv = uint64_t(d.nHeads + 2 * d.nKvHeads) * uint64_t(d.headDim);
    const uint64_t perToken = 4ull * (3ull * d.hidden + qkv + uint64_t(d.nHeads) * d.headDim + 3ull * d.ffnWidth);
    n.activations = uint64_t(batchTokens) * perToken;
    return n;
}

}  // namespace facet
