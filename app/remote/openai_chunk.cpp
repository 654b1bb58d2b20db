#include "openai_chunk.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>

namespace {

QString messageOf(const QJsonValue& error) {
    if (error.isString()) return error.toString();
    const QJsonObject o = error.toObject();
    QString m = o.value("message").toString();
    if (m.isEmpty()) m = o.value("type").toString();
    return m;
}

}  // namespace

namespace {

// choices[0][part] ("delta" in a stream chunk, "message" in a whole completion).
ChatChunk parseChoice(const QByteArray& json, const char* part) {
    ChatChunk c;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject()) {
        c.error = QObject::tr("the server sent something that is not JSON (%1)").arg(pe.errorString());
        return c;
    }
    const QJsonObject o = doc.object();
    if (o.contains("error")) {
        c.error = messageOf(o.value("error"));
        if (c.error.isEmpty()) c.error = QObject::tr("the server reported an error without a message");
        return c;
    }
    const QJsonArray choices = o.value("choices").toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        const QJsonObject delta = choice.value(QLatin1String(part)).toObject();
        c.answer = delta.value("content").toString();
        c.thinking = delta.value("reasoning_content").toString();
        if (c.thinking.isEmpty()) c.thinking = delta.value("reasoning").toString();
        c.finishReason = choice.value("finish_reason").toString();
    }
    if (o.value("usage").isObject()) c.usage = o.value("usage").toObject().toVariantMap();
    return c;
}

}  // namespace

ChatChunk parseChatChunk(const QByteArray& json) { return parseChoice(json, "delta"); }

ChatChunk parseChatCompletion(const QByteArray& json) { return parseChoice(json, "message"); }

QString errorBodyMessage(const QByteArray& body) {
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        for (const char* key : {"error", "message", "detail"})
            if (o.contains(key)) {
                const QString m = messageOf(o.value(key));
                if (!m.isEmpty()) return m;
            }
    }
    QString text = QString::fromUtf8(body).trimmed();
    text = text.left(text.indexOf('\n')).left(200);
    return text;
}

QString httpErrorText(int status, const QByteArray& body) {
    const QString m = errorBodyMessage(body);
    const QString detail = m.isEmpty() ? QString() : QStringLiteral(": ") + m;
    switch (status) {
        case 401:
        case 403:
            return QObject::tr("The server refused the API key (HTTP %1)%2. Check the key in the server's settings.")
                .arg(status)
                .arg(detail);
        case 404:
            return QObject::tr("Not found on the server (HTTP 404)%1. Check the base URL and the model name.").arg(detail);
        case 429:
            return QObject::tr("The server is busy or over its rate limit (HTTP 429)%1. Try again in a moment.")
                .arg(detail);
        default:
            break;
    }
    if (status >= 500) return QObject::tr("The server failed (HTTP %1)%2.").arg(status).arg(detail);
    return QObject::tr("The server answered HTTP %1%2.").arg(status).arg(detail);
}

QList<ModelEntry> parseModelList(const QByteArray& json, QString* error) {
    QList<ModelEntry> out;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QJsonValue data = doc.object().value("data");
    if (!data.isArray()) {
        if (error) *error = QObject::tr("the server's model list has no \"data\" array");
        return out;
    }
    for (const QJsonValue& v : data.toArray()) {
        const QJsonObject m = v.toObject();
        ModelEntry e{m.value("id").toString(), 0};
        if (e.id.isEmpty()) continue;
        for (const QJsonValue& n : {m.value("max_model_len"), m.value("context_length"),
                                    m.value("meta").toObject().value("n_ctx_train")})
            if (n.toInt() > 0) {
                e.contextLength = n.toInt();
                break;
            }
        out.push_back(e);
    }
    return out;
}
