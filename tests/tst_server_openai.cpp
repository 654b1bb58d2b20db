// The OpenAI-compatible API's answers without a model or sockets: the SSE
// framing byte for byte for a scripted token stream, usage gating, whole
// responses, stop strings, text completions, error shapes, health and
// models, mid-stream errors, the bounded queue (429, keep-alive comments)
// and client disconnects. Request parsing is in tst_server_openai_request.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "api_error.h"
#include "openai_api.h"
#include "openai_request.h"
#include "openai_response.h"
#include "stop_matcher.h"
#include "support/openai_api_rig.h"

using namespace facet;
using namespace facet::server;
using namespace facet::test;

class TstServerOpenai : public QObject {
    Q_OBJECT
private slots:
    void chunkFormatterIsByteExact() {
        const ChunkFormatter f({"chatcmpl-X", 1700000000, "tiny", "reasoning_content"}, ChunkFormatter::Kind::Chat, true);
        const QByteArray head = "data: {\"choices\":";
        const QByteArray tail = ",\"created\":1700000000,\"id\":\"chatcmpl-X\",\"model\":\"tiny\",\"object\":\"chat.completion.chunk\",\"usage\":null}";
        QCOMPARE(f.roleChunk(),
                 head + "[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + "\n\n");
        QCOMPARE(f.deltaChunk(thought("hm")),
                 head + "[{\"delta\":{\"reasoning_content\":\"hm\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + "\n\n");
        QCOMPARE(f.deltaChunk(ChatOutput{"a", "b", {}}),
                 head + "[{\"delta\":{\"reasoning_content\":\"a\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + "\n\n" +
                     head + "[{\"delta\":{\"content\":\"b\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + "\n\n");
        QCOMPARE(f.deltaChunk(ChatOutput{}), QByteArray());
        QCOMPARE(f.finishChunk("length"),
                 head + "[{\"delta\":{},\"finish_reason\":\"length\",\"index\":0,\"logprobs\":null}]" + tail + "\n\n");
        QCOMPARE(f.usageChunk(Usage{7, 3, 2}),
                 QByteArray("data: {\"choices\":[],\"created\":1700000000,\"id\":\"chatcmpl-X\",\"model\":\"tiny\",\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":2},\"total_tokens\":10}}") + "\n\n");
        QCOMPARE(ChunkFormatter::done(), QByteArray("data: [DONE]\n\n"));
        const ChunkFormatter noUsage({"chatcmpl-X", 1700000000, "tiny"}, ChunkFormatter::Kind::Chat, false);
        QCOMPARE(noUsage.usageChunk(Usage{7, 3, 2}), QByteArray());
        QVERIFY(!noUsage.roleChunk().contains("usage"));
    }

    void streamsAChatCompletionByteExact() {
        Rig rig;
        rig.engine.script = {thought("Let me"), thought(" think"), answer("Hel"), answer("lo")};
        rig.engine.cached = 4;
        FakeResponder r;
        rig.post("/v1/chat/completions",
                 "{\"model\":\"tiny-chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                 r);
        QCOMPARE(r.status, 200);
        QVERIFY(r.streamed);
        QCOMPARE(r.header("Content-Type"), QByteArray("text/event-stream; charset=utf-8"));
        QCOMPARE(r.header("Cache-Control"), QByteArray("no-cache"));
        QTRY_VERIFY_WITH_TIMEOUT(r.ended, kHangMs);
        QVERIFY(rig.engine.lastJob().thinking);
        // id and created come from the first chunk; every chunk must repeat them exactly.
        const QByteArray first = r.body.left(r.body.indexOf("\n\n"));
        const QJsonObject o = QJsonDocument::fromJson(first.mid(6)).object();
        const QByteArray id = o.value("id").toString().toUtf8();
        const QByteArray created = QByteArray::number(qint64(o.value("created").toDouble()));
        QVERIFY2(id.startsWith("chatcmpl-") && id.size() >= 9 + 24, id.constData());
        const QByteArray tail = ",\"created\":" + created + ",\"id\":\"" + id +
                                "\",\"model\":\"tiny-chat\",\"object\":\"chat.completion.chunk\",\"usage\":null}" + "\n\n";
        auto delta = [&](const QByteArray& d) {
            return "data: {\"choices\":[{\"delta\":" + d + ",\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail;
        };
        const QByteArray expected =
            delta("{\"content\":\"\",\"role\":\"assistant\"}") + delta("{\"reasoning_content\":\"Let me\"}") +
            delta("{\"reasoning_content\":\" think\"}") + delta("{\"content\":\"Hel\"}") + delta("{\"content\":\"lo\"}") +
            "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null}]" + tail +
            "data: {\"choices\":[],\"created\":" + created + ",\"id\":\"" + id +
            "\",\"model\":\"tiny-chat\",\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":4,\"prompt_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":4},\"total_tokens\":14}}" +
            "\n\n" + "data: [DONE]\n\n";
        QCOMPARE(r.body, expected);
    }

    void usageChunkOnlyWhenAsked() {
        Rig rig;
        rig.engine.script = {answer("a"), answer("b")};
        rig.engine.stop = EngineStop::Length;
        FakeResponder r;
        rig.post("/v1/chat/completions",
                 "{\"model\":\"tiny-chat\",\"stream\":true,\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", r);
        QTRY_VERIFY_WITH_TIMEOUT(r.ended, kHangMs);
        QVERIFY2(!r.body.contains("usage"), r.body.constData());
        QVERIFY(!r.body.contains("\"choices\":[]"));
        QVERIFY(r.body.endsWith("\n\ndata: [DONE]\n\n"));
        QVERIFY(r.body.contains("{\"delta\":{},\"finish_reason\":\"length\""));
        QCOMPARE(rig.engine.lastJob().maxTokens, 2);
    }

    void nonStreamChatCompletion() {
        Rig rig;
        rig.engine.script = {thought("why"), answer("Hi"), answer(" there")};
        rig.engine.cached = 3;
        FakeResponder r;
        rig.post("/v1/chat/completions",
                 "{\"model\":\"tiny-chat\",\"chat_template_kwargs\":{\"enable_thinking\":true},\"mystery\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                 r);
        QTRY_VERIFY_WITH_TIMEOUT(r.ended, kHangMs);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.streamed);
        QCOMPARE(r.header("X-Facet-Ignored-Params"), QByteArray("mystery"));
        const QJsonObject o = r.json();
        QVERIFY(o.value("id").toString().startsWith("chatcmpl-"));
        QCOMPARE(o.value("object").toString(), QString("chat.completion"));
        QCOMPARE(o.value("model").toString(), QString("tiny-chat"));
        QVERIFY(o.value("created").toDouble() > 1.6e9);
        const QJsonObject choice = o.value("choices").toArray().at(0).toObject();
        QCOMPARE(choice.value("finish_reason").toString(), QString("stop"));
        const QJsonObject msg = choice.value("message").toObject();
        QCOMPARE(msg.value("role").toString(), QString("assistant"));
        QCOMPARE(msg.value("content").toString(), QString("Hi there"));
        QCOMPARE(msg.value("reasoning_content").toString(), QString("why"));
        const QJsonObject usage = o.value("usage").toObject();
        QCOMPARE(usage.value("prompt_tokens").toInt(), 10);
        QCOMPARE(usage.value("completion_tokens").toInt(), 3);
        QCOMPARE(usage.value("total_tokens").toInt(), 13);
        QCOMPARE(usage.value("prompt_tokens_details").toObject().value("cached_tokens").toInt(), 3);
    }

    void stopStringsCutTheAnswer() {
        Rig rig;
        rig.engine.script = {answer("one E"), answer("ND two"), answer("never")};
        rig.engine.stop = EngineStop::Length;  // would be length, but the stop string came first
        FakeResponder r;
        rig.post("/v1/chat/completions", "{\"model\":\"tiny-chat\",\"stop\":\"END\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", r);
        QTRY_VERIFY_WITH_TIMEOUT(r.ended, kHangMs);
        const QJsonObject choice = r.json().value("choices").toArray().at(0).toObject();
        QCOMPARE(choice.value("message").toObject().value("content").toString(), QString("one "));
        QCOMPARE(choice.value("finish_reason").toString(), QString("stop"));
        QCOMPARE(rig.engine.emitted.load(), 2);  // generation stopped at the match
    }

    void textCompletions() {
        Rig rig;
        rig.engine.script = {answer("upon"), answer(" a")};
        rig.engine.stop = EngineStop::Length;
        FakeResponder r;
        rig.post("/v1/completions", "{\"model\":\"tiny-chat\",\"prompt\":\"Once\",\"max_tokens\":2}", r);
        QTRY_VERIFY_WITH_TIMEOUT(r.ended, kHangMs);
        QVERIFY(!rig.engine.lastJob().chat);
        QCOMPARE(rig.engine.lastJob().prompt, std::string("Once"));
        const QJsonObject o = r.json();
        QCOMPARE(o.value("object").toString(), QString("text_completion"));
        QVERIFY(o.value("id").toString().startsWith("cmpl-"));
        const QJsonObject choice = o.value("choices").toArray().at(0).toObject();
        QCOMPARE(choice.value("text").toString(), QString("upon a"));
        QCOMPARE(choice.value("finish_reason").toString(), QString("length"));

        FakeResponder s;
        rig.post("/v1/completions", "{\"model\":\"tiny-chat\",\"prompt\":\"Once\",\"stream\":true}", s);
        QTRY_VERIFY_WITH_TIMEOUT(s.ended, kHangMs);
        const QList<QByteArray> events = s.body.split('\n');
        QStringList texts;
        for (const QByteArray& line : events) {
            if (!line.startsWith("data: {")) continue;
            const QJsonObject c = QJsonDocument::fromJson(line.mid(6)).object();
            QCOMPARE(c.value("object").toString(), QString("text_completion"));
            texts << c.value("choices").toArray().at(0).toObject().value("text").toString();
        }
        QCOMPARE(texts, (QStringList{"upon", " a", ""}));
        QVERIFY(s.body.endsWith("data: [DONE]\n\n"));
    }

    void errorShapes() {
        Rig rig;
        rig.engine.prompt = 64;  // == the context: no room for one token
        FakeResponder r;
        rig.post("/v1/chat/completions", kChat, r);
        QCOMPARE(r.status, 400);
        const QJsonObject e = r.error();
        QCOMPARE(e.value("code").toString(), QString("context_length_exceeded"));
        QCOMPARE(e.value("type").toString(), QString("invalid_request_error"));
        QCOMPARE(e.value("n_prompt_tokens").toInt(), 64);
        QCOMPARE(e.value("n_ctx").toInt(), 64);
        QCOMPARE(e.value("message").toString(),
                 QString("This model's maximum context length is 64 tokens. However, your messages resulted in 64 tokens."));
        // A stream gets the same 400, not a 200 that fails later.
        FakeResponder s;
        rig.post("/v1/chat/completions", "{\"model\":\"tiny-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", s);
        QCOMPARE(s.status, 400);
        QVERIFY(!s.streamed);

        FakeResponder m;
        rig.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", m);
        QCOMPARE(m.status, 404);
        QCOMPARE(m.error().value("code").toString(), QString("model_not_found"));
        QCOMPARE(m.error().value("type").toString(), QString("not_found_error"));

        FakeResponder emb;
        rig.post("/v1/embeddings", "{\"model\":\"tiny-chat\",\"input\":\"x\"}", emb);
        QCOMPARE(emb.status, 404);  // no embedding model loaded
        QCOMPARE(emb.error().value("code").toString(), QString("model_not_found"));

        FakeResponder route;
        rig.post("/v1/nothing", "{}", route);
        QCOMPARE(route.status, 404);
        FakeResponder method;
        rig.get("/v1/chat/completions", method);
        QCOMPARE(method.status, 405);
        QCOMPARE(rig.engine.started.load(), 0);
    }

    void healthAndModels() {
        Rig rig;
        FakeResponder h;
        rig.get("/health", h);
        QCOMPARE(h.status, 200);
        QCOMPARE(h.json().value("status").toString(), QString("ok"));
        FakeResponder m;
        rig.get("/v1/models", m);
        const QJsonArray data = m.json().value("data").toArray();
        QCOMPARE(data.size(), 1);
        QCOMPARE(data[0].toObject().value("id").toString(), QString("tiny-chat"));
        QCOMPARE(data[0].toObject().value("object").toString(), QString("model"));
        QCOMPARE(data[0].toObject().value("context_length").toInt(), 64);
        FakeResponder one;
        rig.get("/v1/models/tiny-chat", one);
        QCOMPARE(one.json().value("id").toString(), QString("tiny-chat"));
        FakeResponder none;
        rig.get("/v1/models/other", none);
        QCOMPARE(none.status, 404);
        QCOMPARE(none.error().value("code").toString(), QString("model_not_found"));
    }

    void midStreamErrorIsAnSseErrorEvent() {
        Rig rig;
        rig.engine.script = {answer("a")};
        rig.engine.failAtEnd = true;
        FakeResponder r;
        rig.post("/v1/chat/completions", "{\"model\":\"tiny-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", r);
        QTRY_VERIFY_WITH_TIMEOUT(r.ended, kHangMs);
        QCOMPARE(r.status, 200);
        const QByteArray last = r.body.mid(r.body.lastIndexOf("data: "));
        QVERIFY2(last.startsWith("data: {\"error\":"), r.body.constData());
        QVERIFY(last.endsWith("\n\n"));
        const QJsonObject e = QJsonDocument::fromJson(last.mid(6)).object().value("error").toObject();
        QVERIFY(e.value("message").toString().contains("device lost"));
        QCOMPARE(e.value("type").toString(), QString("server_error"));
        QVERIFY(!r.body.contains("[DONE]"));
    }

    void queueFullIs429() {
        Rig rig(1);  // one may wait besides the running one
        rig.engine.gated = true;
        rig.engine.script = {answer("a")};
        FakeResponder running, waiting, refused;
        rig.post("/v1/chat/completions", kChat, running);
        QTRY_COMPARE_WITH_TIMEOUT(rig.engine.started.load(), 1, kHangMs);
        rig.post("/v1/chat/completions", "{\"model\":\"tiny-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", waiting);
        // A queued stream gets its headers, role chunk and a queued comment at once.
        QCOMPARE(waiting.status, 200);
        QVERIFY(waiting.body.contains("\"role\":\"assistant\""));
        QVERIFY(waiting.body.endsWith(": queued\n\n"));
        QCOMPARE(rig.api->queue().waiting(), 1);
        rig.post("/v1/chat/completions", kChat, refused);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.error().value("type").toString(), QString("rate_limit_error"));
        QCOMPARE(refused.error().value("code").toString(), QString("queue_full"));
        QVERIFY(refused.header("Retry-After").toInt() > 0);
        rig.engine.release(2);
        QTRY_VERIFY_WITH_TIMEOUT(running.ended && waiting.ended, kHangMs);
        QCOMPARE(running.status, 200);
        QVERIFY(waiting.body.endsWith("data: [DONE]\n\n"));
        QCOMPARE(rig.engine.started.load(), 2);
    }

    void queuedStreamsGetKeepaliveComments() {
        Rig rig(32, 1);
        rig.engine.gated = true;
        rig.engine.script = {answer("a")};
        FakeResponder running, waiting;
        rig.post("/v1/chat/completions", kChat, running);
        QTRY_COMPARE_WITH_TIMEOUT(rig.engine.started.load(), 1, kHangMs);
        rig.post("/v1/chat/completions", "{\"model\":\"tiny-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", waiting);
        QTRY_VERIFY_WITH_TIMEOUT(waiting.body.count(": queued\n\n") >= 3, kHangMs);
        rig.engine.release(2);
        QTRY_VERIFY_WITH_TIMEOUT(waiting.ended, kHangMs);
        // Once its generation started, no more comments: only chunks.
        const QByteArray afterStart = waiting.body.mid(waiting.body.indexOf("{\"content\":\"a\"}"));
        QVERIFY(!afterStart.contains(": queued"));
        QVERIFY(afterStart.endsWith("data: [DONE]\n\n"));
    }

    void disconnectCancelsWithinOneToken() {
        Rig rig;
        rig.engine.gated = true;
        rig.engine.script = {answer("a"), answer("b"), answer("c"), answer("d")};
        FakeResponder r;
        rig.post("/v1/chat/completions", "{\"model\":\"tiny-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", r);
        rig.engine.release(1);
        QTRY_VERIFY_WITH_TIMEOUT(r.body.contains("{\"content\":\"a\"}"), kHangMs);
        r.drop();
        rig.engine.release(1);  // the next token: the engine must see the cancel flag first
        QTRY_COMPARE_WITH_TIMEOUT(rig.engine.finished.load(), 1, kHangMs);
        QCOMPARE(rig.engine.emitted.load(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!rig.api->queue().busy(), kHangMs);
    }

    void disconnectWhileQueuedRemovesTheRequest() {
        Rig rig;
        rig.engine.gated = true;
        rig.engine.script = {answer("a")};
        FakeResponder first, second;
        rig.post("/v1/chat/completions", kChat, first);
        QTRY_COMPARE_WITH_TIMEOUT(rig.engine.started.load(), 1, kHangMs);
        rig.post("/v1/chat/completions", kChat, second);
        QCOMPARE(rig.api->queue().waiting(), 1);
        second.drop();
        QCOMPARE(rig.api->queue().waiting(), 0);
        rig.engine.release(1);
        QTRY_VERIFY_WITH_TIMEOUT(first.ended, kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(!rig.api->queue().busy(), kHangMs);
        QCOMPARE(rig.engine.started.load(), 1);  // the withdrawn one never ran
    }
};

QTEST_GUILESS_MAIN(TstServerOpenai)
#include "tst_server_openai.moc"
