// HttpServer over real QTcpSocket clients on loopback: keep-alive and
// pipelining, chunked streaming seen chunk by chunk, the size limits (413
// from Content-Length alone, 431), the header deadline (slowloris, 408), a
// client leaving mid-stream, the connection cap, Host/API-key/CORS checks
// and IPv6 listening. Every wait is bounded by kHangMs; nothing asserts how
// long anything took.
#include <QtTest>

#include "support/hang_guard.h"
#include "http_server.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QThread>

#include <optional>

using namespace facet::http;
using facet::test::kHangMs;

namespace {

struct Response {
    int status = 0;
    HeaderList headers;
    QByteArray body;
    bool chunked = false;

    QByteArray header(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
        return {};
    }
    bool hasHeader(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return true;
        return false;
    }
    bool hasAnyCorsHeader() const {
        for (const auto& h : headers)
            if (h.first.toLower().startsWith("access-control-")) return true;
        return false;
    }
    QJsonObject error() const { return QJsonDocument::fromJson(body).object().value("error").toObject(); }
};

// One response from the front of `buf` (removed from it), or nothing while
// incomplete. `closed`: the connection ended, so a body without length is whole.
std::optional<Response> takeResponse(QByteArray& buf, bool closed) {
    const qsizetype headEnd = buf.indexOf("\r\n\r\n");
    if (headEnd < 0) return std::nullopt;
    const QList<QByteArray> lines = buf.left(headEnd).split('\n');
    Response r;
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || statusLine[0] != "HTTP/1.1") return std::nullopt;
    r.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    qsizetype pos = headEnd + 4;
    if (r.header("transfer-encoding") == "chunked") {
        r.chunked = true;
        for (;;) {
            const qsizetype eol = buf.indexOf("\r\n", pos);
            if (eol < 0) return std::nullopt;
            bool ok = false;
            const qsizetype size = buf.mid(pos, eol - pos).toLongLong(&ok, 16);
            if (!ok) return std::nullopt;
            if (buf.size() < eol + 2 + size + 2) return std::nullopt;
            r.body += buf.mid(eol + 2, size);
            pos = eol + 2 + size + 2;
            if (size == 0) break;
        }
    } else if (r.hasHeader("content-length")) {
        const qsizetype length = r.header("content-length").toLongLong();
        if (buf.size() < pos + length) return std::nullopt;
        r.body = buf.mid(pos, length);
        pos += length;
    } else if (r.status != 204 && r.status != 304) {
        if (!closed) return std::nullopt;
        r.body = buf.mid(pos);
        pos = buf.size();
    }
    buf.remove(0, pos);
    return r;
}

// A test client that records everything it receives.
class Client {
public:
    Client(const QHostAddress& address, quint16 port) {
        QObject::connect(&socket, &QTcpSocket::readyRead, [this] { received += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, [this] { closed = true; });
        socket.connectToHost(address, port);
    }
    bool waitConnected() {
        return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; }, kHangMs);
    }
    bool waitClosed() {
        return QTest::qWaitFor([this] { return closed || socket.state() == QAbstractSocket::UnconnectedState; },
                               kHangMs);
    }
    void send(const QByteArray& bytes) {
        if (!waitConnected()) return;  // the next wait then fails
        socket.write(bytes);
        socket.flush();
    }
    // The next whole response (nothing when the connection ended first).
    std::optional<Response> next() {
        std::optional<Response> r;
        (void)QTest::qWaitFor([&] { return bool(r = takeResponse(received, closed)) || closed; }, kHangMs);
        if (!r) r = takeResponse(received, true);
        return r;
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
};

QByteArray get(const QByteArray& path, const QByteArray& extra = {}, quint16 port = 0) {
    const QByteArray host = port ? "localhost:" + QByteArray::number(port) : QByteArray("localhost");
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n";
}

// Answers "METHOD PATH BODY" in text.
void echo(const HttpRequest& r, HttpResponder* responder) {
    responder->send(200, {{"Content-Type", "text/plain"}}, r.method + ' ' + r.path + ' ' + r.body);
}

HttpServerOptions loopbackV4() {
    HttpServerOptions o;
    o.listenAddresses = {QHostAddress(QHostAddress::LocalHost)};
    return o;
}

const QHostAddress kV4(QHostAddress::LocalHost);

}  // namespace

class TstHttpServer : public QObject {
    Q_OBJECT
private slots:
    void keepAliveServesTwoRequestsOnOneConnection() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        QVERIFY(server.port() != 0);
        Client c(kV4, server.port());
        c.send(get("/one"));
        auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("GET /one "));
        QVERIFY(!r->hasHeader("connection"));
        c.send("POST /two HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc");
        r = c.next();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("POST /two abc"));
        QVERIFY(!c.closed);
        QCOMPARE(server.connectionCount(), 1);
    }

    void pipelinedRequestsAreAnsweredInOrder() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/a") + "POST /b HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n" +
               get("/c"));
        for (const QByteArray expected : {"GET /a ", "POST /b hi", "GET /c "}) {
            const auto r = c.next();
            QVERIFY(r);
            QCOMPARE(r->body, expected);
        }
    }

    void largeBodyArrivesWhole() {
        HttpServer server(loopbackV4(), [](const HttpRequest& r, HttpResponder* p) {
            p->send(200, {}, QByteArray::number(r.body.size()) + ' ' + QByteArray::number(qChecksum(r.body)));
        });
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        QByteArray body(3 << 20, '\0');  // several socket read buffers' worth
        for (qsizetype i = 0; i < body.size(); ++i) body[i] = char(i * 7 + i / 4093);
        c.send("POST /big HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + QByteArray::number(body.size()) +
               "\r\n\r\n" + body);
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray::number(body.size()) + ' ' + QByteArray::number(qChecksum(body)));
    }

    void expectContinueGets100BeforeTheBody() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("POST /e HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return c.received.contains("\r\n\r\n"); }, kHangMs));
        QCOMPARE(c.received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        c.received.clear();
        c.send("ok");
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("POST /e ok"));
    }

    void servesFromItsOwnThread() {
        QThread thread;
        auto* server = new HttpServer(loopbackV4(), [](const HttpRequest& r, HttpResponder* p) {
            p->send(200, {}, QThread::currentThread() == qApp->thread() ? "main" : "worker");
        });
        server->moveToThread(&thread);
        connect(&thread, &QThread::finished, server, &QObject::deleteLater);
        thread.start();
        QString error;
        quint16 port = 0;
        QMetaObject::invokeMethod(server, [&] { error = server->listen(); port = server->port(); },
                                  Qt::BlockingQueuedConnection);
        QCOMPARE(error, QString());
        Client c(kV4, port);
        c.send(get("/t"));
        const auto r = c.next();
        thread.quit();
        QVERIFY(thread.wait(kHangMs));
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("worker"));
    }

    void connectionCloseIsHonoured() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/", "Connection: close\r\n"));
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(c.waitClosed());
    }

    void http10ClosesUnlessKeepAlive() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("GET /old HTTP/1.0\r\n\r\n");
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("GET /old "));
        QVERIFY(c.waitClosed());
    }

    void headRequestGetsNoBody() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("HEAD /x HTTP/1.1\r\nHost: localhost\r\n\r\n" + get("/y"));
        // The HEAD answer announces 7 bytes but sends none, so the GET's answer follows at once.
        QVERIFY(QTest::qWaitFor([&] { return c.received.contains("GET /y "); }, kHangMs));
        QVERIFY(c.received.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(c.received.contains("Content-Length: 7\r\n"));
        QVERIFY(!c.received.contains("HEAD /x"));
    }

    void streamsChunksAsTheyAreWritten() {
        QPointer<HttpResponder> stream;
        HttpServer server(loopbackV4(), [&](const HttpRequest&, HttpResponder* responder) {
            stream = responder;
            responder->beginStream(200, {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}});
            responder->write("data: a\n\n");
        });
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/v1/chat/completions"));
        QVERIFY(QTest::qWaitFor([&] { return c.received.contains("data: a\n\n"); }, kHangMs));
        QVERIFY(c.received.contains("Transfer-Encoding: chunked\r\n"));
        QVERIFY(c.received.contains("Content-Type: text/event-stream\r\n"));
        QVERIFY(!c.received.contains("\r\n0\r\n\r\n"));  // not ended
        QVERIFY(stream && stream->isOpen());
        stream->write("data: b\n\n");
        QVERIFY(QTest::qWaitFor([&] { return c.received.contains("data: b\n\n"); }, kHangMs));
        QVERIFY(!c.received.contains("\r\n0\r\n\r\n"));
        stream->end();
        const auto r = c.next();
        QVERIFY(r);
        QVERIFY(r->chunked);
        QCOMPARE(r->body, QByteArray("data: a\n\ndata: b\n\n"));
        QTRY_VERIFY_WITH_TIMEOUT(stream.isNull(), kHangMs);  // freed once finished
        // Keep-alive after a complete stream.
        QVERIFY(!c.closed);
        c.send(get("/again"));  // streams "data: a" again
        QVERIFY(QTest::qWaitFor([&] { return c.received.contains("data: a"); }, kHangMs));
        QVERIFY(stream);
        stream->end();
    }

    void clientLeavingMidStreamEmitsDisconnected() {
        QPointer<HttpResponder> stream;
        HttpServer server(loopbackV4(), [&](const HttpRequest&, HttpResponder* responder) {
            stream = responder;
            responder->beginStream(200, {{"Content-Type", "text/event-stream"}});
            responder->write("data: first\n\n");
        });
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/stream"));
        QVERIFY(QTest::qWaitFor([&] { return c.received.contains("data: first"); }, kHangMs));
        QVERIFY(stream);
        QSignalSpy left(stream.data(), &HttpResponder::disconnected);
        c.socket.abort();
        QVERIFY(left.wait(kHangMs));
        QCOMPARE(left.count(), 1);
        QVERIFY(stream);  // still valid: the handler has not ended it
        QVERIFY(!stream->isOpen());
        stream->write("data: ignored\n\n");  // no crash, no effect
        stream->end();
        QTRY_VERIFY_WITH_TIMEOUT(stream.isNull(), kHangMs);
        QCOMPARE(left.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, kHangMs);
    }

    void clientThatStopsReadingIsDropped() {
        // The handler writes 40 MiB in one go; the client (same thread) reads
        // nothing meanwhile. Past what the kernel holds, more than
        // kMaxUnsentBytes piles up in the server: it must drop the client.
        bool wasOpenAfter = true;
        int disconnects = 0;
        HttpServer server(loopbackV4(), [&](const HttpRequest&, HttpResponder* p) {
            connect(p, &HttpResponder::disconnected, [&] { ++disconnects; });
            p->beginStream(200, {});
            const QByteArray mib(1 << 20, 'x');
            for (int i = 0; i < 40 && p->isOpen(); ++i) p->write(mib);
            wasOpenAfter = p->isOpen();
            p->end();
        });
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/flood"));
        QVERIFY(c.waitClosed());
        QVERIFY(!wasOpenAfter);
        QCOMPARE(disconnects, 1);
    }

    void contentLengthOverLimitGets413WithoutTheBody() {
        HttpServerOptions o = loopbackV4();
        o.maxBodyBytes = 1000;
        int handled = 0;
        HttpServer server(o, [&](const HttpRequest& r, HttpResponder* p) { ++handled; echo(r, p); });
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n");
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(r->header("content-type"), QByteArray("application/json"));
        QCOMPARE(r->error().value("type").toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(r->error().value("code").toString(), QStringLiteral("request_too_large"));
        QVERIFY(r->error().contains("param"));
        QVERIFY(c.waitClosed());
        QCOMPARE(handled, 0);
    }

    void oversizedHeaderGets431() {
        HttpServerOptions o = loopbackV4();
        o.maxHeaderBytes = 1024;
        HttpServer server(o, echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + QByteArray(2048, 'a'));
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 431);
        QVERIFY(c.waitClosed());
    }

    void malformedRequestGets400AndClose() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("NOT HTTP AT ALL\r\n\r\n");
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QCOMPARE(r->error().value("type").toString(), QStringLiteral("invalid_request_error"));
        QVERIFY(c.waitClosed());
    }

    void slowlorisIsDisconnected() {
        HttpServerOptions o = loopbackV4();
        o.headerTimeoutMs = 300;
        HttpServer server(o, echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        QVERIFY(c.waitConnected());
        c.send("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
        // One byte at a time, for ever: the header never completes.
        QTimer drip;
        QObject::connect(&drip, &QTimer::timeout, [&] {
            if (c.socket.state() == QAbstractSocket::ConnectedState) c.send("a");
        });
        drip.start(20);
        QVERIFY(c.waitClosed());
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, kHangMs);
    }

    void stalledHeaderGets408() {
        HttpServerOptions o = loopbackV4();
        o.headerTimeoutMs = 300;
        HttpServer server(o, echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send("GET / HTTP/1.1\r\nHost: loc");
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(c.waitClosed());
    }

    void idleKeepAliveConnectionIsClosed() {
        HttpServerOptions o = loopbackV4();
        o.idleTimeoutMs = 300;
        HttpServer server(o, echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/"));
        QVERIFY(c.next());
        QVERIFY(c.waitClosed());
        QVERIFY(c.received.isEmpty());  // closed silently: no request was pending
    }

    void connectionsBeyondTheCapGet503() {
        HttpServerOptions o = loopbackV4();
        o.maxConnections = 2;
        HttpServer server(o, echo);
        QCOMPARE(server.listen(), QString());
        auto first = std::make_unique<Client>(kV4, server.port());
        Client second(kV4, server.port());
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 2, kHangMs);
        Client third(kV4, server.port());
        const auto refused = third.next();
        QVERIFY(refused);
        QCOMPARE(refused->status, 503);
        QCOMPARE(refused->error().value("type").toString(), QStringLiteral("unavailable_error"));
        QCOMPARE(refused->error().value("code").toString(), QStringLiteral("too_many_connections"));
        QVERIFY(third.waitClosed());
        QCOMPARE(server.connectionCount(), 2);
        // A slot frees when a client leaves.
        first->socket.abort();
        first.reset();
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 1, kHangMs);
        Client fourth(kV4, server.port());
        fourth.send(get("/ok"));
        const auto r = fourth.next();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
    }

    void hostHeaderIsChecked_data() {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("status");
        QTest::newRow("localhost:port") << QByteArray("localhost:PORT") << 200;
        QTest::newRow("localhost") << QByteArray("localhost") << 200;
        QTest::newRow("LOCALHOST.") << QByteArray("LOCALHOST.") << 200;
        QTest::newRow("sub.localhost") << QByteArray("api.localhost:PORT") << 200;
        QTest::newRow("127.0.0.1:port") << QByteArray("127.0.0.1:PORT") << 200;
        QTest::newRow("127.5.6.7") << QByteArray("127.5.6.7") << 200;
        QTest::newRow("[::1]:port") << QByteArray("[::1]:PORT") << 200;
        QTest::newRow("configured") << QByteArray("facet.lan:PORT") << 200;
        QTest::newRow("configured wildcard") << QByteArray("box.home.arpa") << 200;
        QTest::newRow("rebinding name") << QByteArray("evil.example") << 403;
        QTest::newRow("rebinding name with port") << QByteArray("evil.example:PORT") << 403;
        QTest::newRow("localhost suffix trick") << QByteArray("localhost.evil.example") << 403;
        QTest::newRow("ip prefix trick") << QByteArray("127.0.0.1.evil.example") << 403;
        QTest::newRow("other ipv6") << QByteArray("[::2]") << 403;
        QTest::newRow("bad port") << QByteArray("localhost:8x") << 403;
        QTest::newRow("empty") << QByteArray("") << 403;
        QTest::newRow("home.arpa itself") << QByteArray("home.arpa") << 403;
    }
    void hostHeaderIsChecked() {
        QFETCH(QByteArray, host);
        QFETCH(int, status);
        HttpServerOptions o = loopbackV4();
        o.allowedHosts = {"facet.lan", "*.home.arpa"};
        int handled = 0;
        HttpServer server(o, [&](const HttpRequest& r, HttpResponder* p) { ++handled; echo(r, p); });
        QCOMPARE(server.listen(), QString());
        host.replace("PORT", QByteArray::number(server.port()));
        Client c(kV4, server.port());
        c.send("GET /v1/models HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(handled, status == 200 ? 1 : 0);
        if (status == 403) {
            QCOMPARE(r->error().value("type").toString(), QStringLiteral("permission_error"));
            QCOMPARE(r->error().value("code").toString(), QStringLiteral("host_not_allowed"));
        }
    }

    void apiKeyGuardsAllButOpenPaths_data() {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("auth");
        QTest::addColumn<int>("status");
        QTest::newRow("no key") << QByteArray("/v1/models") << QByteArray() << 401;
        QTest::newRow("wrong key") << QByteArray("/v1/models") << QByteArray("Authorization: Bearer sk-facet-nope\r\n")
                                   << 401;
        QTest::newRow("key prefix") << QByteArray("/v1/models") << QByteArray("Authorization: Bearer sk-facet-tes\r\n")
                                    << 401;
        QTest::newRow("basic scheme") << QByteArray("/v1/models") << QByteArray("Authorization: Basic sk-facet-test\r\n")
                                      << 401;
        QTest::newRow("bearer") << QByteArray("/v1/models") << QByteArray("Authorization: Bearer sk-facet-test\r\n")
                                << 200;
        QTest::newRow("bearer lower-case") << QByteArray("/v1/models")
                                           << QByteArray("authorization: bearer sk-facet-test\r\n") << 200;
        QTest::newRow("x-api-key") << QByteArray("/v1/models") << QByteArray("X-Api-Key: sk-facet-test\r\n") << 200;
        QTest::newRow("open health") << QByteArray("/health") << QByteArray() << 200;
        QTest::newRow("health lookalike") << QByteArray("/health/x") << QByteArray() << 401;
    }
    void apiKeyGuardsAllButOpenPaths() {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, auth);
        QFETCH(int, status);
        HttpServerOptions o = loopbackV4();
        o.apiKey = "sk-facet-test";
        HttpServer server(o, echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get(path, auth));
        const auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        if (status == 401) {
            QCOMPARE(r->header("www-authenticate"), QByteArray("Bearer"));
            QCOMPARE(r->error().value("type").toString(), QStringLiteral("authentication_error"));
            QCOMPARE(r->error().value("code").toString(), QStringLiteral("invalid_api_key"));
            QVERIFY(!c.closed);  // a complete exchange: the connection stays usable
        }
    }

    void corsIsOffByDefault() {
        HttpServer server(loopbackV4(), echo);
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());
        c.send(get("/v1/models", "Origin: http://app.example\r\n"));
        auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(!r->hasAnyCorsHeader());
        QVERIFY(!r->hasHeader("vary"));
        c.send("OPTIONS /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\n"
               "Access-Control-Request-Method: POST\r\n\r\n");
        r = c.next();
        QVERIFY(r);
        QVERIFY(!r->hasAnyCorsHeader());
        QCOMPARE(r->body, QByteArray("OPTIONS /v1/chat/completions "));  // the handler's, not a preflight
    }

    void corsAllowListAnswersPreflightAndEchoesOrigin() {
        HttpServerOptions o = loopbackV4();
        o.apiKey = "sk-facet-test";
        o.allowedOrigins = {"http://app.example"};
        int handled = 0;
        HttpServer server(o, [&](const HttpRequest& r, HttpResponder* p) {
            ++handled;
            if (r.path == "/stream") {
                p->beginStream(200, {{"Content-Type", "text/event-stream"}});
                p->write("data: x\n\n");
                p->end();
                return;
            }
            echo(r, p);
        });
        QCOMPARE(server.listen(), QString());
        Client c(kV4, server.port());

        // Preflight from a listed origin: 204, no key needed, handler not called.
        c.send("OPTIONS /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\n"
               "Access-Control-Request-Method: POST\r\n"
               "Access-Control-Request-Headers: authorization, content-type,x-stainless-os\r\n\r\n");
        auto r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 204);
        QCOMPARE(r->header("access-control-allow-origin"), QByteArray("http://app.example"));
        QCOMPARE(r->header("vary"), QByteArray("Origin"));
        QCOMPARE(r->header("access-control-allow-headers"), QByteArray("authorization, content-type, x-stainless-os"));
        QVERIFY(r->header("access-control-allow-methods").contains("POST"));
        QVERIFY(!r->hasHeader("access-control-allow-credentials"));
        QCOMPARE(handled, 0);

        // Requested header names that are not tokens are refused, not echoed.
        c.send("OPTIONS /v1/x HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\n"
               "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: good, b@d\r\n\r\n");
        r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QVERIFY(!r->hasHeader("access-control-allow-headers"));

        // An unlisted origin gets no CORS grant; its preflight meets the key check.
        c.send("OPTIONS /v1/x HTTP/1.1\r\nHost: localhost\r\nOrigin: http://evil.example\r\n"
               "Access-Control-Request-Method: POST\r\n\r\n");
        r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 401);
        QVERIFY(!r->hasHeader("access-control-allow-origin"));
        QCOMPARE(r->header("vary"), QByteArray("Origin"));

        // The actual request: origin echoed on a whole response, on a 401 and on a stream.
        const QByteArray origin = "Origin: http://app.example\r\n";
        c.send(get("/v1/models", origin + "Authorization: Bearer sk-facet-test\r\n"));
        r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("access-control-allow-origin"), QByteArray("http://app.example"));
        c.send(get("/v1/models", origin));
        r = c.next();
        QVERIFY(r);
        QCOMPARE(r->status, 401);
        QCOMPARE(r->header("access-control-allow-origin"), QByteArray("http://app.example"));
        c.send(get("/stream", origin + "Authorization: Bearer sk-facet-test\r\n"));
        r = c.next();
        QVERIFY(r);
        QVERIFY(r->chunked);
        QCOMPARE(r->header("access-control-allow-origin"), QByteArray("http://app.example"));
        QCOMPARE(r->body, QByteArray("data: x\n\n"));
    }

    void listensOnIpv4AndIpv6LoopbackByDefault() {
        HttpServer server(HttpServerOptions{}, echo);
        QCOMPARE(server.listen(), QString());
        const QList<QHostAddress> bound = server.listeningAddresses();
        QCOMPARE(bound.size(), 2);
        QVERIFY(bound.contains(QHostAddress(QHostAddress::LocalHost)));
        QVERIFY(bound.contains(QHostAddress(QHostAddress::LocalHostIPv6)));
        for (const QHostAddress& address : {QHostAddress(QHostAddress::LocalHostIPv6), kV4}) {
            Client c(address, server.port());
            const QByteArray host = address.protocol() == QAbstractSocket::IPv6Protocol ? "[::1]" : "127.0.0.1";
            c.send("GET /v6 HTTP/1.1\r\nHost: " + host + ":" + QByteArray::number(server.port()) + "\r\n\r\n");
            const auto r = c.next();
            QVERIFY2(r, qPrintable(address.toString()));
            QCOMPARE(r->status, 200);
        }
    }

    void fixedPortInUseIsAnError() {
        HttpServer first(loopbackV4(), echo);
        QCOMPARE(first.listen(), QString());
        HttpServerOptions o = loopbackV4();
        o.port = first.port();
        HttpServer second(o, echo);
        const QString error = second.listen();
        QVERIFY(!error.isEmpty());
        QVERIFY(error.contains(QString::number(first.port())));
        QVERIFY(!second.isListening());
    }
};

QTEST_GUILESS_MAIN(TstHttpServer)
#include "tst_http_server.moc"
