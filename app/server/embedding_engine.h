// EmbeddingGemma for /v1/embeddings: raw input text (no task prompt; the
// client chooses its own) → unit-length vectors, on the CPU reference
// forward. Runs on the engine thread like generation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet {
class EmbeddingForward;
class EmbeddingModel;
class Tokenizer;
}  // namespace facet

namespace facet::server {

class EmbeddingEngine {
public:
    static Result<std::unique_ptr<EmbeddingEngine>> open(const std::string& path);
    ~EmbeddingEngine();

    int contextSize() const;
    int dimensions() const;  // the model's full output size
    // Tokens each text takes (with the model's special tokens). Thread-safe.
    std::vector<int> tokenCounts(const std::vector<std::string>& texts) const;
    // `dim` > 0 keeps the first `dim` values, renormalized (Matryoshka); 0 keeps all.
    Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts, int dim = 0) const;

private:
    EmbeddingEngine() = default;
    std::unique_ptr<EmbeddingModel> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::unique_ptr<EmbeddingForward> forward_;
};

}  // namespace facet::server
