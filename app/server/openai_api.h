// The OpenAI-compatible routes over one chat engine (and optionally an
// embedding model): /health, /v1/models[/{id}], /v1/chat/completions,
// /v1/completions, /v1/embeddings. Plug handler() into an HttpServer: auth,
// Host, CORS and size limits are the server's; this checks requests, refuses
// what does not fit, and queues the work on the engine thread.
#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "completion_engine.h"
#include "embedding_engine.h"
#include "http_handler.h"
#include "openai_request.h"
#include "openai_response.h"
#include "request_queue.h"

namespace facet::server {

class OpenAiApi : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString chatModelId;        // the model file's name without .gguf
        QString embedModelId;       // empty: no embedding model
        int queueCapacity = 32;     // requests waiting besides the running one
        int retryAfterSeconds = 2;  // with 429 queue_full
        int keepaliveMs = 5000;     // ": queued" comments on streams waiting their turn
        QString reasoningField = QStringLiteral("reasoning_content");  // or "reasoning" (ResponseIdentity)
        // Pictures given by http(s) address are fetched (ImageFetcher); off,
        // such a request is refused and data URLs are the way to send them.
        bool fetchImageUrls = false;
    };
    // `engine` and `embeddings` (may be null) must outlive the API; the
    // queue's thread is the only one that runs them.
    OpenAiApi(CompletionEngine& engine, EmbeddingEngine* embeddings, Options options, QObject* parent = nullptr);
    ~OpenAiApi() override;

    void handle(const http::HttpRequest& request, http::HttpResponder* responder);
    http::HttpHandler handler();
    // Later requests put thinking under this field (see Options).
    void setReasoningField(const QString& field) { options_.reasoningField = field; }
    const RequestQueue& queue() const { return *queue_; }

signals:
    // A completion ran to its end (also stopped or failed) for `responder`,
    // just before its answer goes out; `seconds` is the engine's run, waiting
    // for a turn included. For logs (the app's request log matches the responder).
    void generationFinished(const http::HttpResponder* responder, int promptTokens, int completionTokens,
                            double seconds);

private:
    // The engine's model id, or Options::chatModelId when the engine names none.
    QString chatModelId() const;
    void chatCompletions(const http::HttpRequest& request, http::HttpResponder* responder);
    void textCompletions(const http::HttpRequest& request, http::HttpResponder* responder);
    void embeddings(const http::HttpRequest& request, http::HttpResponder* responder);
    // After queue_->submit: 429 when the queue was full (false; `relay` is
    // deleted), else a client that leaves withdraws its job or, running, stops it.
    bool track(std::optional<uint64_t> ticket, QObject* relay, http::HttpResponder* responder,
               const http::HeaderList& extra);
    void models(const QByteArray& path, http::HttpResponder* responder);
    void generate(const EngineJob& job, const GenerationParams& params, bool chat, http::HttpResponder* responder);

    QNetworkAccessManager& network();

    CompletionEngine& engine_;
    EmbeddingEngine* embeddings_;
    std::unique_ptr<QNetworkAccessManager> network_;  // image URLs, made on first use
    Options options_;
    std::unique_ptr<RequestQueue> queue_;
    qint64 startedAt_;
};

// Sends an OpenAI error body (and Retry-After when the error has one).
void sendError(http::HttpResponder* responder, const ApiError& error, http::HeaderList headers = {});

}  // namespace facet::server
