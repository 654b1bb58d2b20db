// HttpRequestParser: requests split at every byte offset parse the same,
// pipelined requests come out in order, chunked bodies are de-chunked, every
// limit gives its status before the oversized part is buffered, malformed
// input is a clean 400 (or 505), and a seeded fuzz loop of mutated
// requests only ever yields requests or clean errors.
#include <QtTest>

#include "http_request_parser.h"

#include <random>

using namespace facet::http;

namespace {

// Everything the parser yields for `bytes` fed in one piece (stops after an error).
QList<ParseOutcome> drain(HttpRequestParser& parser) {
    QList<ParseOutcome> out;
    for (;;) {
        ParseOutcome o = parser.next();
        if (std::holds_alternative<std::monostate>(o)) return out;
        out.append(o);
        if (std::holds_alternative<HttpError>(o)) return out;
    }
}

QList<ParseOutcome> parseWhole(const QByteArray& bytes, HttpLimits limits = {}) {
    HttpRequestParser parser(limits);
    parser.feed(bytes);
    return drain(parser);
}

// One line per outcome, for comparing runs.
QString describe(const QList<ParseOutcome>& outcomes) {
    QStringList lines;
    for (const ParseOutcome& o : outcomes) {
        if (const auto* e = std::get_if<HttpError>(&o)) {
            lines << QStringLiteral("error %1").arg(e->status);
            continue;
        }
        const ParsedRequest& p = std::get<ParsedRequest>(o);
        QStringList headers;
        for (const auto& h : p.request.headers) headers << QString::fromLatin1(h.first + "=" + h.second);
        lines << QStringLiteral("%1 %2 ?%3 keep=%4 h=[%5] body=%6")
                     .arg(QString::fromLatin1(p.request.method), QString::fromLatin1(p.request.path),
                          QString::fromLatin1(p.request.query))
                     .arg(p.keepAlive)
                     .arg(headers.join(QLatin1Char(',')), QString::fromLatin1(p.request.body.toHex()));
    }
    return lines.join(QLatin1Char('\n'));
}

const ParsedRequest& requestAt(const QList<ParseOutcome>& outcomes, int i) {
    return std::get<ParsedRequest>(outcomes.at(i));
}

int errorStatus(const QList<ParseOutcome>& outcomes) {
    if (outcomes.isEmpty()) return 0;
    const auto* e = std::get_if<HttpError>(&outcomes.last());
    return e ? e->status : 0;
}

// Three pipelined requests: a GET, a Content-Length POST, a chunked POST with
// a chunk extension and a trailer.
const QByteArray kPipeline =
    "GET /v1/models?x=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: t\r\n\r\n"
    "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    "Content-Length: 11\r\n\r\n{\"a\":\"b c\"}"
    "POST /chunked HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

}  // namespace

class TstHttpParser : public QObject {
    Q_OBJECT
private slots:
    void parsesRequestLineAndHeaders() {
        const auto out = parseWhole("GET /a%20b/c?q=1&r=%20 HTTP/1.1\r\nHost: localhost:8080\r\n"
                                    "X-Custom:   spaced value  \r\n\r\n");
        QCOMPARE(out.size(), 1);
        const HttpRequest& r = requestAt(out, 0).request;
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.path, QByteArray("/a b/c"));
        QCOMPARE(r.query, QByteArray("q=1&r=%20"));
        QCOMPARE(r.header("HOST"), QByteArray("localhost:8080"));
        QCOMPARE(r.header("x-custom"), QByteArray("spaced value"));
        QCOMPARE(r.headers.at(1).first, QByteArray("X-Custom"));  // names keep their case
        QVERIFY(r.body.isEmpty());
        QVERIFY(requestAt(out, 0).keepAlive);
    }

    void pipelinedRequestsComeOutInOrder() {
        const auto out = parseWhole(kPipeline);
        QCOMPARE(out.size(), 3);
        QCOMPARE(requestAt(out, 0).request.path, QByteArray("/v1/models"));
        QCOMPARE(requestAt(out, 1).request.body, QByteArray("{\"a\":\"b c\"}"));
        QCOMPARE(requestAt(out, 2).request.path, QByteArray("/chunked"));
        QCOMPARE(requestAt(out, 2).request.body, QByteArray("hello, world"));
    }

    void splitAtEveryOffsetParsesTheSame() {
        const QString whole = describe(parseWhole(kPipeline));
        for (qsizetype cut = 0; cut <= kPipeline.size(); ++cut) {
            HttpRequestParser parser;
            parser.feed(QByteArrayView(kPipeline).first(cut));
            QList<ParseOutcome> out = drain(parser);
            parser.feed(QByteArrayView(kPipeline).sliced(cut));
            out += drain(parser);
            QVERIFY2(describe(out) == whole, qPrintable(QStringLiteral("split at %1").arg(cut)));
            QVERIFY(!parser.hasPartialRequest());
        }
    }

    void byteAtATimeParsesTheSame() {
        HttpRequestParser parser;
        QList<ParseOutcome> out;
        for (char c : kPipeline) {
            parser.feed(QByteArrayView(&c, 1));
            out += drain(parser);
        }
        QCOMPARE(describe(out), describe(parseWhole(kPipeline)));
    }

    void partialRequestIsReported() {
        HttpRequestParser parser;
        QVERIFY(!parser.hasPartialRequest());
        parser.feed("GET / HT");
        QVERIFY(drain(parser).isEmpty());
        QVERIFY(parser.hasPartialRequest());
        QVERIFY(!parser.readingBody());
        parser.feed("TP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab");
        QVERIFY(drain(parser).isEmpty());
        QVERIFY(parser.readingBody());
        parser.feed("c");
        QCOMPARE(drain(parser).size(), 1);
        QVERIFY(!parser.hasPartialRequest());
    }

    void leadingEmptyLinesAreIgnored() {
        const auto out = parseWhole("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(out.size(), 1);
        QCOMPARE(requestAt(out, 0).request.path, QByteArray("/"));
    }

    void bareLineFeedsAreAccepted() {
        const auto out = parseWhole("POST /p HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n");
        QCOMPARE(out.size(), 1);
        QCOMPARE(requestAt(out, 0).request.body, QByteArray("abc"));
    }

    void absoluteFormAndAsteriskTargets() {
        auto out = parseWhole("GET http://localhost:1/v1/models?a HTTP/1.1\r\nHost: localhost:1\r\n\r\n");
        QCOMPARE(requestAt(out, 0).request.path, QByteArray("/v1/models"));
        QCOMPARE(requestAt(out, 0).request.query, QByteArray("a"));
        out = parseWhole("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(requestAt(out, 0).request.path, QByteArray("*"));
    }

    void keepAliveSemantics_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n") << false;
        QTest::newRow("1.1 close in a list") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, Close\r\n")
                                             << false;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n") << true;
    }
    void keepAliveSemantics() {
        QFETCH(QByteArray, head);
        QFETCH(bool, keepAlive);
        const auto out = parseWhole(head + "\r\n");
        QCOMPARE(out.size(), 1);
        QCOMPARE(requestAt(out, 0).keepAlive, keepAlive);
    }

    void contentLengthOverLimitIs413BeforeTheBody() {
        HttpLimits limits;
        limits.maxBodyBytes = 100;
        // The header alone, no body byte sent: the answer must not wait for it.
        auto out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", limits);
        QCOMPARE(errorStatus(out), 413);
        QCOMPARE(std::get<HttpError>(out.last()).code, QByteArray("request_too_large"));
        out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", limits);
        QCOMPARE(errorStatus(out), 413);
        out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + QByteArray(100, 'a'), limits);
        QCOMPARE(requestAt(out, 0).request.body.size(), 100);
    }

    void chunkedBodyOverLimitIs413() {
        HttpLimits limits;
        limits.maxBodyBytes = 10;
        auto out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "6\r\nabcdef\r\n5\r\n",
                              limits);
        QCOMPARE(errorStatus(out), 413);
        out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n", limits);
        QCOMPARE(errorStatus(out), 413);
        out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n",
                         limits);
        QCOMPARE(requestAt(out, 0).request.body, QByteArray("abcdefghij"));
    }

    void headerBlockOverLimitIs431() {
        HttpLimits limits;
        limits.maxHeaderBytes = 1024;
        // Never finished: the parser must give up at the limit, not wait for the end.
        HttpRequestParser parser(limits);
        parser.feed("GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
        QVERIFY(drain(parser).isEmpty());
        parser.feed(QByteArray(1024, 'a'));
        QCOMPARE(errorStatus(drain(parser)), 431);

        // A request line longer than the whole limit, no newline yet.
        QCOMPARE(errorStatus(parseWhole("GET /" + QByteArray(2000, 'a'), limits)), 431);
        // Just under the limit passes.
        const QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: ";
        const QByteArray fits = head + QByteArray(1024 - head.size() - 4, 'a') + "\r\n\r\n";
        QCOMPARE(fits.size(), 1024);
        QCOMPARE(parseWhole(fits, limits).size(), 1);
        QCOMPARE(errorStatus(parseWhole(fits, {512, 100, 1 << 20})), 431);
    }

    void tooManyHeaderFieldsIs431() {
        HttpLimits limits;
        limits.maxHeaderFields = 5;
        QByteArray req = "GET / HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 4; ++i) req += "X-" + QByteArray::number(i) + ": v\r\n";
        QCOMPARE(parseWhole(req + "\r\n", limits).size(), 1);
        QCOMPARE(errorStatus(parseWhole(req + "X-9: v\r\n\r\n", limits)), 431);
    }

    void trailerSectionOverLimitIs431() {
        HttpLimits limits;
        limits.maxHeaderBytes = 256;
        const auto out = parseWhole("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " +
                                        QByteArray(300, 'a'),
                                    limits);
        QCOMPARE(errorStatus(out), 431);
    }

    void malformedRequestsAreCleanErrors_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        const QByteArray host = "Host: x\r\n";
        QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("four parts") << QByteArray("GET / HTTP/1.1 x\r\n" + host + "\r\n") << 400;
        QTest::newRow("bad method") << QByteArray("G@T / HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("relative target") << QByteArray("GET foo HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("asterisk GET") << QByteArray("GET * HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("bad percent") << QByteArray("GET /%zz HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("short percent") << QByteArray("GET /a% HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("percent NUL") << QByteArray("GET /a%00 HTTP/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("garbage version") << QByteArray("GET / HTTX/1.1\r\n" + host + "\r\n") << 400;
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n" + host + "\r\n") << 505;
        QTest::newRow("no Host on 1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\n" + host + host + "\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\n" + host + "Bad Name: x\r\n\r\n")
                                            << 400;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\n" + host + "NoColon\r\n\r\n") << 400;
        QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\n" + host + "X: a\r\n b\r\n\r\n") << 400;
        QTest::newRow("control char") << QByteArray("GET / HTTP/1.1\r\n" + host + "X: a\x01" "b\r\n\r\n") << 400;
        QTest::newRow("bare CR in value") << QByteArray("GET / HTTP/1.1\r\n" + host + "X: a\rb\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab") << 400;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n")
                                         << 400;
        QTest::newRow("length list") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 1, 1\r\n\r\n")
                                     << 400;
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
            << 400;
        QTest::newRow("gzip coding") << QByteArray("POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n")
                                     << 400;
        QTest::newRow("chunked on 1.0") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") << 400;
        const QByteArray chunked = "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n";
        QTest::newRow("bad chunk size") << QByteArray(chunked + "zz\r\n") << 400;
        QTest::newRow("empty chunk size") << QByteArray(chunked + "\r\n") << 400;
        QTest::newRow("chunk without CRLF") << QByteArray(chunked + "3\r\nabcX") << 400;
        QTest::newRow("chunk-size line too long") << QByteArray(chunked + "1;" + QByteArray(5000, 'e')) << 400;
    }
    void malformedRequestsAreCleanErrors() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        const auto out = parseWhole(bytes);
        QVERIFY2(!out.isEmpty(), "no outcome");
        QCOMPARE(errorStatus(out), status);
        const HttpError& e = std::get<HttpError>(out.last());
        QVERIFY(!e.message.isEmpty());
        QVERIFY(!e.type.isEmpty());
    }

    void errorIsSticky() {
        HttpRequestParser parser;
        parser.feed("BAD\r\n\r\n");
        QCOMPARE(errorStatus(drain(parser)), 400);
        QVERIFY(parser.failed());
        parser.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(errorStatus(drain(parser)), 400);
    }

    void expectContinueIsReportedOnce() {
        HttpRequestParser parser;
        parser.feed("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        QVERIFY(drain(parser).isEmpty());
        QVERIFY(parser.takeContinueRequest());
        QVERIFY(!parser.takeContinueRequest());
        parser.feed("ok");
        QCOMPARE(requestAt(drain(parser), 0).request.body, QByteArray("ok"));
    }

    void errorBodyHasOpenAiShape() {
        const HttpError e{413, "invalid_request_error", "request_too_large", QStringLiteral("too big")};
        QCOMPARE(e.jsonBody(), QByteArray(R"({"error":{"code":"request_too_large","message":"too big",)"
                                          R"("param":null,"type":"invalid_request_error"}})"));
    }

    // Seeded mutations of valid requests, fed in random slices: each outcome
    // is a request or a clean error, never a crash (ASan runs this) or a
    // request that breaks the limits. CI runs 20000 fixed cases; a long
    // campaign sets FACET_FUZZ_SECONDS (and FACET_FUZZ_SEED) by hand.
    void fuzzedInputYieldsRequestsOrCleanErrors() {
        const QList<QByteArray> seeds = {
            kPipeline,
            "GET /health HTTP/1.0\r\n\r\n",
            "POST /v1/x HTTP/1.1\r\nHost: [::1]:8\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\nabcd",
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n",
        };
        const QByteArray alphabet = QByteArray("\r\n :;%0aF-/?*\t\x00\x7f\xff", 16) + "GETPOSTHTTP/1.";
        HttpLimits limits;
        limits.maxHeaderBytes = 512;
        limits.maxBodyBytes = 64;
        limits.maxHeaderFields = 8;
        const int seconds = qEnvironmentVariableIntValue("FACET_FUZZ_SECONDS");
        const quint32 seed = qEnvironmentVariableIsSet("FACET_FUZZ_SEED") ? quint32(qEnvironmentVariableIntValue("FACET_FUZZ_SEED"))
                                                                          : 20261207u;
        QElapsedTimer clock;
        clock.start();
        std::mt19937 rng(seed);
        auto uniform = [&](qsizetype n) { return qsizetype(rng() % quint32(std::max<qsizetype>(n, 1))); };
        int requests = 0, errors = 0;
        qint64 iteration = 0;
        for (; seconds > 0 ? clock.elapsed() < seconds * 1000LL : iteration < 20000; ++iteration) {
            QByteArray bytes = seeds[uniform(seeds.size())];
            const int mutations = 1 + int(uniform(4));
            for (int m = 0; m < mutations; ++m) {
                const qsizetype at = uniform(bytes.size() + 1);
                switch (uniform(6)) {
                case 0: if (at < bytes.size()) bytes[at] = char(rng()); break;
                case 1: bytes.insert(at, alphabet[uniform(alphabet.size())]); break;
                case 2: bytes.remove(at, uniform(8)); break;
                case 3: bytes.insert(at, bytes.mid(uniform(bytes.size()), uniform(64))); break;
                case 4: bytes.insert(at, "\r\n"); break;
                case 5: bytes.truncate(at); break;
                }
            }
            HttpRequestParser parser(limits);
            qsizetype fed = 0;
            bool failed = false;
            while (fed < bytes.size() && !failed) {
                const qsizetype n = std::min<qsizetype>(1 + uniform(40), bytes.size() - fed);
                parser.feed(QByteArrayView(bytes).sliced(fed, n));
                fed += n;
                for (const ParseOutcome& o : drain(parser)) {
                    if (const auto* e = std::get_if<HttpError>(&o)) {
                        QVERIFY2(QList<int>({400, 413, 431, 505}).contains(e->status),
                                 qPrintable(QString::number(e->status)));
                        QVERIFY(!e->message.isEmpty());
                        failed = true;
                        ++errors;
                        continue;
                    }
                    const HttpRequest& r = std::get<ParsedRequest>(o).request;
                    QVERIFY(!r.method.isEmpty());
                    QVERIFY(r.path.startsWith('/') || r.path == "*");
                    QVERIFY(r.body.size() <= limits.maxBodyBytes);
                    QVERIFY(!r.path.contains('\0'));
                    ++requests;
                }
            }
        }
        if (seconds > 0) qInfo("%lld cases in %d s (seed %u)", iteration, seconds, seed);
        // Both kinds must occur, or the mutations are not exercising anything.
        QVERIFY2(requests > 1000 && errors > 1000, qPrintable(QStringLiteral("%1 requests, %2 errors")
                                                                  .arg(requests).arg(errors)));
    }
};

QTEST_GUILESS_MAIN(TstHttpParser)
#include "tst_http_parser.moc"
