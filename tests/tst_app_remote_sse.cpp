// The SSE parser and chunk decoding of remote OpenAI-compatible streams
// (app/remote/sse_parser.h, openai_chunk.h): the same events whatever the
// network's chunk boundaries (whole, byte by byte, seeded random splits,
// a CR LF split between chunks); comments, multi-line data, "data:" with
// and without the space, [DONE], error events; thinking from both
// "reasoning_content" and "reasoning"; readable HTTP error texts.
#include <QRandomGenerator>
#include <QtTest>

#include "openai_chunk.h"
#include "sse_parser.h"

namespace {

using Events = QList<QPair<QByteArray, QByteArray>>;  // (event, data)

Events collect(const QList<SseEvent>& list) {
    Events out;
    for (const SseEvent& e : list) out.push_back({e.event, e.data});
    return out;
}

// Feeds `bytes` cut at `cuts` (ascending offsets), then finish().
Events feedSplit(const QByteArray& bytes, const QList<qsizetype>& cuts) {
    SseParser p;
    Events out;
    qsizetype at = 0;
    for (qsizetype cut : cuts) {
        out += collect(p.feed(QByteArrayView(bytes).sliced(at, cut - at)));
        at = cut;
    }
    out += collect(p.feed(QByteArrayView(bytes).sliced(at)));
    out += collect(p.finish());
    return out;
}

// A vLLM-like stream: role chunk, a ping comment, reasoning, content with a
// multi-byte character, finish, usage, [DONE].
const QByteArray kStream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
    ": ping\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"Let me think\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F dich\"}}]}\r\n\r\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\r"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}\n\n"
    "data: [DONE]\n\n";

const Events kExpected{
    {"", "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"},
    {"", "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"Let me think\"}}]}"},
    {"", "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F dich\"}}]}"},
    {"", "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"},
    {"", "{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,\"total_tokens\":21}}"},
    {"", "[DONE]"},
};

}  // namespace

class TstAppRemoteSse : public QObject {
    Q_OBJECT
private slots:
    void wholeStream() { QCOMPARE(feedSplit(kStream, {}), kExpected); }

    void byteByByte() {
        QList<qsizetype> cuts;
        for (qsizetype i = 1; i < kStream.size(); ++i) cuts.push_back(i);
        QCOMPARE(feedSplit(kStream, cuts), kExpected);
    }

    void randomSplits_data() {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed : {1u, 2u, 3u, 17u, 99u, 1234u, 65537u, 4000000000u})
            QTest::addRow("seed %u", seed) << seed;
    }
    void randomSplits() {
        QFETCH(quint32, seed);
        QRandomGenerator rng(seed);
        QList<qsizetype> cuts;
        for (qsizetype at = rng.bounded(1, 9); at < kStream.size(); at += rng.bounded(1, 40)) cuts.push_back(at);
        QCOMPARE(feedSplit(kStream, cuts), kExpected);
    }

    // Every split point of the CR LF and CR CR line ends, one at a time.
    void everySingleSplit() {
        for (qsizetype cut = 1; cut < kStream.size(); ++cut) QCOMPARE(feedSplit(kStream, {cut}), kExpected);
    }

    void multiLineDataEventsAndComments() {
        const QByteArray s =
            ": comment at the start\n"
            "event: error\n"
            "data:{\"error\":\n"
            "data: {\"message\":\"GPU device lost\"}}\n"
            "id: 7\n"
            "retry: 1000\n"
            "\n"
            "event: lonely\n\n"  // no data: no event
            "data\n\n";          // a field name alone is an empty data line
        const Events want{{"error", "{\"error\":\n{\"message\":\"GPU device lost\"}}"}, {"", ""}};
        QCOMPARE(feedSplit(s, {}), want);
        QList<qsizetype> cuts;
        for (qsizetype i = 1; i < s.size(); ++i) cuts.push_back(i);
        QCOMPARE(feedSplit(s, cuts), want);
    }

    void unterminatedLastEventAtClose() {
        QCOMPARE(feedSplit("data: [DONE]", {}), (Events{{"", "[DONE]"}}));
        QCOMPARE(feedSplit("data: a\ndata: b", {3}), (Events{{"", "a\nb"}}));
    }

    void byteOrderMarkIgnored() { QCOMPARE(feedSplit("\xEF\xBB\xBF" "data: x\n\n", {1}), (Events{{"", "x"}})); }

    void overlongLineIsAnError() {
        SseParser p;
        const QByteArray big(1024 * 1024, 'x');
        for (int i = 0; i * big.size() <= SseParser::kMaxLineBytes; ++i) QVERIFY(p.feed(big).isEmpty());
        QVERIFY(!p.error().isEmpty());
        QVERIFY(p.feed("\n\ndata: y\n\n").isEmpty());  // ignored from then on
    }

    void chunkFields_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("thinking");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("finish");
        QTest::addRow("reasoning_content (llama.cpp)")
            << QByteArray(R"({"choices":[{"delta":{"reasoning_content":"hmm"}}]})") << "hmm" << "" << "";
        QTest::addRow("reasoning (vLLM, Ollama)")
            << QByteArray(R"({"choices":[{"delta":{"reasoning":"hmm"}}]})") << "hmm" << "" << "";
        QTest::addRow("content") << QByteArray(R"({"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]})")
                                 << "" << "Hi" << "";
        QTest::addRow("llama.cpp null content") << QByteArray(R"({"choices":[{"delta":{"role":"assistant","content":null}}]})")
                                                << "" << "" << "";
        QTest::addRow("finish") << QByteArray(R"({"choices":[{"delta":{},"finish_reason":"length"}]})") << ""
                                << "" << "length";
    }
    void chunkFields() {
        QFETCH(QByteArray, json);
        QFETCH(QString, thinking);
        QFETCH(QString, answer);
        QFETCH(QString, finish);
        const ChatChunk c = parseChatChunk(json);
        QCOMPARE(c.error, QString());
        QCOMPARE(c.thinking, thinking);
        QCOMPARE(c.answer, answer);
        QCOMPARE(c.finishReason, finish);
    }

    void chunkUsageAndErrors() {
        const ChatChunk u = parseChatChunk(R"({"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}})");
        QCOMPARE(u.usage.value("prompt_tokens").toInt(), 12);
        QCOMPARE(u.usage.value("completion_tokens").toInt(), 9);
        QCOMPARE(parseChatChunk(R"({"error":{"message":"GPU device lost","type":"server_error"}})").error,
                 QString("GPU device lost"));
        QVERIFY(!parseChatChunk("{not json").error.isEmpty());
    }

    void wholeCompletion() {
        const ChatChunk c = parseChatCompletion(
            R"({"choices":[{"message":{"role":"assistant","reasoning_content":"t","content":"a"},"finish_reason":"stop"}]})");
        QCOMPARE(c.thinking, QString("t"));
        QCOMPARE(c.answer, QString("a"));
        QCOMPARE(c.finishReason, QString("stop"));
    }

    void errorBodies_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::addRow("OpenAI / vLLM") << QByteArray(R"({"error":{"message":"Invalid key","type":"authentication_error","code":401}})")
                                       << "Invalid key";
        QTest::addRow("Ollama native") << QByteArray(R"({"error":"model 'x' not found"})") << "model 'x' not found";
        QTest::addRow("FastAPI detail") << QByteArray(R"({"detail":"Not Found"})") << "Not Found";
        QTest::addRow("plain text") << QByteArray("Invalid host header\nmore") << "Invalid host header";
    }
    void errorBodies() {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        QCOMPARE(errorBodyMessage(body), message);
    }

    void httpErrorsAreReadable_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("phrase");
        QTest::addRow("401") << 401 << "refused the API key";
        QTest::addRow("404") << 404 << "Check the base URL and the model name";
        QTest::addRow("429") << 429 << "Try again in a moment";
        QTest::addRow("500") << 500 << "The server failed";
    }
    void httpErrorsAreReadable() {
        QFETCH(int, status);
        QFETCH(QString, phrase);
        const QString text = httpErrorText(status, R"({"error":{"message":"the detail"}})");
        QVERIFY2(text.contains(phrase), qPrintable(text));
        QVERIFY2(text.contains(QString::number(status)), qPrintable(text));
        QVERIFY2(text.contains("the detail"), qPrintable(text));
    }

    void modelList() {
        QString error;
        const QList<ModelEntry> models = parseModelList(
            R"({"object":"list","data":[{"id":"google/gemma-4-31b-it","max_model_len":32768},)"
            R"({"id":"facet","context_length":8192},{"id":"gemma.gguf","meta":{"n_ctx_train":131072}},{"id":"plain"},{"object":"model"}]})",
            &error);
        QCOMPARE(error, QString());
        QCOMPARE(models.size(), 4);  // the entry without an id is skipped
        QCOMPARE(models[0].id, QString("google/gemma-4-31b-it"));
        QCOMPARE(models[0].contextLength, 32768);
        QCOMPARE(models[1].contextLength, 8192);
        QCOMPARE(models[2].contextLength, 131072);
        QCOMPARE(models[3].contextLength, 0);
        parseModelList(R"({"models":[]})", &error);
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstAppRemoteSse)
#include "tst_app_remote_sse.moc"
