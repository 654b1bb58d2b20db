// HttpServer over real QTcpSocket clients on loopback: keep-alive and
// pipelining, bodies and 100-continue, serving from a worker thread,
// Connection: close and HTTP/1.0, HEAD, chunked streaming seen chunk by
// chunk, a client leaving mid-stream, and where it listens. Limits and
// timeouts are in tst_http_server_limits, the Host/API-key/CORS checks in
// tst_http_server_checks. Every wait is bounded by kHangMs; nothing asserts
// how long anything took.
#include <QtTest>

#include <QThread>

#include "http_server.h"
#include "support/http_test_client.h"

using namespace facet::http;
using namespace facet::test;

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
