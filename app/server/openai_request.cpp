#include "openai_request.h"

#include "openai_tools.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <optional>
#include <set>

namespace facet::server {
namespace {

using MaybeError = std::optional<ApiError>;

ApiResult<QJsonObject> parseObject(const QByteArray& body) {
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return invalidValue({}, QStringLiteral("The request body is not valid JSON: %1 at offset %2")
                                    .arg(err.errorString())
                                    .arg(err.offset));
    if (!doc.isObject()) return invalidValue({}, QStringLiteral("The request body must be a JSON object"));
    return doc.object();
}

// Reads an optional number in [lo, hi] into `out`; null counts as absent.
MaybeError readNumber(const QJsonObject& o, const char* key, double lo, double hi, double& out) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < lo || v.toDouble() > hi)
        return invalidValue(QLatin1String(key),
                            QStringLiteral("'%1' must be a number between %2 and %3").arg(key).arg(lo).arg(hi));
    out = v.toDouble();
    return std::nullopt;
}

MaybeError readInteger(const QJsonObject& o, const char* key, double lo, double hi, double& out) {
    double x = out;
    if (auto e = readNumber(o, key, lo, hi, x)) return e;
    if (x != std::floor(x)) return invalidValue(QLatin1String(key), QStringLiteral("'%1' must be an integer").arg(key));
    out = x;
    return std::nullopt;
}

MaybeError readBool(const QJsonObject& o, const char* key, bool& out) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isBool()) return invalidValue(QLatin1String(key), QStringLiteral("'%1' must be a boolean").arg(key));
    out = v.toBool();
    return std::nullopt;
}

MaybeError readStop(const QJsonObject& o, std::vector<std::string>& out) {
    const QJsonValue v = o.value(QLatin1String("stop"));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    const QString param = QStringLiteral("stop");
    if (v.isString()) {
        if (!v.toString().isEmpty()) out.push_back(v.toString().toStdString());
        return std::nullopt;
    }
    if (!v.isArray()) return invalidValue(param, QStringLiteral("'stop' must be a string or an array of strings"));
    const QJsonArray a = v.toArray();
    if (a.size() > 4) return invalidValue(param, QStringLiteral("'stop' holds at most 4 strings"));
    for (const QJsonValue& s : a) {
        if (!s.isString() || s.toString().isEmpty())
            return invalidValue(param, QStringLiteral("'stop' must hold non-empty strings"));
        out.push_back(s.toString().toStdString());
    }
    return std::nullopt;
}

// The fields every completion request shares; `known` collects their names.
MaybeError readGeneration(const QJsonObject& o, GenerationParams& p) {
    const QJsonValue model = o.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return invalidValue(QStringLiteral("model"), QStringLiteral("'model' is required and must be a string"));
    p.model = model.toString();
    if (auto e = readBool(o, "stream", p.stream)) return e;
    const QJsonValue so = o.value(QLatin1String("stream_options"));
    if (!so.isUndefined() && !so.isNull()) {
        if (!so.isObject())
            return invalidValue(QStringLiteral("stream_options"), QStringLiteral("'stream_options' must be an object"));
        if (!p.stream)
            return invalidValue(QStringLiteral("stream_options"),
                                QStringLiteral("'stream_options' is only allowed when 'stream' is true"));
        bool usage = false;
        if (auto e = readBool(so.toObject(), "include_usage", usage)) {
            ApiError err = *e;
            err.param = QStringLiteral("stream_options.include_usage");
            return err;
        }
        p.includeUsage = usage;
    }
    double maxTokens = p.maxTokens;
    if (auto e = readInteger(o, "max_tokens", 1, 1 << 30, maxTokens)) return e;
    if (auto e = readInteger(o, "max_completion_tokens", 1, 1 << 30, maxTokens)) return e;
    p.maxTokens = static_cast<int>(maxTokens);
    if (auto e = readStop(o, p.stop)) return e;

    double temp = p.sampling.temperature, topP = p.sampling.topP, topK = p.sampling.topK, minP = p.sampling.minP;
    double rep = p.sampling.repeatPenalty, seed = 0, freq = 0, pres = 0, n = 1;
    if (auto e = readNumber(o, "temperature", 0, 2, temp)) return e;
    if (auto e = readNumber(o, "top_p", 0, 1, topP)) return e;
    if (auto e = readInteger(o, "top_k", 0, 1 << 30, topK)) return e;
    if (auto e = readNumber(o, "min_p", 0, 1, minP)) return e;
    if (auto e = readNumber(o, "repetition_penalty", 0.01, 100, rep)) return e;
    if (auto e = readInteger(o, "seed", -9007199254740991.0, 9007199254740991.0, seed)) return e;
    if (auto e = readNumber(o, "frequency_penalty", -2, 2, freq)) return e;
    if (auto e = readNumber(o, "presence_penalty", -2, 2, pres)) return e;
    if (auto e = readInteger(o, "n", 1, 128, n)) return e;
    if (n != 1) return unsupportedParameter(QStringLiteral("n"), QStringLiteral("Only n = 1 is supported"));
    const QJsonValue logprobs = o.value(QLatin1String("logprobs"));
    if (logprobs.toBool(false) || (logprobs.isDouble() && logprobs.toDouble() != 0))
        return unsupportedParameter(QStringLiteral("logprobs"), QStringLiteral("'logprobs' is not supported"));
    p.sampling.temperature = static_cast<float>(temp);
    p.sampling.topP = static_cast<float>(topP);
    p.sampling.topK = static_cast<int>(topK);
    p.sampling.minP = static_cast<float>(minP);
    p.sampling.repeatPenalty = static_cast<float>(rep);
    p.sampling.frequencyPenalty = static_cast<float>(freq);
    p.sampling.presencePenalty = static_cast<float>(pres);
    p.sampling.seed = static_cast<uint64_t>(static_cast<int64_t>(seed));
    return std::nullopt;
}

QStringList unknownFields(const QJsonObject& o, const std::set<QString>& known) {
    QStringList out;
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!known.count(it.key())) out << it.key();
    return out;
}

const std::set<QString>& generationFields() {
    static const std::set<QString> k = {
        "model", "stream", "stream_options", "max_tokens", "max_completion_tokens", "stop", "temperature", "top_p",
        "top_k", "min_p", "repetition_penalty", "seed", "frequency_penalty", "presence_penalty", "n", "logprobs",
        "user", "store", "metadata"};
    return k;
}

// Message content: a string or an array of {"type":"text","text":…} parts,
// and in user messages (`images` given) image_url parts.
ApiResult<QString> readContent(const QJsonValue& v, const QString& param, bool allowNull,
                               std::vector<ImagePart>* images) {
    if (v.isString()) return v.toString();
    if ((v.isNull() || v.isUndefined()) && allowNull) return QString();
    if (!v.isArray()) return invalidValue(param, QStringLiteral("'content' must be a string or an array of parts"));
    QString text;
    const QJsonArray parts = v.toArray();
    for (int i = 0; i < parts.size(); ++i) {
        const QJsonObject part = parts[i].toObject();
        const QString type = part.value(QLatin1String("type")).toString();
        const QString partParam = QStringLiteral("%1[%2]").arg(param).arg(i);
        if (type == QLatin1String("image_url") && images) {
            auto image = readImagePart(part, partParam);
            if (!image.ok()) return image.error();
            images->push_back(image.value());
            continue;
        }
        if (type == QLatin1String("image_url"))
            return unsupportedParameter(partParam + QStringLiteral(".type"),
                                        QStringLiteral("Only user messages may hold pictures"));
        if (type != QLatin1String("text"))
            return unsupportedParameter(QStringLiteral("%1[%2].type").arg(param).arg(i),
                                        QStringLiteral("Content part type '%1' is not supported; only 'text' and 'image_url' are")
                                            .arg(type.isEmpty() ? QStringLiteral("(none)") : type));
        if (!part.value(QLatin1String("text")).isString())
            return invalidValue(QStringLiteral("%1[%2].text").arg(param).arg(i),
                                QStringLiteral("A text part needs a 'text' string"));
        if (!text.isEmpty()) text += QLatin1Char('\n');
        text += part.value(QLatin1String("text")).toString();
    }
    return text;
}

MaybeError readMessages(const QJsonObject& o, std::vector<ChatMessage>& out, std::vector<ImageUrl>& urls) {
    const QJsonValue v = o.value(QLatin1String("messages"));
    if (!v.isArray() || v.toArray().isEmpty())
        return invalidValue(QStringLiteral("messages"), QStringLiteral("'messages' must be a non-empty array"));
    const QJsonArray msgs = v.toArray();
    QHash<QString, QString> callNames;  // tool_call_id → function name
    for (int i = 0; i < msgs.size(); ++i) {
        const QString at = QStringLiteral("messages[%1]").arg(i);
        if (!msgs[i].isObject()) return invalidValue(at, QStringLiteral("Each message must be an object"));
        const QJsonObject m = msgs[i].toObject();
        const QString role = m.value(QLatin1String("role")).toString();
        ChatMessage cm;
        const bool toolCalls = role == QLatin1String("assistant") && !m.value(QLatin1String("tool_calls")).toArray().isEmpty();
        if (role == QLatin1String("tool") || toolCalls) {
            if (auto e = readToolTurn(m, at, out, callNames)) return e;
            continue;
        }
        if (role == QLatin1String("system") || role == QLatin1String("developer")) cm.role = ChatMessage::System;
        else if (role == QLatin1String("user")) cm.role = ChatMessage::User;
        else if (role == QLatin1String("assistant")) cm.role = ChatMessage::Model;
        else if (role == QLatin1String("function"))
            return unsupportedParameter(at + QStringLiteral(".role"),
                                        QStringLiteral("Role 'function' is deprecated and not supported; use 'tool'"));
        else
            return invalidValue(at + QStringLiteral(".role"), QStringLiteral("Unknown role '%1'").arg(role));
        std::vector<ImagePart> images;
        auto text = readContent(m.value(QLatin1String("content")), at + QStringLiteral(".content"),
                                cm.role == ChatMessage::Model, cm.role == ChatMessage::User ? &images : nullptr);
        if (!text.ok()) return text.error();
        cm.text = text.value().toStdString();
        for (const ImagePart& p : images) {
            if (!p.url.isEmpty())
                urls.push_back({out.size(), cm.images.size(), p.url, p.maxTokens, p.param});
            cm.images.push_back(p.image);  // null until fetched
        }
        out.push_back(std::move(cm));
    }
    // The model answers a user message, or goes on after its tool results.
    if (out.back().role != ChatMessage::User && out.back().toolResponses.empty())
        return invalidValue(QStringLiteral("messages"), QStringLiteral("The last message must have role 'user' or 'tool'"));
    return std::nullopt;
}

MaybeError readThinking(const QJsonObject& o, bool& thinking) {
    auto effortOn = [](const QJsonValue& v, const QString& param, bool& out) -> MaybeError {
        if (v.isUndefined() || v.isNull()) return std::nullopt;
        const QString e = v.toString();
        if (e == QLatin1String("none")) out = false;
        else if (e == QLatin1String("minimal") || e == QLatin1String("low") || e == QLatin1String("medium") ||
                 e == QLatin1String("high"))
            out = true;
        else
            return invalidValue(param, QStringLiteral("'%1' must be none, minimal, low, medium or high").arg(param));
        return std::nullopt;
    };
    if (auto e = effortOn(o.value(QLatin1String("reasoning_effort")), QStringLiteral("reasoning_effort"), thinking))
        return e;
    const QJsonValue r = o.value(QLatin1String("reasoning"));
    if (r.isObject())
        if (auto e = effortOn(r.toObject().value(QLatin1String("effort")), QStringLiteral("reasoning.effort"), thinking))
            return e;
    const QJsonValue kw = o.value(QLatin1String("chat_template_kwargs"));
    if (kw.isObject() && kw.toObject().contains(QLatin1String("enable_thinking"))) {
        const QJsonValue et = kw.toObject().value(QLatin1String("enable_thinking"));
        if (!et.isBool())
            return invalidValue(QStringLiteral("chat_template_kwargs.enable_thinking"),
                                QStringLiteral("'enable_thinking' must be a boolean"));
        thinking = et.toBool();
    }
    return std::nullopt;
}

}  // namespace

ApiResult<ChatRequest> parseChatRequest(const QByteArray& body) {
    auto obj = parseObject(body);
    if (!obj.ok()) return obj.error();
    const QJsonObject& o = obj.value();
    ChatRequest r;
    if (auto e = readGeneration(o, r.params)) return *e;
    auto tools = readToolUse(o);
    if (!tools.ok()) return tools.error();
    r.tools = std::move(tools).value();
    if (auto e = readMessages(o, r.messages, r.imageUrls)) return *e;
    declareTools(r.tools, r.messages);
    if (auto e = readThinking(o, r.thinking)) return *e;
    std::set<QString> known = generationFields();
    known.insert({"messages", "tools", "tool_choice", "parallel_tool_calls", "response_format", "functions",
                  "reasoning_effort", "reasoning", "chat_template_kwargs"});
    r.params.ignored = unknownFields(o, known);
    return r;
}

ApiResult<CompletionRequest> parseCompletionRequest(const QByteArray& body) {
    auto obj = parseObject(body);
    if (!obj.ok()) return obj.error();
    const QJsonObject& o = obj.value();
    CompletionRequest r;
    r.params.maxTokens = 16;  // OpenAI's default for /v1/completions
    if (auto e = readGeneration(o, r.params)) return *e;
    const QJsonValue prompt = o.value(QLatin1String("prompt"));
    if (prompt.isArray()) {
        const QJsonArray a = prompt.toArray();
        if (a.size() != 1 || !a[0].isString())
            return unsupportedParameter(QStringLiteral("prompt"), QStringLiteral("Only one string prompt is supported"));
        r.prompt = a[0].toString().toStdString();
    } else if (prompt.isString()) {
        r.prompt = prompt.toString().toStdString();
    } else {
        return invalidValue(QStringLiteral("prompt"), QStringLiteral("'prompt' is required and must be a string"));
    }
    if (o.value(QLatin1String("echo")).toBool(false))
        return unsupportedParameter(QStringLiteral("echo"), QStringLiteral("'echo' is not supported"));
    if (o.contains(QLatin1String("suffix")) && !o.value(QLatin1String("suffix")).isNull())
        return unsupportedParameter(QStringLiteral("suffix"), QStringLiteral("'suffix' is not supported"));
    if (o.contains(QLatin1String("best_of")) && o.value(QLatin1String("best_of")).toInt(1) != 1)
        return unsupportedParameter(QStringLiteral("best_of"), QStringLiteral("Only best_of = 1 is supported"));
    std::set<QString> known = generationFields();
    known.insert({"prompt", "echo", "suffix", "best_of"});
    r.params.ignored = unknownFields(o, known);
    return r;
}

ApiResult<EmbeddingRequest> parseEmbeddingRequest(const QByteArray& body) {
    auto obj = parseObject(body);
    if (!obj.ok()) return obj.error();
    const QJsonObject& o = obj.value();
    EmbeddingRequest r;
    const QJsonValue model = o.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return invalidValue(QStringLiteral("model"), QStringLiteral("'model' is required and must be a string"));
    r.model = model.toString();
    const QJsonValue input = o.value(QLatin1String("input"));
    if (input.isString()) {
        r.input.push_back(input.toString().toStdString());
    } else if (input.isArray() && !input.toArray().isEmpty()) {
        for (const QJsonValue& s : input.toArray()) {
            if (!s.isString())
                return unsupportedParameter(QStringLiteral("input"),
                                            QStringLiteral("'input' must be a string or an array of strings "
                                                           "(token arrays are not supported)"));
            r.input.push_back(s.toString().toStdString());
        }
    } else {
        return invalidValue(QStringLiteral("input"),
                            QStringLiteral("'input' is required: a string or a non-empty array of strings"));
    }
    for (const std::string& s : r.input)
        if (s.empty()) return invalidValue(QStringLiteral("input"), QStringLiteral("'input' must not be empty"));
    const QJsonValue fmt = o.value(QLatin1String("encoding_format"));
    if (!fmt.isUndefined() && !fmt.isNull()) {
        if (fmt.toString() == QLatin1String("base64")) r.base64 = true;
        else if (fmt.toString() != QLatin1String("float"))
            return invalidValue(QStringLiteral("encoding_format"),
                                QStringLiteral("'encoding_format' must be 'float' or 'base64'"));
    }
    double dims = 0;
    if (auto e = readInteger(o, "dimensions", 1, 1 << 20, dims)) return *e;
    r.dimensions = static_cast<int>(dims);
    r.ignored = unknownFields(o, {"model", "input", "encoding_format", "dimensions", "user"});
    return r;
}

}  // namespace facet::server
