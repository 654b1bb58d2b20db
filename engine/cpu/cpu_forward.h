// CpuForward: the float32 reference forward pass of Gemma 4 (spec §2), the
// oracle every Vulkan shader and the GPU forward are compared with.
//
// A call processes a batch of tokens layer by layer (the structure the GPU
// prefill has): each token attends to the cached positions before the batch
// and to the batch's own earlier tokens; the batch's K/V is committed to the
// cache only after the last layer, because KV-shared layers still need it.
// Processing tokens one call each (decode) must give the same logits.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "cpu/kv_cache.h"
#include "model/model_desc.h"
#include "model/model_weights.h"
#include "runtime/forward_pass.h"

namespace facet::cpu {

using InjectedRows = facet::InjectedRows;  // runtime/forward_pass.h

// Whether a model's image block is bidirectional (Hugging Face: 26B-A4B and
// 31B) or causal (E2B/E4B, the family with per-layer embeddings).
inline bool bidirectionalImageAttention(const ModelDesc& d) { return !d.hasPle(); }

// Receives named intermediates ("inp_scaled", "inp_per_layer", "attn_out",
// "l_out", "result_norm") for dumps and reference comparisons; layer is -1
// for tensors outside a layer, token is the index within the batch.
using TraceFn = std::function<void(const char* name, int layer, int token, const float* data, int n)>;

class CpuForward {
public:
    CpuForward(const ModelDesc& desc, const ModelWeights& weights, int maxContext);
    ~CpuForward();

    // Runs `tokens` at positions nPast()..; writes softcapped logits for every
    // token (allLogits) or only the last one into `logits` (n or 1 rows of vocab).
    Status forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits);
    // The same with `injected` rows in place of some tokens' embeddings (the
    // ids there are placeholders and are never looked up).
    Status forward(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected, bool allLogits,
                   std::vector<float>& logits);

    int nPast() const { return nPast_; }
    int maxContext() const { return cache_.maxContext(); }
    // Forget positions >= pos. Full layers keep everything; sliding rings only
    // hold the last `window` positions, so rewinding further back than that
    // would need a re-prefill: returns false then (and resets to 0).
    bool rewind(int pos);
    void reset() { nPast_ = 0; }
    void setTrace(TraceFn fn) { trace_ = std::move(fn); }
    // Round every K and V value to f16 where it is made, as the Vulkan
    // backend's f16 cache stores them: the oracle for comparing that backend
    // tightly (off by default: the reference keeps float32).
    void setHalfKv(bool on) { halfKv_ = on; }

private:
    struct LayerVectors;  // norm weights and scales as float32, read once
    struct Batch;         // per-call activations

    void embed(Batch& b, const std::vector<int>& tokens);
    const InjectedRows* injectedAt(const Batch& b, int t) const;
    void perLayerInputs(Batch& b, const std::vector<int>& tokens);
    void attention(Batch& b, int layer);
    void denseFfn(Batch& b, int layer, const std::vector<float>& in, std::vector<float>& out);
    void feedForward(Batch& b, int layer);
    void moe(Batch& b, int layer, int t, const float* r, float* out);
    void pleInject(Batch& b, int layer);
    void record(const char* name, int layer, int token, const float* data, int n) const {
        if (trace_) trace_(name, layer, token, data, n);
    }

    const ModelDesc& d_;
    const ModelWeights& w_;
    KvCache cache_;
    int nPast_ = 0;
    int oldestValid_ = 0;  // lowest position whose sliding-ring entries are still intact
    std::vector<LayerVectors> lv_;
    std::vector<float> outputNorm_, pleProjNorm_;
    std::vector<std::vector<double>> thetas_;  // per layer, headDim/2 entries
    TraceFn trace_;
    bool halfKv_ = false;
};

}  // namespace facet::cpu
