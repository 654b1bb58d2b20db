// HttpServer's limits over real sockets: a client that stops reading is
// dropped, 413 from Content-Length alone, 431, 400 then close, slowloris and
// the header deadline (408), idle keep-alive close, and the connection cap
// (503, then a freed slot works). Only that a client is dropped is asserted,
// never how long it took.
#include <QtTest>

#include "http_server.h"
#include "support/http_test_client.h"

using namespace facet::http;
using namespace facet::test;

class TstHttpServerLimits : public QObject {
    Q_OBJECT
private slots:
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
};

QTEST_GUILESS_MAIN(TstHttpServerLimits)
#include "tst_http_server_limits.moc"
