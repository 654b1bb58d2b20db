#include "remote_reply_source.h"

RemoteReplySource::RemoteReplySource(QObject* parent) : QObject(parent) {
    connect(&client_, &OpenAiClient::delta, this, [this](const QString& thinking, const QString& answer) {
        if (!request_) return;
        if (!sinceFirst_.isValid()) {
            sinceFirst_.start();
            prefillSeconds_ = sinceStart_.elapsed() / 1000.0;
        }
        ++deltas_;
        emit delta(request_, thinking, answer);
    });
    connect(&client_, &OpenAiClient::finished, this, [this](const QString& reason, const QVariantMap& usage) {
        const quint64 id = std::exchange(request_, 0);
        if (id) emit finished(id, stats(reason.isEmpty() ? QStringLiteral("stop") : reason, usage));
    });
    connect(&client_, &OpenAiClient::failed, this, [this](const QString& error) {
        const quint64 id = std::exchange(request_, 0);
        if (id) emit failed(id, error, false);
    });
    connect(&client_, &OpenAiClient::modelsListed, this, [this](const QList<ModelEntry>& models) {
        int context = 0;
        for (const ModelEntry& m : models)
            if (m.id == model_) context = m.contextLength;
        if (context > 0) contextSize_ = context;
        emit ready(contextSize_);
    });
    connect(&client_, &OpenAiClient::modelsFailed, this, &RemoteReplySource::unavailable);
}

void RemoteReplySource::setServer(const QUrl& base, const QString& apiKey, bool allowInsecure, const QString& modelId,
                                  int contextSize) {
    client_.setServer(base, apiKey, allowInsecure);
    model_ = modelId;
    contextSize_ = contextSize;
}

void RemoteReplySource::probe() { client_.listModels(); }

QJsonArray RemoteReplySource::toOpenAiMessages(const QVariantList& history) {
    QJsonArray out;
    for (const QVariant& v : history) {
        const QVariantMap m = v.toMap();
        const QString role = m.value("role").toString();
        out.push_back(QJsonObject{{"role", role == QLatin1String("model") ? QStringLiteral("assistant") : role},
                                  {"content", m.value("text").toString()}});
    }
    return out;
}

QJsonObject RemoteReplySource::toRequestOptions(const QVariantMap& s) {
    // Only fields every OpenAI-compatible server takes: top_k, min_p and the
    // repeat penalty are extensions that strict servers reject.
    QJsonObject o{{"temperature", s.value("temperature", 1.0).toDouble()},
                  {"top_p", s.value("topP", 1.0).toDouble()},
                  {"chat_template_kwargs", QJsonObject{{"enable_thinking", s.value("thinking").toBool()}}}};
    if (const int max = s.value("maxTokens").toInt(); max > 0) o["max_tokens"] = max;
    // JSON numbers are doubles: keep the seed exact (below 2^31).
    if (s.contains("seed")) o["seed"] = qint64(s.value("seed").toULongLong() & 0x7fffffffULL);
    return o;
}

void RemoteReplySource::generate(quint64 requestId, const QVariantList& history, const QVariantMap& settings) {
    request_ = requestId;
    deltas_ = 0;
    prefillSeconds_ = 0;
    sinceStart_.start();
    sinceFirst_.invalidate();
    client_.chat(model_, toOpenAiMessages(history), toRequestOptions(settings));
}

void RemoteReplySource::stop() {
    const quint64 id = std::exchange(request_, 0);
    if (!id) return;
    client_.abort();
    emit finished(id, stats(QStringLiteral("cancelled"), {}));
}

QVariantMap RemoteReplySource::stats(const QString& stopReason, const QVariantMap& usage) const {
    // Without usage (a stopped reply, or a server that sends none) each delta counts as a token.
    const int generated = usage.contains("completion_tokens") ? usage.value("completion_tokens").toInt() : deltas_;
    const double decode = sinceFirst_.isValid() ? sinceFirst_.elapsed() / 1000.0 : 0.0;
    return {{"promptTokens", usage.value("prompt_tokens", 0)},
            {"generated", generated},
            {"prefillSeconds", prefillSeconds_},
            {"decodeSeconds", decode},
            {"stopReason", stopReason},
            {"contextUsed", usage.value("total_tokens", 0)},
            {"contextSize", contextSize_}};
}
