// EngineWorker: the engine on its own QThread. It owns the ChatSession (model,
// backend, KV cache); the UI thread talks to it only through queued slots and
// signals, and stops a reply by setting cancel, which the generator checks
// before every token. Errors (load failure, out of memory, device lost) come
// back as signals with the reason; the worker stays usable.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVariantMap>
#include <atomic>
#include <memory>

#include "shared_session.h"

class DecodedImageCache;
class DocEmbedderCache;

class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Set from any thread: the running reply ends after its current token.
    // The caller clears it before queuing generate().
    std::atomic<bool> cancel{false};

    // The loaded model, shared with the app's API server (shared_session.h).
    // Set at construction, never replaced: any thread may copy it.
    std::shared_ptr<SharedSession> shared() const { return shared_; }

public slots:
    // options: backend ("vulkan", "cpu", "" = best), device, context (tokens).
    // Loading the model that is already loaded with the same options does nothing.
    // A GGUF model opens with its vision projector when one beside it pairs
    // (facet::findProjector, engine/vision/projector_pairing.h).
    void load(const QString& path, const QVariantMap& options);
    // history: [{role: "system"|"user"|"model", text, images}], ending with the
    // user's message; images: absolute paths of the message's pictures, decoded
    // here (and kept, DecodedImageCache) and shown to the model before the text.
    // settings: temperature, topK, topP, minP, repeatPenalty, maxTokens,
    // thinking, seed, imageTokens (soft tokens per picture: 280, or 1120 for more detail).
    void generate(quint64 requestId, const QVariantList& history, const QVariantMap& settings);
    // The same with document libraries (index files) attached: the last
    // user message is answered from passages retrieved here, on the engine
    // thread (document_retrieval.h); documentsRetrieved comes before the
    // first delta. settings also has rerank: "on", "off" or "auto" (the
    // default: on when the model runs on a GPU, off on the CPU backend or a
    // CPU Vulkan device such as lavapipe), passage_reranker.h.
    void generateWithDocuments(quint64 requestId, const QVariantList& history, const QVariantMap& settings,
                               const QStringList& libraries);
    void unload();
    // Called on the engine thread when it starts: a slightly lower CPU
    // priority (nice +4 on Linux), so that the window keeps its frames when
    // the engine and other programs want every core.
    void yieldToInterface();

signals:
    void loadProgress(double fraction);
    // The kernel tuner measures this GPU (its first load of such a model): seconds.
    void loadTuning();
    // projector: the vision projector opened with the model ("" when it sees
    // no pictures); imageNote: why it sees none ("" when it does).
    void loaded(const QString& path, const QString& device, int contextSize, const QString& projector,
                const QString& imageNote);
    void loadFailed(const QString& path, const QString& error);
    void delta(quint64 requestId, const QString& thinking, const QString& answer);
    // stats: promptTokens, reusedTokens, generated, prefillSeconds, decodeSeconds,
    // stopReason, droppedMessages, contextUsed, contextSize.
    // stats also has userTokens: the user's message alone; imagesEncoded and
    // encodeSeconds: pictures that went through the vision tower for this reply
    // (0 when all came from the cache); imagesLeftOut: pictures of the history
    // the model did not get because it sees none; imageErrors: files that could
    // not be read ("name: reason"), left out too.
    void finished(quint64 requestId, const QVariantMap& stats);
    // modelLost: the GPU was lost and the model unloaded; it must be loaded again.
    void failed(quint64 requestId, const QString& error, bool modelLost);
    // prompt: the user message the model got; sourcesJson: document_sources.h's
    // JSON; skipped: libraries that could not be searched ("file: reason").
    void documentsRetrieved(quint64 requestId, const QString& prompt, const QString& sourcesJson,
                            const QStringList& skipped, int dropped);

private:
    // Whether settings' rerank asks the loaded model to rerank passages.
    bool rerankWanted(const QVariantMap& settings) const;
    // generate() with `shared_->use` held by the caller.
    void generateLocked(quint64 requestId, const QVariantList& history, const QVariantMap& settings);
    // Unloads; the caller holds `use`.
    void dropSession();
    // Swaps the session (nullptr: unload) under both locks; the caller holds `use`.
    void replaceSession(std::unique_ptr<facet::ChatSession> next, const QString& path);
    // The engine thread is the only writer, so it reads the pointer unlocked.
    facet::ChatSession* session() const { return shared_->session.get(); }

    std::shared_ptr<SharedSession> shared_ = std::make_shared<SharedSession>();
    // Libraries' embedding models, opened on the first question that needs them.
    std::unique_ptr<DocEmbedderCache> embedders_;
    std::unique_ptr<DecodedImageCache> images_;
    QString path_;
    QVariantMap options_;
    QString projector_, imageNote_;  // of the loaded model (loaded's last two arguments)
};
