// A fake OpenAI-compatible server on loopback for the remote-server tests:
// GET /v1/models and a streamed POST /v1/chat/completions as configured
// (an SSE script written in 7-byte pieces, an error status and body, or a
// stream held open until the client leaves), every request recorded; plus
// SSE chunk builders and an in-memory keyring that answers asynchronously.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include "secret_store.h"

namespace facet::test {

// Answers GET /v1/models and POST /v1/chat/completions as configured.
class FakeOpenAiServer : public QObject {
public:
    struct Request {
        QByteArray method, path, body;
        QHash<QByteArray, QByteArray> headers;  // lower-case names
    };
    int modelsStatus = 200;
    QByteArray modelsBody = R"({"object":"list","data":[{"id":"gemma-4-e4b-it","object":"model","max_model_len":32768}]})";
    int chatStatus = 200;
    QByteArray chatBody;  // the SSE script, or the error body when chatStatus != 200
    QByteArray chatType = "text/event-stream";  // "application/json": a server that does not stream
    bool holdOpen = false;  // after the script, keep the stream open (until the client leaves)
    int busyAnswers = 0;    // the next chat requests get 429 with Retry-After: busyRetryAfter
    QByteArray busyRetryAfter = "0";
    QList<Request> requests;
    int clientsLeft = 0;  // held streams whose client closed the connection

    bool listen() {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = server_.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onRead(s); });
                connect(s, &QTcpSocket::disconnected, this, [this, s] {
                    if (s->property("holding").toBool()) ++clientsLeft;
                    s->deleteLater();
                });
            }
        });
        return server_.listen(QHostAddress::LocalHost, 0);
    }
    // What the user types: with "/v1/" at the end, which must not be doubled.
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1/").arg(server_.serverPort()); }

private:
    void onRead(QTcpSocket* s) {
        QByteArray in = s->property("in").toByteArray() + s->readAll();
        s->setProperty("in", in);
        const qsizetype headEnd = in.indexOf("\r\n\r\n");
        if (headEnd < 0 || s->property("answered").toBool()) return;
        Request r;
        const QList<QByteArray> lines = in.left(headEnd).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        r.path = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i)
            if (const qsizetype c = lines[i].indexOf(':'); c > 0)
                r.headers.insert(lines[i].left(c).trimmed().toLower(), lines[i].mid(c + 1).trimmed());
        const qsizetype length = r.headers.value("content-length", "0").toLongLong();
        if (in.size() < headEnd + 4 + length) return;  // the body is still coming
        r.body = in.mid(headEnd + 4, length);
        s->setProperty("answered", true);
        requests.push_back(r);
        if (r.path == "/v1/models") return reply(s, modelsStatus, "application/json", modelsBody, false);
        if (r.path == "/v1/chat/completions" && r.method == "POST") {
            if (busyAnswers > 0) {
                --busyAnswers;
                return reply(s, 429, "application/json", R"({"error":{"message":"queue full","type":"server_error"}})",
                             false, "Retry-After: " + busyRetryAfter + "\r\n");
            }
            if (chatStatus != 200) return reply(s, chatStatus, "application/json", chatBody, false);
            return reply(s, 200, chatType, chatBody, holdOpen);
        }
        reply(s, 404, "application/json", R"({"error":{"message":"no route"}})", false);
    }

    void reply(QTcpSocket* s, int status, const QByteArray& type, const QByteArray& body, bool hold,
               const QByteArray& extraHeaders = {}) {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + type + "\r\n" + extraHeaders;
        if (!hold) head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        s->write(head + "Connection: close\r\n\r\n");
        // Small writes, so the client sees the stream in pieces.
        for (qsizetype at = 0; at < body.size(); at += 7) s->write(body.mid(at, 7));
        if (hold)
            s->setProperty("holding", true);
        else
            s->disconnectFromHost();
    }

    QTcpServer server_;
};

inline QByteArray sseChunk(const QJsonObject& delta, const QJsonValue& finish = QJsonValue::Null) {
    const QJsonObject chunk{{"id", "chatcmpl-1"},
                            {"object", "chat.completion.chunk"},
                            {"model", "gemma-4-e4b-it"},
                            {"choices", QJsonArray{QJsonObject{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}};
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + "\n\n";
}

// A whole answer: thinking under `field`, the answer, finish, usage, [DONE].
inline QByteArray answerScript(const QString& field) {
    return sseChunk({{"role", "assistant"}, {"content", ""}}) + ": ping\n\n" + sseChunk({{field, "Let me "}}) +
           sseChunk({{field, "think."}}) + sseChunk({{"content", "Hello"}}) + sseChunk({{"content", " there!"}}) +
           sseChunk({}, "stop") +
           R"(data: {"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}})"
           "\n\ndata: [DONE]\n\n";
}

// An in-memory keyring answering asynchronously, as QtKeychain does.
class MemoryKeyring : public SecretStore {
public:
    explicit MemoryKeyring(QHash<QString, QString>* secrets) : secrets_(secrets) {}
    void write(const QString& key, const QString& secret, Done done) override {
        secrets_->insert(key, secret);
        QTimer::singleShot(0, [done] { done({}); });
    }
    void read(const QString& key, Got done) override {
        QTimer::singleShot(0, [done, s = secrets_->value(key)] { done(s, {}); });
    }
    void remove(const QString& key, Done done) override {
        secrets_->remove(key);
        QTimer::singleShot(0, [done] { done({}); });
    }
    QString location() const override { return QStringLiteral("the test keyring"); }
    bool inFile() const override { return false; }

private:
    QHash<QString, QString>* secrets_;
};

}  // namespace facet::test
