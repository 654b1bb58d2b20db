// RemoteReplySource: a reply from a remote OpenAI-compatible server, with
// the signals EngineWorker has (delta, finished, failed), so ChatController
// streams, stops, shows thinking and saves history the same way for a
// remote model as for a local one. It lives on the UI thread: OpenAiClient
// is asynchronous, nothing blocks.
#pragma once

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QVariantList>
#include <QVariantMap>

#include "openai_client.h"

class RemoteReplySource : public QObject {
    Q_OBJECT
public:
    explicit RemoteReplySource(QObject* parent = nullptr);

    // modelId: as the server lists it; contextSize: its context (0 = unknown).
    void setServer(const QUrl& base, const QString& apiKey, bool allowInsecure, const QString& modelId, int contextSize);
    // Lists the server's models: ready(context of modelId, 0 if unlisted) or unavailable(error).
    void probe();
    // history and settings as EngineWorker::generate takes them.
    void generate(quint64 requestId, const QVariantList& history, const QVariantMap& settings);
    // Ends the running reply at once (the connection closes): finished with stopReason "cancelled".
    void stop();

    // EngineWorker's history ({role: system|user|model, text}) as OpenAI messages.
    static QJsonArray toOpenAiMessages(const QVariantList& history);
    // Sampling settings as request fields: temperature, top_p, max_tokens, seed,
    // and chat_template_kwargs.enable_thinking (vLLM, llama.cpp).
    static QJsonObject toRequestOptions(const QVariantMap& settings);

signals:
    void ready(int contextSize);
    void unavailable(const QString& error);
    void delta(quint64 requestId, const QString& thinking, const QString& answer);
    void finished(quint64 requestId, const QVariantMap& stats);
    void failed(quint64 requestId, const QString& error, bool modelLost);

private:
    QVariantMap stats(const QString& stopReason, const QVariantMap& usage) const;

    OpenAiClient client_;
    QString model_;
    int contextSize_ = 0;
    quint64 request_ = 0;
    int deltas_ = 0;
    QElapsedTimer sinceStart_, sinceFirst_;
    double prefillSeconds_ = 0;
};
