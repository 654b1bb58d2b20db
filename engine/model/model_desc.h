// ModelDesc: the one description of a Gemma 4 text decoder (house style rule 2).
// It is built from GGUF metadata or an HF config.json; loading, validation,
// caches, the forward pass and `facet-cli info` read only this. Nothing guesses
// from tensor presence or layer counts. Math: shared/spec gemma4.md §1-§2.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/ggml_type.h"

namespace facet {

enum class AttnKind { Sliding, Full };
const char* attnKindName(AttnKind k);

enum class Variant { E2B, E4B, MoE26B, Dense31B, Custom };
const char* variantName(Variant v);

struct LayerDesc {
    AttnKind attn = AttnKind::Sliding;
    int headDim = 0;        // 256 sliding / 512 full in the real models
    int nHeads = 0;         // query heads
    int nKvHeads = 0;
    int kvSource = 0;       // layer whose KV cache this layer reads (== own index when it owns one)
    bool kEqV = false;      // V is the raw K projection (full layers of 26B/31B: no attn_v)
    int ffnWidth = 0;       // dense MLP intermediate size
    bool moe = false;       // has the router + experts block in addition to the dense MLP
    int window = 0;         // sliding window in tokens (0 for full layers)
    float ropeBase = 0.f;   // 1e4 sliding, 1e6 full
    bool ownsKv(int self) const { return kvSource == self; }
};

struct ModelDesc {
    std::string name;
    Variant variant = Variant::Custom;
    int nLayers = 0;
    int hidden = 0;
    int vocab = 0;
    int contextLength = 0;
    int pleDim = 0;            // per-layer-embedding width; 0 = no PLE
    int nExperts = 0;          // 0 = no MoE
    int nExpertsUsed = 0;
    int expertFfn = 0;
    int slidingWindow = 0;
    int nKvShared = 0;
    float rmsEps = 1e-6f;
    float finalSoftcap = 30.f; // 0 disables
    float embedScale = 0.f;    // sqrt(hidden)
    // Full-layer RoPE frequency divisors (GGUF rope_freqs, length headDimFull/2):
    // 1.0 rotates a pair, a huge value (1e30) freezes it (spec §2.6). Empty when
    // the model has no full layer.
    std::vector<float> ropeFreqFactors;
    std::vector<LayerDesc> layers;

    int headDimSliding() const;
    int headDimFull() const;
    bool hasPle() const { return pleDim > 0; }
    bool hasMoe() const { return nExperts > 0; }
};

// θ_j for pair j of layer l (spec §2.6), including the proportional factors.
double ropeTheta(const ModelDesc& d, int layer, int pair);

// Weight-related counts computed from the description alone.
struct ParamCounts {
    int64_t total = 0;        // every parameter, embeddings and PLE included
    int64_t embedding = 0;    // token_embd (tied head)
    int64_t ple = 0;          // per_layer_token_embd (a host-side lookup table)
    int64_t activePerToken = 0; // parameters touched per token (MoE: top-k experts only)
};
ParamCounts countParams(const ModelDesc& d);

// K+V cache bytes for `ctx` tokens at `bytesPerElem` (2 for f16), counting only
// KV-owning layers; sliding layers hold at most `window` entries (spec §2.7).
uint64_t kvCacheBytes(const ModelDesc& d, int ctx, int bytesPerElem);

// Label for the four released shapes (spec §1, every dimension); Custom otherwise.
Variant detectVariant(const ModelDesc& d);

// Whether the chat template is the 26B/31B one, which appends an empty thought
// channel when thinking is off (spec §5). Tiny test shapes follow their sibling:
// PLE models use the E-model template.
bool usesLargeChatTemplate(const ModelDesc& d);

// Checks internal consistency (positive sizes, head divisibility, kvSource
// pointing at an owning layer of the same kind, last layer full...).
std::string validateDesc(const ModelDesc& d);  // empty when valid

}  // namespace facet
