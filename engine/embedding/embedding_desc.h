// EmbeddingDesc: the hyper-parameters of an EmbeddingGemma model (GGUF
// general.architecture "gemma-embedding"), read from its gemma-embedding.*
// keys. Loading, the tensor list and the forward pass read only this.
//
// The architecture (llama.cpp src/models/gemma-embedding.cpp; pinned down by
// tests/data/embedding/README.md): a Gemma 3
// text stack with bidirectional attention, mean pooling over all tokens, two
// optional bias-free Dense layers and an L2 normalization.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet {

class GgufFile;

inline constexpr const char* kEmbeddingArch = "gemma-embedding";

struct EmbeddingDesc {
    std::string name;
    int nLayers = 0;
    int hidden = 0;          // H
    int ffnWidth = 0;
    int nHeads = 0;
    int nKvHeads = 0;        // GQA: query head h reads KV head h / (nHeads / nKvHeads)
    int headDim = 0;         // key_length == value_length
    int vocab = 0;           // rows of token_embd
    int contextLength = 2048;
    float rmsEps = 1e-6f;
    float ropeBase = 10000.0f;     // global layers (rope.freq_base)
    float ropeBaseSwa = 10000.0f;  // sliding layers (rope.freq_base_swa)
    // attention.sliding_window: the FULL width of a symmetric window; a token
    // sees another iff their distance is at most slidingWindow / 2.
    int slidingWindow = 0;
    int swaPattern = 6;            // layer il is sliding iff il % P < P - 1
    int poolingType = 1;           // 1 = mean, the only one Facet runs
    // Dense head (sentence-transformers modules 2 and 3); 0 when the GGUF has
    // none ("reduced form": pool + normalize only).
    int dense2Out = 0;
    int dense3Out = 0;

    bool hasDense() const { return dense2Out > 0; }
    bool isSliding(int il) const { return il % swaPattern < swaPattern - 1; }
    float ropeBaseOf(int il) const { return isSliding(il) ? ropeBaseSwa : ropeBase; }
    int halfWindow() const { return slidingWindow / 2; }
    int outputDim() const { return hasDense() ? dense3Out : hidden; }
};

// Reads and range-checks the keys; errors name the file and the key.
Result<EmbeddingDesc> embeddingDescFromGguf(const GgufFile& f);

// Which tensor a spec describes, so binders need no string matching.
enum class EmbeddingRole {
    TokenEmbd, OutputNorm, Dense2, Dense3,
    AttnNorm, AttnQ, AttnK, AttnV, AttnOutput, AttnQNorm, AttnKNorm, PostAttnNorm,
    FfnNorm, FfnGate, FfnUp, FfnDown, PostFfwNorm,
    Count
};

struct EmbeddingTensorSpec {
    std::string name;         // GGUF name
    std::vector<int64_t> ne;  // GGML order
    EmbeddingRole role = EmbeddingRole::Count;
    int layer = -1;           // -1 for global tensors
};

// The one tensor list of an embedding model (house style rule 3): all are
// required; dense_2/dense_3 only when the description has them.
std::vector<EmbeddingTensorSpec> embeddingTensorList(const EmbeddingDesc& d);

}  // namespace facet
