// The float32 CPU reference forward of EmbeddingGemma (the oracle for any GPU
// path). Activations stay float32 throughout: Google's model card warns that
// float16 activations break this model.
//
// Per sequence (tests/data/embedding/README.md, llama.cpp
// src/models/gemma-embedding.cpp):
//   x = token_embd[id] · √H
//   per layer: x += post_attention_norm(attn_output(attention(attn_norm(x))))
//              x += post_ffw_norm(ffn_down(gelu_tanh(ffn_gate h) · ffn_up h)),  h = ffn_norm(x)
//     attention: per-head RMS q/k norms, RoPE NeoX (position = index, base by
//     layer kind), q · 1/√head_dim, softmax WITHOUT a causal mask; sliding
//     layers see |i − j| ≤ window/2
//   output_norm per token, mean over all tokens (BOS and EOS included),
//   dense_2 then dense_3 when present (no bias, no activation), L2 normalize.
// Norm weights are used as stored; there is no softcapping.
#pragma once

#include <vector>

#include "core/result.h"
#include "embedding/embedding_model.h"

namespace facet {

// The stages after pooling, for comparing against reference intermediates.
struct EmbeddingTrace {
    std::vector<float> pooled;    // mean of the output-normed tokens
    std::vector<float> dense2;    // dense_2's output (empty in the reduced form)
    std::vector<float> beforeL2;  // dense_3's output, or `pooled` in the reduced form
};

class EmbeddingForward {
public:
    // Reads the norm vectors once; `model` must outlive this object.
    explicit EmbeddingForward(const EmbeddingModel& model);

    // One unit-length embedding per sequence. Each sequence attends only to
    // itself and is pooled on its own; their matrix products run together.
    // `dim` > 0 keeps the first `dim` values and renormalizes (Matryoshka);
    // 0 keeps them all. `trace`, when given, gets one entry per sequence.
    Result<std::vector<std::vector<float>>> embed(const std::vector<std::vector<int>>& sequences, int dim = 0,
                                                  std::vector<EmbeddingTrace>* trace = nullptr) const;

private:
    struct LayerNorms {
        std::vector<float> attn, q, k, postAttn, ffn, postFfw;
    };
    struct Batch;  // the packed activations of one embed() call

    void attention(Batch& b, int il) const;
    void feedForward(Batch& b, int il) const;
    // Mean pool, dense head, then the first `dim` values (0: all) normalized.
    void pool(const Batch& b, size_t seq, int dim, std::vector<float>& out, EmbeddingTrace* trace) const;

    const EmbeddingModel& m_;
    const EmbeddingDesc& d_;
    std::vector<LayerNorms> norms_;
    std::vector<float> outputNorm_;
    std::vector<std::vector<double>> thetas_;  // per layer, headDim / 2 RoPE frequencies
};

// What follows the per-token output norm, shared by the CPU and Vulkan
// passes: the mean of `sum` (the normed rows added up, in double) over
// `tokens`, dense_2/dense_3 when the model has them, then the first `dim`
// values (0: all) normalized. `trace`, when given, gets the stages.
void finishEmbedding(const EmbeddingModel& m, const std::vector<double>& sum, int tokens, int dim, std::vector<float>& out,
                     EmbeddingTrace* trace);

// Keeps the first `dim` values of a vector and scales it to unit length.
std::vector<float> truncateAndNormalize(const std::vector<float>& v, int dim);

}  // namespace facet
