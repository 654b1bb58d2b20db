// EmbeddingGemma on the CPU reference forward for the document index: chunks
// and queries get the model card's prompts, the model a stable identity so
// vectors from another model are never compared, and the chunker the
// model's own token counts.
#pragma once

#include <QString>

#include <memory>
#include <vector>

#include "core/result.h"

namespace facet {
class EmbeddingForward;
class EmbeddingModel;
class Tokenizer;
}  // namespace facet

namespace facet::docs {

class DocEmbedder {
public:
    static Result<std::unique_ptr<DocEmbedder>> open(const QString& modelPath);
    ~DocEmbedder();

    // "<file name>:<size>:<sha256 of the first MiB, 16 hex digits>": stored with every vector.
    const QString& modelId() const { return modelId_; }
    int dims() const;
    int countTokens(const QString& text) const;

    // EmbeddingGemma's prompts (model card): "title: {title | none} | text: {chunk}"
    // for documents, "task: search result | query: {q}" for queries.
    Result<std::vector<std::vector<float>>> embedChunks(const QString& title, const std::vector<QString>& texts) const;
    Result<std::vector<float>> embedQuery(const QString& query) const;

private:
    DocEmbedder() = default;
    Result<std::vector<std::vector<float>>> embedTexts(const std::vector<QString>& prompts) const;

    std::unique_ptr<EmbeddingModel> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::unique_ptr<EmbeddingForward> forward_;
    QString modelId_;
};

}  // namespace facet::docs
