#include "doc_embedder.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "embedding/embedding_vulkan.h"
#include "tokenizer/tokenizer.h"

namespace facet::docs {

namespace {
// Sequences per forward call: they share the matrix products (a GPU wants many).
constexpr size_t kCpuBatch = 8, kGpuBatch = 32;
}

DocEmbedder::~DocEmbedder() = default;

Result<std::unique_ptr<DocEmbedder>> DocEmbedder::open(const QString& modelPath, EmbedBackend backend) {
    std::unique_ptr<DocEmbedder> e(new DocEmbedder);
    FACET_ASSIGN(e->model_, EmbeddingModel::open(modelPath.toStdString()));
    FACET_ASSIGN(e->tokenizer_, Tokenizer::fromGguf(e->model_->gguf()));
    if (backend != EmbedBackend::Cpu) {
        auto gpu = EmbeddingVulkan::open(*e->model_, "");
        if (gpu.ok() && !(backend == EmbedBackend::Auto && gpu.value()->onCpuDevice())) e->vulkan_ = std::move(gpu.value());
        else if (backend == EmbedBackend::Vulkan) return gpu.error();
    }
    if (!e->vulkan_) e->forward_ = std::make_unique<EmbeddingForward>(*e->model_);
    // The header and metadata sit in the first MiB; with the size this tells models apart
    // without hashing hundreds of MB at every start.
    QFile f(modelPath);
    if (!f.open(QIODevice::ReadOnly)) return errorf("%s: %s", qPrintable(modelPath), qPrintable(f.errorString()));
    const QByteArray head = f.read(1 << 20);
    e->modelId_ = QStringLiteral("%1:%2:%3")
                      .arg(QFileInfo(modelPath).fileName())
                      .arg(f.size())
                      .arg(QString::fromLatin1(QCryptographicHash::hash(head, QCryptographicHash::Sha256).toHex().left(16)));
    return e;
}

bool DocEmbedder::reduced() const { return !model_->hasDense(); }

QString DocEmbedder::deviceName() const {
    return vulkan_ ? QString::fromStdString(vulkan_->deviceName()) : QStringLiteral("CPU");
}

int DocEmbedder::dims() const { return model_->desc().outputDim(); }

int DocEmbedder::countTokens(const QString& text) const {
    return int(tokenizer_->encodeWithSpecials(text.toStdString()).size());
}

Result<std::vector<std::vector<float>>> DocEmbedder::embedTexts(const std::vector<QString>& prompts) const {
    std::vector<std::vector<float>> out;
    const size_t maxTokens = size_t(std::max(8, model_->desc().contextLength));
    const size_t batchSize = vulkan_ ? kGpuBatch : kCpuBatch;
    for (size_t start = 0; start < prompts.size(); start += batchSize) {
        std::vector<std::vector<int>> batch;
        for (size_t i = start; i < std::min(prompts.size(), start + batchSize); ++i) {
            std::vector<int> ids = tokenizer_->encodeWithSpecials(prompts[i].toStdString());
            if (ids.size() > maxTokens) ids.resize(maxTokens);  // chunks are ~300 tokens; this only guards
            batch.push_back(std::move(ids));
        }
        FACET_ASSIGN(auto rows, vulkan_ ? vulkan_->embed(batch) : forward_->embed(batch));
        for (auto& r : rows) out.push_back(std::move(r));
    }
    return out;
}

Result<std::vector<std::vector<float>>> DocEmbedder::embedChunks(const QString& title, const std::vector<QString>& texts) const {
    std::vector<QString> prompts;
    const QString t = title.isEmpty() ? QStringLiteral("none") : title;
    for (const QString& text : texts) prompts.push_back(QStringLiteral("title: %1 | text: %2").arg(t, text));
    return embedTexts(prompts);
}

Result<std::vector<float>> DocEmbedder::embedQuery(const QString& query) const {
    FACET_ASSIGN(auto rows, embedTexts({QStringLiteral("task: search result | query: ") + query}));
    return std::move(rows.front());
}

}  // namespace facet::docs
