// Response bodies in OpenAI's shapes: chat.completion, text_completion, their
// streamed chunks framed as SSE events (openai-server.md §2.1), the model
// list and embeddings. Pure functions of their inputs: byte-exact in tests.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

#include "api_error.h"
#include "chat/chat_format.h"

namespace facet::server {

struct Usage {
    int promptTokens = 0;
    int completionTokens = 0;
    int cachedTokens = 0;
};
QJsonObject usageObject(const Usage& u);

// "chatcmpl-" / "cmpl-" + 24 random alphanumerics.
QString newCompletionId(const QString& prefix);

// The fields every chunk of one response shares.
struct ResponseIdentity {
    QString id;
    qint64 created = 0;
    QString model;
    // Where thinking goes: "reasoning_content" (DeepSeek, llama.cpp, older
    // vLLM) or "reasoning" (newer vLLM, OpenRouter).
    QString reasoningField = QStringLiteral("reasoning_content");
};

// One tool call of a reply: "call_" + 24 alphanumerics, the function, and its
// arguments as JSON text.
struct ToolCallOut {
    QString id;
    QString name;
    QString arguments;
};

// Non-streamed bodies. With tool calls, message.tool_calls lists them and
// an empty answer is content null.
QByteArray chatCompletionBody(const ResponseIdentity& r, const ChatOutput& text, bool withReasoning,
                              const QString& finishReason, const Usage& usage,
                              const std::vector<ToolCallOut>& toolCalls = {});
QByteArray textCompletionBody(const ResponseIdentity& r, const std::string& text, const QString& finishReason,
                              const Usage& usage);

// SSE events: "data: <one-line JSON>\n\n".
class ChunkFormatter {
public:
    enum class Kind { Chat, Text };
    ChunkFormatter(ResponseIdentity identity, Kind kind, bool includeUsage);

    QByteArray roleChunk() const;                        // chat: delta {role, content:""}
    QByteArray deltaChunk(const ChatOutput& d) const;    // empty when d is empty (no empty deltas)
    // delta.tool_calls[0]: the call's start (index, id, type, name, arguments
    // "") when `start`, else a piece of its arguments.
    QByteArray toolCallChunk(int index, const ToolCallOut& call, bool start, const QString& arguments) const;
    QByteArray finishChunk(const QString& reason) const; // delta {} and the finish reason
    QByteArray usageChunk(const Usage& u) const;         // choices [] + usage; empty without include_usage
    static QByteArray done();                            // "data: [DONE]\n\n"
    static QByteArray errorEvent(const ApiError& e);     // mid-stream error, after which the stream ends
    static QByteArray queuedComment();                   // ": queued\n\n"

private:
    QByteArray event(const QJsonObject& o) const;
    QJsonObject chunk(const QJsonValue& choices, const QJsonValue& usage) const;

    ResponseIdentity id_;
    Kind kind_;
    bool includeUsage_;
};

struct ModelEntry {
    QString id;
    int contextLength = 0;
};
QByteArray modelObjectBody(const ModelEntry& m, qint64 created);
QByteArray modelListBody(const std::vector<ModelEntry>& models, qint64 created);

// data[i].embedding is a float array, or base64 of little-endian float32.
QByteArray embeddingsBody(const QString& model, const std::vector<std::vector<float>>& vectors, bool base64,
                          int promptTokens);

}  // namespace facet::server
