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
class EmbeddingVulkan;
class EmbeddingModel;
class Tokenizer;
}  // namespace facet

namespace facet::docs {

// Where the model runs. Auto: the Vulkan GPU when there is one (not a CPU
// implementation such as lavapipe), else the CPU reference.
enum class EmbedBackend { Cpu, Vulkan, Auto };

class DocEmbedder {
public:
    static Result<std::unique_ptr<DocEmbedder>> open(const QString& modelPath, EmbedBackend backend = EmbedBackend::Cpu);
    ~DocEmbedder();

    // "<file name>:<size>:<sha256 of the first MiB, 16 hex digits>": stored with every vector.
    const QString& modelId() const { return modelId_; }
    int dims() const;
    // The GGUF has no dense_2/dense_3 head: mean pool + normalize only (weaker retrieval).
    bool reduced() const;
    int countTokens(const QString& text) const;
    QString deviceName() const;  // "CPU" or the Vulkan device's name

    // EmbeddingGemma's prompts (model card): "title: {title | none} | text: {chunk}"
    // for documents, "task: search result | query: {q}" for queries.
    Result<std::vector<std::vector<float>>> embedChunks(const QString& title, const std::vector<QString>& texts) const;
    Result<std::vector<float>> embedQuery(const QString& query) const;

private:
    DocEmbedder() = default;
    Result<std::vector<std::vector<float>>> embedTexts(const std::vector<QString>& prompts) const;

    std::unique_ptr<EmbeddingModel> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::unique_ptr<EmbeddingForward> forward_;  // one of these two runs the model
    std::unique_ptr<EmbeddingVulkan> vulkan_;
    QString modelId_;
};

}  // namespace facet::docs
