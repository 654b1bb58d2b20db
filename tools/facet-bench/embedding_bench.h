// facet-bench --embedding: EmbeddingGemma throughput, CPU reference against
// Vulkan, on a random-weight model with the real shapes (or a given GGUF).
#pragma once

#include <string>

#include "core/result.h"
#include "model/ggml_type.h"

namespace facet::bench {

struct EmbeddingBenchOptions {
    std::string model;       // an EmbeddingGemma GGUF; empty: write a random one (below) first
    std::string out;         // where the random model goes ("" = a name from its type)
    GgmlType type = GgmlType::Q8_0;  // of the random model's matrices
    int vocab = 4096;        // rows of the random model's token_embd (the real one has 262144)
    int sequences = 32;
    int length = 256;        // tokens per sequence
    std::string backend;     // "cpu", "vulkan", "" = both
    std::string device;      // Vulkan device index or name substring
};

// Writes an EmbeddingGemma-300m-shaped GGUF with random weights: 24 layers
// (sliding pattern 6, window 512), hidden 768, 3 query heads and 1 KV head of
// 256, FFN 1152, dense 768 -> 3072 -> 768, RoPE 1e6 / 1e4, context 2048.
Status writeRandomEmbeddingGguf(const std::string& path, GgmlType type, int vocab);

// Prints one row per backend: tokens/s of embed() over `sequences` random
// sequences of `length` tokens in one call (after a warm-up call that builds
// the pipelines), and the largest difference between the two backends.
int runEmbeddingBench(const EmbeddingBenchOptions& options);

}  // namespace facet::bench
