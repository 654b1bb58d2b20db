#include "embedding_engine.h"

#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "tokenizer/tokenizer.h"

namespace facet::server {

EmbeddingEngine::~EmbeddingEngine() = default;

Result<std::unique_ptr<EmbeddingEngine>> EmbeddingEngine::open(const std::string& path) {
    std::unique_ptr<EmbeddingEngine> e(new EmbeddingEngine());
    FACET_ASSIGN(e->model_, EmbeddingModel::open(path));
    FACET_ASSIGN(e->tokenizer_, Tokenizer::fromGguf(e->model_->gguf()));
    e->forward_ = std::make_unique<EmbeddingForward>(*e->model_);
    return e;
}

int EmbeddingEngine::contextSize() const { return model_->desc().contextLength; }
int EmbeddingEngine::dimensions() const { return model_->desc().outputDim(); }

std::vector<int> EmbeddingEngine::tokenCounts(const std::vector<std::string>& texts) const {
    std::vector<int> out;
    for (const std::string& t : texts) out.push_back(static_cast<int>(tokenizer_->encodeWithSpecials(t).size()));
    return out;
}

Result<std::vector<std::vector<float>>> EmbeddingEngine::embed(const std::vector<std::string>& texts, int dim) const {
    std::vector<std::vector<float>> out;
    constexpr size_t kBatch = 8;  // sequences per forward call: they share the matrix products
    for (size_t start = 0; start < texts.size(); start += kBatch) {
        std::vector<std::vector<int>> batch;
        for (size_t i = start; i < std::min(texts.size(), start + kBatch); ++i)
            batch.push_back(tokenizer_->encodeWithSpecials(texts[i]));
        FACET_ASSIGN(auto rows, forward_->embed(batch, dim));
        for (auto& r : rows) out.push_back(std::move(r));
    }
    return out;
}

}  // namespace facet::server
