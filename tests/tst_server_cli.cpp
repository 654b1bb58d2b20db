// `facet-cli serve` end to end: the process on a free port with a tiny
// random-weight chat model (gibberish answers: only the protocol is checked)
// and the EmbeddingGemma test model, spoken to over real HTTP: health, models,
// auth, unknown model, chat with and without streaming, the context limit,
// embeddings against the engine's own forward pass, the host and key rules,
// and a clean stop on SIGTERM.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <algorithm>
#include <memory>

#include <cmath>

#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"
#include "tokenizer/tokenizer.h"

namespace ft = facet::test;
using ft::kHangMs;

namespace {

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value("error").toObject(); }
};

// Waits for "listening on http://HOST:PORT" on the child's stdout; 0 if it never came.
int waitForListening(QProcess& p, const QString& host) {
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (!out.contains('\n') && p.state() != QProcess::NotRunning && t.elapsed() < kHangMs) {
        p.waitForReadyRead(1000);
        out += p.readAllStandardOutput();
    }
    const QString line = QString::fromUtf8(out).trimmed();
    const QString prefix = "listening on http://" + host + ":";
    if (!line.startsWith(prefix) || line.contains('\n')) return 0;
    return line.mid(prefix.size()).toInt();
}

}  // namespace

class TstServerCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_, embedModel_;
    QProcess server_;
    int port_ = 0;
    QNetworkAccessManager net_;

    Reply call(const QByteArray& method, const QString& path, const QByteArray& body = {},
               const QByteArray& key = "test-key") {
        QNetworkRequest req(QUrl(QString("http://127.0.0.1:%1%2").arg(port_).arg(path)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        if (!key.isEmpty()) req.setRawHeader("Authorization", "Bearer " + key);
        QNetworkReply* r = net_.sendCustomRequest(req, method, body);
        QSignalSpy done(r, &QNetworkReply::finished);
        if (!r->isFinished()) done.wait(kHangMs);
        Reply out;
        out.status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = r->readAll();
        r->deleteLater();
        return out;
    }

    static QByteArray chatBody(const QString& content, const QString& extra = {}) {
        QJsonObject o{{"model", "chat"},
                      {"max_tokens", 6},
                      {"temperature", 0},
                      {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", content}}}}};
        QByteArray b = QJsonDocument(o).toJson(QJsonDocument::Compact);
        if (!extra.isEmpty()) b.insert(1, extra.toUtf8() + ",");
        return b;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        model_ = dir_.filePath("chat.gguf");
        const ft::ProcessOutcome mk =
            ft::runProgram(ft::mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model_});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
        embedModel_ = ft::dataFile("embedding/embgemma-like.s11.gguf");
        server_.setProcessEnvironment(ft::headlessEnvironment());
        server_.start(ft::cliPath(), {"serve", "--model", model_, "--port", "0", "--backend", "cpu", "--ctx", "128",
                                      "--api-key", "test-key", "--embed-model", embedModel_});
        QVERIFY(server_.waitForStarted(kHangMs));
        port_ = waitForListening(server_, "127.0.0.1");
        QVERIFY2(port_ > 0, server_.readAllStandardError().constData());
    }

    void healthNeedsNoKey() {
        const Reply r = call("GET", "/health", {}, {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("status").toString(), QString("ok"));
    }

    void modelsListBoth() {
        const Reply r = call("GET", "/v1/models");
        QCOMPARE(r.status, 200);
        const QJsonArray data = r.json().value("data").toArray();
        QCOMPARE(data.size(), 2);
        QCOMPARE(data[0].toObject().value("id").toString(), QString("chat"));
        QCOMPARE(data[0].toObject().value("context_length").toInt(), 128);
        QCOMPARE(data[1].toObject().value("id").toString(), QString("embgemma-like.s11"));
    }

    void v1NeedsTheKey() {
        for (const QByteArray& key : {QByteArray(), QByteArray("wrong")}) {
            const Reply m = call("GET", "/v1/models", {}, key);
            QCOMPARE(m.status, 401);
            QCOMPARE(m.error().value("type").toString(), QString("authentication_error"));
            const Reply c = call("POST", "/v1/chat/completions", chatBody("hi"), key);
            QCOMPARE(c.status, 401);
        }
    }

    void unknownModelIs404() {
        const Reply r = call("POST", "/v1/chat/completions", chatBody("hi").replace("\"chat\"", "\"gpt-4o\""));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.error().value("code").toString(), QString("model_not_found"));
    }

    void chatWithoutStreaming() {
        const Reply r = call("POST", "/v1/chat/completions", chatBody("Say hello"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value("object").toString(), QString("chat.completion"));
        QVERIFY(o.value("id").toString().startsWith("chatcmpl-"));
        QCOMPARE(o.value("model").toString(), QString("chat"));
        const QJsonObject choice = o.value("choices").toArray().at(0).toObject();
        const QString finish = choice.value("finish_reason").toString();
        QVERIFY2(finish == "stop" || finish == "length", qPrintable(finish));
        QCOMPARE(choice.value("message").toObject().value("role").toString(), QString("assistant"));
        QVERIFY(choice.value("message").toObject().value("content").isString());
        const QJsonObject u = o.value("usage").toObject();
        QVERIFY(u.value("prompt_tokens").toInt() > 3);
        QVERIFY(u.value("completion_tokens").toInt() <= 6);
        if (finish == "length") QCOMPARE(u.value("completion_tokens").toInt(), 6);
        QCOMPARE(u.value("total_tokens").toInt(), u.value("prompt_tokens").toInt() + u.value("completion_tokens").toInt());
        const int cached = u.value("prompt_tokens_details").toObject().value("cached_tokens").toInt(-1);
        QVERIFY(cached >= 0 && cached < u.value("prompt_tokens").toInt());
    }

    void chatStreaming() {
        const Reply r = call("POST", "/v1/chat/completions",
                             chatBody("Say hello", "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.endsWith("data: [DONE]\n\n"), r.body.right(200).constData());
        const QList<QByteArray> events = r.body.split('\n');
        QStringList ids;
        int finishes = 0, usages = 0, roles = 0, contentChunks = 0;
        for (int i = 0; i < events.size(); ++i) {
            const QByteArray& line = events[i];
            // SSE comments (": queued" while an earlier request finishes) are legal and skipped.
            if (line.isEmpty() || line == "data: [DONE]" || line.startsWith(':')) continue;
            QVERIFY2(line.startsWith("data: {"), line.constData());
            QJsonParseError err{};
            const QJsonObject c = QJsonDocument::fromJson(line.mid(6), &err).object();
            QVERIFY2(err.error == QJsonParseError::NoError, line.constData());
            QCOMPARE(c.value("object").toString(), QString("chat.completion.chunk"));
            ids << c.value("id").toString();
            const QJsonArray choices = c.value("choices").toArray();
            if (choices.isEmpty()) {
                ++usages;
                QVERIFY(c.value("usage").toObject().value("total_tokens").toInt() > 0);
                continue;
            }
            const QJsonObject delta = choices[0].toObject().value("delta").toObject();
            if (delta.contains("role")) ++roles;
            if (delta.contains("content") && !delta.contains("role")) {
                QVERIFY(!delta.value("content").toString().isEmpty());
                ++contentChunks;
            }
            if (!choices[0].toObject().value("finish_reason").isNull()) {
                ++finishes;
                QVERIFY(delta.isEmpty());
            }
        }
        QCOMPARE(roles, 1);
        QCOMPARE(finishes, 1);
        QCOMPARE(usages, 1);
        QVERIFY(ids.size() >= 3);
        QCOMPARE(ids.count(ids.first()), ids.size());
    }

    void promptOverTheContextIs400() {
        QString longText;
        for (int i = 0; i < 200; ++i) longText += QString("word%1 ").arg(i);
        const Reply r = call("POST", "/v1/chat/completions", chatBody(longText));
        QCOMPARE(r.status, 400);
        const QJsonObject e = r.error();
        QCOMPARE(e.value("code").toString(), QString("context_length_exceeded"));
        QCOMPARE(e.value("n_ctx").toInt(), 128);
        const int n = e.value("n_prompt_tokens").toInt();
        QVERIFY(n > 128);
        QCOMPARE(e.value("message").toString(),
                 QString("This model's maximum context length is 128 tokens. However, your messages resulted in %1 tokens.").arg(n));
    }

    void embeddingsMatchTheEngine() {
        auto model = facet::EmbeddingModel::open(embedModel_.toStdString());
        QVERIFY2(model.ok(), model.ok() ? "" : model.message().c_str());
        auto tok = facet::Tokenizer::fromGguf(model.value()->gguf());
        QVERIFY(tok.ok());
        facet::EmbeddingForward forward(*model.value());
        const std::vector<std::string> texts{"hello world", "a second text"};
        std::vector<std::vector<int>> seqs;
        for (const auto& t : texts) seqs.push_back(tok.value()->encodeWithSpecials(t));
        auto expected = forward.embed(seqs);
        QVERIFY(expected.ok());

        for (const bool base64 : {false, true}) {
            const QByteArray body = QByteArray("{\"model\":\"embgemma-like.s11\",\"input\":[\"hello world\",\"a second text\"]") +
                                    (base64 ? ",\"encoding_format\":\"base64\"}" : "}");
            const Reply r = call("POST", "/v1/embeddings", body);
            QCOMPARE(r.status, 200);
            const QJsonArray data = r.json().value("data").toArray();
            QCOMPARE(data.size(), 2);
            for (int i = 0; i < 2; ++i) {
                const QJsonObject d = data[i].toObject();
                QCOMPARE(d.value("index").toInt(), i);
                std::vector<float> got;
                if (base64) {
                    const QByteArray raw = QByteArray::fromBase64(d.value("embedding").toString().toLatin1());
                    for (int k = 0; k + 4 <= raw.size(); k += 4) got.push_back(qFromLittleEndian<float>(raw.constData() + k));
                } else {
                    for (const QJsonValue& v : d.value("embedding").toArray()) got.push_back(float(v.toDouble()));
                }
                const std::vector<float>& want = expected.value()[size_t(i)];
                QCOMPARE(got.size(), want.size());
                for (size_t k = 0; k < want.size(); ++k)
                    QVERIFY2(std::fabs(got[k] - want[k]) <= 1e-5f, qPrintable(QString("row %1 value %2").arg(i).arg(k)));
            }
            QVERIFY(r.json().value("usage").toObject().value("prompt_tokens").toInt() > 0);
        }
        // dimensions: the first N values renormalized, as the engine's Matryoshka cut.
        auto cut = forward.embed({seqs[0]}, 32);
        QVERIFY(cut.ok());
        const Reply d = call("POST", "/v1/embeddings",
                             "{\"model\":\"embgemma-like.s11\",\"input\":\"hello world\",\"dimensions\":32}");
        QCOMPARE(d.status, 200);
        const QJsonArray values = d.json().value("data").toArray().at(0).toObject().value("embedding").toArray();
        QCOMPARE(values.size(), 32);
        for (int k = 0; k < 32; ++k) QVERIFY(std::fabs(float(values[k].toDouble()) - cut.value()[0][size_t(k)]) <= 1e-5f);
        const Reply tooMany = call("POST", "/v1/embeddings",
                                   "{\"model\":\"embgemma-like.s11\",\"input\":\"x\",\"dimensions\":100000}");
        QCOMPARE(tooMany.status, 400);
        QCOMPARE(tooMany.error().value("param").toString(), QString("dimensions"));
        const Reply wrong = call("POST", "/v1/embeddings", "{\"model\":\"chat\",\"input\":\"x\"}");
        QCOMPARE(wrong.status, 404);
    }

    // What the HTTP server refuses before the API sees it: a foreign Host
    // (DNS rebinding) and a body over 32 MiB, told from Content-Length alone.
    void serverLimitsApply() {
        auto statusLine = [this](const QByteArray& request) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, quint16(port_));
            if (!s.waitForConnected(kHangMs)) return QByteArray("no connection");
            s.write(request);
            QByteArray in;
            while (!in.contains("\r\n") && s.waitForReadyRead(kHangMs)) in += s.readAll();
            return in.left(in.indexOf("\r\n"));
        };
        QCOMPARE(statusLine("GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n").left(12), QByteArray("HTTP/1.1 403"));
        QCOMPARE(statusLine("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-key\r\n"
                            "Content-Length: 40000000\r\n\r\n").left(12),
                 QByteArray("HTTP/1.1 413"));
    }

    // 64 streams at once on one engine: each either streams to [DONE] or is
    // told 429 with Retry-After (32 wait besides the running one); none hangs.
    void manyConcurrentStreamsFinishOrGet429() {
        constexpr int kClients = 64;
        const QByteArray body = chatBody("Count to three", "\"stream\":true");
        const QByteArray request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port_) +
                                   "\r\nAuthorization: Bearer test-key\r\nContent-Type: application/json\r\n"
                                   "Connection: close\r\nContent-Length: " + QByteArray::number(body.size()) +
                                   "\r\n\r\n" + body;
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        std::vector<QByteArray> received(kClients);
        for (int i = 0; i < kClients; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            QTcpSocket* s = sockets.back().get();
            connect(s, &QTcpSocket::readyRead, this, [s, &received, i] { received[i] += s->readAll(); });
            connect(s, &QTcpSocket::connected, this, [s, request] { s->write(request); });
            s->connectToHost(QHostAddress::LocalHost, quint16(port_));
        }
        // Connection: close, so every answer ends with the server closing the socket.
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sockets.begin(), sockets.end(),
                                             [](const auto& s) { return s->state() == QAbstractSocket::UnconnectedState; }),
                                 kHangMs);
        int streamed = 0, refused = 0;
        for (int i = 0; i < kClients; ++i) {
            received[i] += sockets[i]->readAll();
            const QByteArray& r = received[i];
            if (r.startsWith("HTTP/1.1 200") && r.contains("data: [DONE]")) ++streamed;
            else if (r.startsWith("HTTP/1.1 429") && r.toLower().contains("retry-after:") && r.contains("queue_full")) ++refused;
            else QFAIL(qPrintable(QString("client %1 got: %2").arg(i).arg(QString::fromUtf8(r.left(300)))));
        }
        QCOMPARE(streamed + refused, kClients);
        QVERIFY2(streamed >= 33, qPrintable(QString::number(streamed)));  // 429 only once 32 were waiting
        QCOMPARE(call("GET", "/health", {}, {}).status, 200);  // and the server still answers
    }

    void nonLoopbackHostNeedsAKey() {
        const ft::ProcessOutcome o = ft::runProgram(
            ft::cliPath(), {"serve", "--model", model_, "--host", "0.0.0.0", "--port", "0", "--no-auth"}, {},
            ft::headlessEnvironment());
        ft::expectOneLineError(o, "--api-key");
        QVERIFY(o.out.isEmpty());
    }

    void badReasoningFieldFailsInOneLine() {
        const ft::ProcessOutcome o = ft::runProgram(
            ft::cliPath(), {"serve", "--model", model_, "--port", "0", "--reasoning-field", "thoughts"}, {},
            ft::headlessEnvironment());
        ft::expectOneLineError(o, "--reasoning-field");
        QVERIFY(o.out.isEmpty());
    }

    void missingModelFailsInOneLine() {
        const ft::ProcessOutcome o = ft::runProgram(
            ft::cliPath(), {"serve", "--model", dir_.filePath("none.gguf"), "--port", "0"}, {}, ft::headlessEnvironment());
        ft::expectOneLineError(o, "none.gguf");
        QVERIFY(o.out.isEmpty());
    }

    void randomKeyWithoutFlags() {
        QProcess p;
        p.setProcessEnvironment(ft::headlessEnvironment());
        p.start(ft::cliPath(), {"serve", "--model", model_, "--port", "0", "--backend", "cpu", "--ctx", "64"});
        QVERIFY(p.waitForStarted(kHangMs));
        const int port = waitForListening(p, "127.0.0.1");
        QVERIFY(port > 0);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        const qsizetype at = err.indexOf("sk-facet-");
        QVERIFY2(at >= 0, qPrintable(err));
        const QString key = err.mid(at).section('\n', 0, 0).trimmed();
        QCOMPARE(key.size(), 9 + 43);  // base64url of 32 bytes, no padding
        p.terminate();
        QVERIFY(p.waitForFinished(kHangMs));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }

    void cleanupTestCase() {
        server_.terminate();  // SIGTERM: a clean stop
        QVERIFY(server_.waitForFinished(kHangMs));
        QCOMPARE(server_.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server_.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TstServerCli)
#include "tst_server_cli.moc"
