// OpenAiClient: one remote OpenAI-compatible server, spoken to through
// QNetworkAccessManager on the calling thread's event loop (nothing
// blocks). listModels() is GET /v1/models; chat() is a streamed POST
// /v1/chat/completions whose Server-Sent Events are parsed as they arrive
// (SseParser) into thinking and answer deltas, then finished() with the
// finish reason and usage, or failed() with a readable message. abort()
// closes the connection at once (vLLM and llama.cpp stop generating when
// the client goes away). The API key goes only into the Authorization
// header of requests to this base URL and is never logged or put in errors.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QVariantMap>

#include "openai_chunk.h"
#include "sse_parser.h"

class QNetworkAccessManager;
#include <QNetworkReply>

class OpenAiClient : public QObject {
    Q_OBJECT
public:
    explicit OpenAiClient(QObject* parent = nullptr);
    ~OpenAiClient() override;

    // base: normalizeBaseUrl()'s url. allowInsecure: the user confirmed plain
    // http to a host that is not loopback.
    void setServer(const QUrl& base, const QString& apiKey, bool allowInsecure);
    QUrl base() const { return base_; }

    void listModels();
    // messages: OpenAI's [{role, content}]. options: extra request fields
    // (temperature, top_p, max_tokens, seed, chat_template_kwargs...).
    void chat(const QString& model, const QJsonArray& messages, const QJsonObject& options);
    // Stops the running chat at once; no signal follows for it.
    void abort();
    bool chatting() const { return chat_ != nullptr; }

signals:
    void modelsListed(const QList<ModelEntry>& models);
    void modelsFailed(const QString& error);
    void delta(const QString& thinking, const QString& answer);
    // finishReason: "stop", "length", ... ("" when the server gave none);
    // usage: prompt_tokens, completion_tokens, total_tokens when sent.
    void finished(const QString& finishReason, const QVariantMap& usage);
    void failed(const QString& error);
    // The server is busy (429 or 503): the request goes again in `seconds`
    // (its Retry-After, at most 30), up to kBusyRetries times.
    void retrying(int seconds);

private:
    QNetworkReply* send(const QString& route, const QByteArray& body, int timeoutMs);
    void startChat();  // posts chatBody_ (again, after a busy answer)
    bool retryWhenBusy(QNetworkReply* reply, int status);
    void onChatData();
    void onChatDone();
    void handleEvent(const SseEvent& e);
    void failChat(const QString& error);
    QString networkErrorText(QNetworkReply* reply) const;

    QNetworkAccessManager* nam_;
    QUrl base_;
    QString apiKey_;
    bool allowInsecure_ = false;
    QPointer<QNetworkReply> models_, chat_;
    SseParser parser_;
    QByteArray body_;       // a non-200 answer's body, or a whole JSON answer
    bool wholeJson_ = false;  // the server ignored stream=true and sent one JSON document
    bool done_ = false;
    QString finishReason_;
    QVariantMap usage_;
    QByteArray chatBody_;   // the running chat's request, for a retry
    int busyRetries_ = 0;   // retries spent on 429/503 answers
    QTimer* retryTimer_;
};
