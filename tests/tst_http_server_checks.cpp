// HttpServer's checks before a handler runs: the Host header (DNS
// rebinding), the API key on all but the open paths, and CORS (off by
// default; an allow-list answers preflights and echoes the origin, streams
// included).
#include <QtTest>

#include "http_server.h"
#include "support/http_test_client.h"

using namespace facet::http;
using namespace facet::test;

class TstHttpServerChecks : public QObject {
    Q_OBJECT
private slots:
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
};

QTEST_GUILESS_MAIN(TstHttpServerChecks)
#include "tst_http_server_checks.moc"
