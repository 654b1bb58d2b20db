#include "openai_client.h"

#include <algorithm>

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include "remote_url.h"

namespace {

constexpr int kModelsTimeoutMs = 10000;
// No byte for this long means the server is gone; a long prompt's prefill
// on a busy server can take minutes before the first token.
constexpr int kChatIdleTimeoutMs = 300000;
constexpr int kBusyRetries = 3;  // a busy server (429/503) is asked again this often
constexpr qsizetype kMaxBodyBytes = 16 * 1024 * 1024;  // an error page or a whole non-streamed answer

}  // namespace

OpenAiClient::OpenAiClient(QObject* parent)
    : QObject(parent), nam_(new QNetworkAccessManager(this)), retryTimer_(new QTimer(this)) {
    // The key must only go to the origin the user typed.
    nam_->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    retryTimer_->setSingleShot(true);
    connect(retryTimer_, &QTimer::timeout, this, [this] {
        if (QNetworkReply* busy = chat_) busy->deleteLater();
        chat_ = nullptr;
        startChat();
    });
}

OpenAiClient::~OpenAiClient() {
    abort();
    if (models_) {
        models_->disconnect(this);
        models_->abort();
    }
}

void OpenAiClient::setServer(const QUrl& base, const QString& apiKey, bool allowInsecure) {
    base_ = base;
    apiKey_ = apiKey;
    allowInsecure_ = allowInsecure;
}

QNetworkReply* OpenAiClient::send(const QString& route, const QByteArray& body, int timeoutMs) {
    QNetworkRequest req(apiUrl(base_, route));
    req.setTransferTimeout(timeoutMs);
    req.setRawHeader("Accept", body.isNull() ? "application/json" : "text/event-stream");
    if (!apiKey_.isEmpty()) req.setRawHeader("Authorization", "Bearer " + apiKey_.toUtf8());
    if (body.isNull()) return nam_->get(req);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return nam_->post(req, body);
}

QString OpenAiClient::networkErrorText(QNetworkReply* reply) const {
    const QString where = base_.host() + (base_.port() > 0 ? QStringLiteral(":%1").arg(base_.port()) : QString());
    switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
            return tr("Nothing answers at %1: is the server running?").arg(where);
        case QNetworkReply::HostNotFoundError:
            return tr("The host %1 was not found").arg(base_.host());
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:  // the transfer timeout
            return tr("%1 stopped answering (timed out)").arg(where);
        case QNetworkReply::SslHandshakeFailedError:
            return tr("The TLS connection to %1 failed: %2").arg(where, reply->errorString());
        default:
            return tr("Could not talk to %1: %2").arg(where, reply->errorString());
    }
}

void OpenAiClient::listModels() {
    if (const QString why = checkTransport(base_, allowInsecure_); !why.isEmpty()) {
        emit modelsFailed(why);
        return;
    }
    if (models_) {
        models_->disconnect(this);
        models_->abort();
    }
    QNetworkReply* reply = send(QStringLiteral("models"), QByteArray(), kModelsTimeoutMs);
    models_ = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (models_ == reply) models_ = nullptr;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 0) return emit modelsFailed(networkErrorText(reply));
        if (status != 200) return emit modelsFailed(httpErrorText(status, body));
        QString error;
        const QList<ModelEntry> list = parseModelList(body, &error);
        if (!error.isEmpty()) return emit modelsFailed(error);
        emit modelsListed(list);
    });
}

void OpenAiClient::chat(const QString& model, const QJsonArray& messages, const QJsonObject& options) {
    abort();
    if (const QString why = checkTransport(base_, allowInsecure_); !why.isEmpty()) {
        emit failed(why);
        return;
    }
    QJsonObject body = options;
    body["model"] = model;
    body["messages"] = messages;
    body["stream"] = true;
    body["stream_options"] = QJsonObject{{"include_usage", true}};
    chatBody_ = QJsonDocument(body).toJson(QJsonDocument::Compact);
    busyRetries_ = 0;
    startChat();
}

void OpenAiClient::startChat() {
    parser_ = SseParser();
    body_.clear();
    wholeJson_ = done_ = false;
    finishReason_.clear();
    usage_.clear();
    QNetworkReply* reply = send(QStringLiteral("chat/completions"), chatBody_, kChatIdleTimeoutMs);
    chat_ = reply;
    connect(reply, &QNetworkReply::readyRead, this, &OpenAiClient::onChatData);
    connect(reply, &QNetworkReply::finished, this, &OpenAiClient::onChatDone);
}

bool OpenAiClient::retryWhenBusy(QNetworkReply* reply, int status) {
    if ((status != 429 && status != 503) || busyRetries_ >= kBusyRetries) return false;
    ++busyRetries_;
    bool numeric = false;
    const int after = reply->rawHeader("Retry-After").trimmed().toInt(&numeric);
    const int seconds = numeric ? std::clamp(after, 0, 30) : 2;  // an HTTP date: a short default
    chat_ = reply;  // still "chatting": abort() cancels the wait
    reply->disconnect(this);
    retryTimer_->start(seconds * 1000);
    emit retrying(seconds);
    return true;
}

void OpenAiClient::abort() {
    retryTimer_->stop();
    QNetworkReply* reply = chat_;
    if (!reply) return;
    chat_ = nullptr;
    reply->disconnect(this);
    reply->abort();  // closes the socket now: the server sees the client leave
    reply->deleteLater();
}

void OpenAiClient::onChatData() {
    QNetworkReply* reply = chat_;
    if (!reply) return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    wholeJson_ = status == 200 && reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(
                                      QLatin1String("application/json"));
    if (status != 200 || wholeJson_) {
        // Read at the end; bounded, as a hostile server could send forever.
        if (body_.size() + bytes.size() > kMaxBodyBytes) return failChat(tr("The server's answer is too large"));
        body_ += bytes;
        return;
    }
    for (const SseEvent& e : parser_.feed(bytes)) {
        handleEvent(e);
        if (chat_ != reply) return;  // failed or ended
    }
    if (!parser_.error().isEmpty()) failChat(parser_.error());
}

void OpenAiClient::handleEvent(const SseEvent& e) {
    if (done_) return;
    if (e.data == "[DONE]") {
        done_ = true;
        return;
    }
    const ChatChunk c = parseChatChunk(e.data);
    if (!c.error.isEmpty() || e.event == "error") {
        const QString text = c.error.isEmpty() ? QString::fromUtf8(e.data) : c.error;
        return failChat(tr("The server reported an error: %1").arg(text));
    }
    if (!c.usage.isEmpty()) usage_ = c.usage;
    if (!c.finishReason.isEmpty()) finishReason_ = c.finishReason;
    if (!c.thinking.isEmpty() || !c.answer.isEmpty()) emit delta(c.thinking, c.answer);
}

void OpenAiClient::failChat(const QString& error) {
    abort();
    emit failed(error);
}

void OpenAiClient::onChatDone() {
    QNetworkReply* reply = chat_;
    if (!reply) return;
    onChatData();  // whatever arrived with the end
    if (chat_ != reply) return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
        for (const SseEvent& e : parser_.finish()) {
            handleEvent(e);
            if (chat_ != reply) return;  // an error event: failed() was emitted
        }
    }
    if (retryWhenBusy(reply, status)) return;
    chat_ = nullptr;
    reply->deleteLater();
    if (status == 0) return emit failed(networkErrorText(reply));
    if (status != 200) return emit failed(httpErrorText(status, body_));
    if (wholeJson_) {
        const ChatChunk c = parseChatCompletion(body_);
        if (!c.error.isEmpty()) return emit failed(tr("The server reported an error: %1").arg(c.error));
        if (!c.thinking.isEmpty() || !c.answer.isEmpty()) emit delta(c.thinking, c.answer);
        return emit finished(c.finishReason, c.usage);
    }
    if (!done_ && finishReason_.isEmpty() && reply->error() != QNetworkReply::NoError)
        return emit failed(networkErrorText(reply));
    if (!done_ && finishReason_.isEmpty())
        return emit failed(tr("The server closed the connection before the answer was complete"));
    emit finished(finishReason_, usage_);
}
