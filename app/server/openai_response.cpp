#include "openai_response.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtEndian>

namespace facet::server {
namespace {

QByteArray compact(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

QString str(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QJsonObject usageObject(const Usage& u) {
    return QJsonObject{{"prompt_tokens", u.promptTokens},
                       {"completion_tokens", u.completionTokens},
                       {"total_tokens", u.promptTokens + u.completionTokens},
                       {"prompt_tokens_details", QJsonObject{{"cached_tokens", u.cachedTokens}}}};
}

QString newCompletionId(const QString& prefix) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id = prefix;
    for (int i = 0; i < 24; ++i) id += QLatin1Char(kAlphabet[QRandomGenerator::global()->bounded(62)]);
    return id;
}

QByteArray chatCompletionBody(const ResponseIdentity& r, const ChatOutput& text, bool withReasoning,
                              const QString& finishReason, const Usage& usage, const std::vector<ToolCallOut>& toolCalls) {
    QJsonObject message{{"role", "assistant"}, {"content", str(text.answer)}};
    if (withReasoning) message.insert(r.reasoningField, str(text.thinking));
    if (!toolCalls.empty()) {
        QJsonArray calls;
        for (const ToolCallOut& c : toolCalls)
            calls.append(QJsonObject{{"id", c.id}, {"type", "function"},
                                     {"function", QJsonObject{{"name", c.name}, {"arguments", c.arguments}}}});
        message.insert("tool_calls", calls);
        if (text.answer.empty()) message.insert("content", QJsonValue());
    }
    const QJsonObject choice{{"index", 0}, {"message", message}, {"logprobs", QJsonValue()}, {"finish_reason", finishReason}};
    return compact(QJsonObject{{"id", r.id},
                               {"object", "chat.completion"},
                               {"created", r.created},
                               {"model", r.model},
                               {"choices", QJsonArray{choice}},
                               {"usage", usageObject(usage)}});
}

QByteArray textCompletionBody(const ResponseIdentity& r, const std::string& text, const QString& finishReason,
                              const Usage& usage) {
    const QJsonObject choice{{"index", 0}, {"text", str(text)}, {"logprobs", QJsonValue()}, {"finish_reason", finishReason}};
    return compact(QJsonObject{{"id", r.id},
                               {"object", "text_completion"},
                               {"created", r.created},
                               {"model", r.model},
                               {"choices", QJsonArray{choice}},
                               {"usage", usageObject(usage)}});
}

ChunkFormatter::ChunkFormatter(ResponseIdentity identity, Kind kind, bool includeUsage)
    : id_(std::move(identity)), kind_(kind), includeUsage_(includeUsage) {}

QByteArray ChunkFormatter::event(const QJsonObject& o) const { return "data: " + compact(o) + "\n\n"; }

QJsonObject ChunkFormatter::chunk(const QJsonValue& choices, const QJsonValue& usage) const {
    QJsonObject o{{"id", id_.id},
                  {"object", kind_ == Kind::Chat ? "chat.completion.chunk" : "text_completion"},
                  {"created", id_.created},
                  {"model", id_.model},
                  {"choices", choices}};
    // With include_usage every chunk carries "usage": null until the usage chunk (rule 6).
    if (includeUsage_) o.insert("usage", usage);
    return o;
}

QByteArray ChunkFormatter::roleChunk() const {
    if (kind_ != Kind::Chat) return {};
    const QJsonObject choice{{"index", 0},
                             {"delta", QJsonObject{{"role", "assistant"}, {"content", ""}}},
                             {"logprobs", QJsonValue()},
                             {"finish_reason", QJsonValue()}};
    return event(chunk(QJsonArray{choice}, QJsonValue()));
}

QByteArray ChunkFormatter::deltaChunk(const ChatOutput& d) const {
    if (kind_ == Kind::Text) {
        if (d.answer.empty()) return {};
        const QJsonObject choice{{"index", 0}, {"text", str(d.answer)}, {"logprobs", QJsonValue()}, {"finish_reason", QJsonValue()}};
        return event(chunk(QJsonArray{choice}, QJsonValue()));
    }
    QByteArray out;  // thinking and answer in one delta become two chunks, thinking first
    if (!d.thinking.empty()) {
        const QJsonObject choice{{"index", 0},
                                 {"delta", QJsonObject{{id_.reasoningField, str(d.thinking)}}},
                                 {"logprobs", QJsonValue()},
                                 {"finish_reason", QJsonValue()}};
        out += event(chunk(QJsonArray{choice}, QJsonValue()));
    }
    if (!d.answer.empty()) {
        const QJsonObject choice{{"index", 0},
                                 {"delta", QJsonObject{{"content", str(d.answer)}}},
                                 {"logprobs", QJsonValue()},
                                 {"finish_reason", QJsonValue()}};
        out += event(chunk(QJsonArray{choice}, QJsonValue()));
    }
    return out;
}

QByteArray ChunkFormatter::toolCallChunk(int index, const ToolCallOut& call, bool start, const QString& arguments) const {
    QJsonObject entry{{"index", index}};
    if (start) {
        entry.insert("id", call.id);
        entry.insert("type", "function");
        entry.insert("function", QJsonObject{{"name", call.name}, {"arguments", ""}});
    } else {
        entry.insert("function", QJsonObject{{"arguments", arguments}});
    }
    const QJsonObject choice{{"index", 0},
                             {"delta", QJsonObject{{"tool_calls", QJsonArray{entry}}}},
                             {"logprobs", QJsonValue()},
                             {"finish_reason", QJsonValue()}};
    return event(chunk(QJsonArray{choice}, QJsonValue()));
}

QByteArray ChunkFormatter::finishChunk(const QString& reason) const {
    QJsonObject choice{{"index", 0}, {"logprobs", QJsonValue()}, {"finish_reason", reason}};
    if (kind_ == Kind::Chat) choice.insert("delta", QJsonObject());
    else choice.insert("text", "");
    return event(chunk(QJsonArray{choice}, QJsonValue()));
}

QByteArray ChunkFormatter::usageChunk(const Usage& u) const {
    if (!includeUsage_) return {};
    return event(chunk(QJsonArray(), usageObject(u)));
}

QByteArray ChunkFormatter::done() { return QByteArrayLiteral("data: [DONE]\n\n"); }

QByteArray ChunkFormatter::errorEvent(const ApiError& e) {
    return "data: " + errorBody(e) + "\n\n";
}

QByteArray ChunkFormatter::queuedComment() { return QByteArrayLiteral(": queued\n\n"); }

static QJsonObject modelObject(const ModelEntry& m, qint64 created) {
    return QJsonObject{{"id", m.id},
                       {"object", "model"},
                       {"created", created},
                       {"owned_by", "facet"},
                       {"context_length", m.contextLength}};
}

QByteArray modelObjectBody(const ModelEntry& m, qint64 created) { return compact(modelObject(m, created)); }

QByteArray modelListBody(const std::vector<ModelEntry>& models, qint64 created) {
    QJsonArray data;
    for (const ModelEntry& m : models) data.append(modelObject(m, created));
    return compact(QJsonObject{{"object", "list"}, {"data", data}});
}

QByteArray embeddingsBody(const QString& model, const std::vector<std::vector<float>>& vectors, bool base64,
                          int promptTokens) {
    QJsonArray data;
    for (size_t i = 0; i < vectors.size(); ++i) {
        QJsonValue embedding;
        if (base64) {
            QByteArray raw(static_cast<qsizetype>(vectors[i].size() * 4), Qt::Uninitialized);
            for (size_t k = 0; k < vectors[i].size(); ++k)
                qToLittleEndian<float>(vectors[i][k], raw.data() + k * 4);
            embedding = QString::fromLatin1(raw.toBase64());
        } else {
            QJsonArray values;
            for (float v : vectors[i]) values.append(static_cast<double>(v));
            embedding = values;
        }
        data.append(QJsonObject{{"object", "embedding"}, {"index", static_cast<int>(i)}, {"embedding", embedding}});
    }
    return compact(QJsonObject{{"object", "list"},
                               {"data", data},
                               {"model", model},
                               {"usage", QJsonObject{{"prompt_tokens", promptTokens}, {"total_tokens", promptTokens}}}});
}

}  // namespace facet::server
