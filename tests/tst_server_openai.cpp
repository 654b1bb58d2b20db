// The OpenAI-compatible API without a model or sockets: request parsing and
// every 400, the SSE framing byte for byte for a scripted token stream, usage
// gating, error shapes, stop strings, the bounded queue (429) and client
// disconnects. A scripted CompletionEngine stands in for the model and a
// fake HttpResponder records what would go on the wire.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <condition_variable>
#include <mutex>

#include "api_error.h"
#include "openai_api.h"
#include "openai_request.h"
#include "openai_response.h"
#include "stop_matcher.h"
#include "support/hang_guard.h"

using namespace facet;
using namespace facet::server;
using facet::test::kHangMs;

namespace {

class FakeResponder : public http::HttpResponder {
public:
    int status = -1;
    http::HeaderList headers;
    QByteArray body;
    bool streamed = false, ended = false, gone = false;

    void send(int s, const http::HeaderList& h, const QByteArray& b) override {
        if (!isOpen()) return;
        status = s;
        headers = h;
        body = b;
        ended = true;
    }
    void beginStream(int s, const http::HeaderList& h) override {
        if (!isOpen()) return;
        status = s;
        headers = h;
        streamed = true;
    }
    void write(const QByteArray& d) override {
        if (isOpen()) body += d;
    }
    void end() override { ended = true; }
    bool isOpen() const override { return !ended && !gone; }
    void drop() {
        gone = true;
        emit disconnected();
    }
    QByteArray header(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value("error").toObject(); }
};

// Emits `script` in order; gated, each delta waits for a permit first (then
// checks cancel), so a test can stop it between two tokens.
class ScriptedEngine : public CompletionEngine {
public:
    int ctx = 64;
    int prompt = 10;
    int cached = 0;
    std::vector<ChatOutput> script;
    EngineStop stop = EngineStop::StopToken;
    bool failAtEnd = false;
    bool gated = false;
    std::atomic<int> emitted{0}, started{0}, finished{0};

    void release(int n) {
        std::lock_guard<std::mutex> l(m_);
        permits_ += n;
        cv_.notify_all();
    }
    void openGate() {
        std::lock_guard<std::mutex> l(m_);
        open_ = true;
        cv_.notify_all();
    }
    EngineJob lastJob() {
        std::lock_guard<std::mutex> l(m_);
        return last_;
    }

    int contextSize() const override { return ctx; }
    Result<int> promptTokens(const EngineJob&) const override { return prompt; }
    Result<EngineOutcome> run(const EngineJob& job, const std::atomic<bool>* cancel,
                              const std::function<bool(const ChatOutput&)>& onDelta) override {
        {
            std::lock_guard<std::mutex> l(m_);
            last_ = job;
        }
        ++started;
        EngineOutcome out{prompt, 0, cached, stop};
        for (const ChatOutput& d : script) {
            if (gated) {
                std::unique_lock<std::mutex> l(m_);
                cv_.wait(l, [this] { return permits_ > 0 || open_; });
                if (permits_ > 0) --permits_;
            }
            if (cancel && cancel->load()) {
                out.stop = EngineStop::Halted;
                ++finished;
                return out;
            }
            ++emitted;
            ++out.completionTokens;
            if (!onDelta(d)) {
                out.stop = EngineStop::Halted;
                ++finished;
                return out;
            }
        }
        ++finished;
        if (failAtEnd) return errorf("device lost");
        return out;
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int permits_ = 0;
    bool open_ = false;
    EngineJob last_;
};

// The engine outlives the API (its queue thread runs the engine); a gated
// engine is opened before the queue joins its thread.
struct Rig {
    ScriptedEngine engine;
    std::unique_ptr<OpenAiApi> api;
    explicit Rig(int capacity = 32, int keepaliveMs = 0) {
        OpenAiApi::Options o;
        o.chatModelId = "tiny-chat";
        o.queueCapacity = capacity;
        o.keepaliveMs = keepaliveMs;
        api = std::make_unique<OpenAiApi>(engine, nullptr, o);
    }
    ~Rig() {
        engine.openGate();
        api.reset();
    }
    void post(const QByteArray& path, const QByteArray& body, FakeResponder& r) {
        http::HttpRequest req;
        req.method = "POST";
        req.path = path;
        req.body = body;
        api->handle(req, &r);
    }
    void get(const QByteArray& path, FakeResponder& r) {
        http::HttpRequest req;
        req.method = "GET";
        req.path = path;
        api->handle(req, &r);
    }
};

ChatOutput answer(const char* s) { return ChatOutput{{}, s}; }
ChatOutput thought(const char* s) { return ChatOutput{s, {}}; }

const QByteArray kChat = "{\"model\":\"tiny-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

}  // namespace

class TstServerOpenai : public QObject {
    Q_OBJECT
private slots:
    void parsesAFullChatRequest() {
        const QByteArray body =
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            "\"max_completion_tokens\":77,\"stop\":[\"END\",\"@@\"],\"temperature\":0.5,\"top_p\":0.9,\"top_k\":20,"
            "\"min_p\":0.05,\"seed\":42,\"repetition_penalty\":1.1,\"frequency_penalty\":0,\"presence_penalty\":0,"
            "\"chat_template_kwargs\":{\"enable_thinking\":true},\"user\":\"u\",\"mystery\":1,\"also_unknown\":{},"
            "\"messages\":[{\"role\":\"developer\",\"content\":\"be brief\"},"
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"one\"},{\"type\":\"text\",\"text\":\"two\"}]},"
            "{\"role\":\"assistant\",\"content\":\"ok\",\"reasoning_content\":\"hm\"},"
            "{\"role\":\"user\",\"content\":\"again\"}]}";
        auto r = parseChatRequest(body);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        const ChatRequest& c = r.value();
        QCOMPARE(c.params.model, QString("m"));
        QVERIFY(c.params.stream);
        QVERIFY(c.params.includeUsage);
        QCOMPARE(c.params.maxTokens, 77);
        QCOMPARE(c.params.stop, (std::vector<std::string>{"END", "@@"}));
        QCOMPARE(c.params.sampling.temperature, 0.5f);
        QCOMPARE(c.params.sampling.topP, 0.9f);
        QCOMPARE(c.params.sampling.topK, 20);
        QCOMPARE(c.params.sampling.minP, 0.05f);
        QCOMPARE(c.params.sampling.seed, uint64_t(42));
        QCOMPARE(c.params.sampling.repeatPenalty, 1.1f);
        QVERIFY(c.thinking);
        QCOMPARE(c.messages.size(), size_t(4));
        QCOMPARE(c.messages[0].role, ChatMessage::System);
        QCOMPARE(c.messages[0].text, std::string("be brief"));
        QCOMPARE(c.messages[1].text, std::string("one\ntwo"));
        QCOMPARE(c.messages[2].role, ChatMessage::Model);
        QCOMPARE(c.messages[2].text, std::string("ok"));
        QCOMPARE(c.messages[3].role, ChatMessage::User);
        QStringList ignored = c.params.ignored;
        ignored.sort();
        QCOMPARE(ignored, (QStringList{"also_unknown", "mystery"}));
    }

    void chatDefaultsAndThinkingSwitches() {
        auto r = parseChatRequest(kChat);
        QVERIFY(r.ok());
        QCOMPARE(r.value().params.maxTokens, -1);
        QVERIFY(!r.value().params.stream);
        QVERIFY(!r.value().thinking);
        QCOMPARE(r.value().params.sampling.temperature, 1.f);  // Gemma 4's generation_config
        QCOMPARE(r.value().params.sampling.topK, 64);
        QVERIFY(r.value().params.ignored.isEmpty());
        auto on = parseChatRequest("{\"model\":\"m\",\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        QVERIFY(on.ok() && on.value().thinking);
        auto off = parseChatRequest(
            "{\"model\":\"m\",\"reasoning_effort\":\"high\",\"chat_template_kwargs\":{\"enable_thinking\":false},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        QVERIFY(off.ok() && !off.value().thinking);
        auto none = parseChatRequest("{\"model\":\"m\",\"reasoning_effort\":\"none\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        QVERIFY(none.ok() && !none.value().thinking);
        auto maxTok = parseChatRequest("{\"model\":\"m\",\"max_tokens\":5,\"stop\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        QVERIFY(maxTok.ok());
        QCOMPARE(maxTok.value().params.maxTokens, 5);
        QCOMPARE(maxTok.value().params.stop, std::vector<std::string>{"x"});
    }

    void chatRequestErrors_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        const QByteArray u = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        QTest::newRow("not json") << QByteArray("{\"model\":") << "invalid_value" << "";
        QTest::newRow("array body") << QByteArray("[1]") << "invalid_value" << "";
        QTest::newRow("no model") << QByteArray("{" + u + "}") << "invalid_value" << "model";
        QTest::newRow("no messages") << QByteArray("{\"model\":\"m\"}") << "invalid_value" << "messages";
        QTest::newRow("empty messages") << QByteArray("{\"model\":\"m\",\"messages\":[]}") << "invalid_value" << "messages";
        QTest::newRow("bad role") << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                                  << "invalid_value" << "messages[0].role";
        QTest::newRow("image part")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}")
            << "unsupported_parameter" << "messages[0].content[0].type";
        QTest::newRow("content number") << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}")
                                        << "invalid_value" << "messages[0].content";
        QTest::newRow("ends with assistant")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}")
            << "invalid_value" << "messages";
        QTest::newRow("tool message")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"x\"}]}")
            << "unsupported_parameter" << "messages[0].role";
        QTest::newRow("assistant tool_calls")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"a\"}]},{\"role\":\"user\",\"content\":\"x\"}]}")
            << "unsupported_parameter" << "messages[0].tool_calls";
        auto with = [&](const char* field) { return QByteArray("{\"model\":\"m\",") + field + "," + u + "}"; };
        QTest::newRow("stream string") << with("\"stream\":\"yes\"") << "invalid_value" << "stream";
        QTest::newRow("stream_options without stream") << with("\"stream_options\":{\"include_usage\":true}")
                                                       << "invalid_value" << "stream_options";
        QTest::newRow("include_usage string") << with("\"stream\":true,\"stream_options\":{\"include_usage\":1}")
                                              << "invalid_value" << "stream_options.include_usage";
        QTest::newRow("max_tokens 0") << with("\"max_tokens\":0") << "invalid_value" << "max_tokens";
        QTest::newRow("max_tokens fraction") << with("\"max_tokens\":2.5") << "invalid_value" << "max_tokens";
        QTest::newRow("max_completion_tokens negative") << with("\"max_completion_tokens\":-1") << "invalid_value"
                                                        << "max_completion_tokens";
        QTest::newRow("five stops") << with("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]") << "invalid_value" << "stop";
        QTest::newRow("stop number") << with("\"stop\":[1]") << "invalid_value" << "stop";
        QTest::newRow("stop object") << with("\"stop\":{}") << "invalid_value" << "stop";
        QTest::newRow("temperature 3") << with("\"temperature\":3") << "invalid_value" << "temperature";
        QTest::newRow("temperature string") << with("\"temperature\":\"hot\"") << "invalid_value" << "temperature";
        QTest::newRow("top_p 1.5") << with("\"top_p\":1.5") << "invalid_value" << "top_p";
        QTest::newRow("top_k negative") << with("\"top_k\":-2") << "invalid_value" << "top_k";
        QTest::newRow("min_p 2") << with("\"min_p\":2") << "invalid_value" << "min_p";
        QTest::newRow("seed fraction") << with("\"seed\":1.5") << "invalid_value" << "seed";
        QTest::newRow("repetition_penalty 0") << with("\"repetition_penalty\":0") << "invalid_value" << "repetition_penalty";
        QTest::newRow("frequency_penalty 3") << with("\"frequency_penalty\":3") << "invalid_value" << "frequency_penalty";
        QTest::newRow("frequency_penalty set") << with("\"frequency_penalty\":0.5") << "unsupported_parameter"
                                               << "frequency_penalty";
        QTest::newRow("presence_penalty set") << with("\"presence_penalty\":-0.5") << "unsupported_parameter"
                                              << "presence_penalty";
        QTest::newRow("n 2") << with("\"n\":2") << "unsupported_parameter" << "n";
        QTest::newRow("logprobs") << with("\"logprobs\":true") << "unsupported_parameter" << "logprobs";
        QTest::newRow("tools") << with("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]")
                               << "unsupported_parameter" << "tools";
        QTest::newRow("tool_choice required") << with("\"tool_choice\":\"required\"") << "unsupported_parameter"
                                              << "tool_choice";
        QTest::newRow("response_format json") << with("\"response_format\":{\"type\":\"json_object\"}")
                                              << "unsupported_parameter" << "response_format";
        QTest::newRow("reasoning_effort bogus") << with("\"reasoning_effort\":\"max\"") << "invalid_value"
                                                << "reasoning_effort";
        QTest::newRow("enable_thinking string") << with("\"chat_template_kwargs\":{\"enable_thinking\":\"yes\"}")
                                                << "invalid_value" << "chat_template_kwargs.enable_thinking";
    }
    void chatRequestErrors() {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, param);
        auto r = parseChatRequest(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().status, 400);
        QCOMPARE(r.error().type, QString("invalid_request_error"));
        QCOMPARE(r.error().code, code);
        QCOMPARE(r.error().param, param);
        QVERIFY(!r.error().message.isEmpty());

        // Through the API: the same error as an OpenAI-shaped 400 body.
        Rig rig;
        FakeResponder resp;
        rig.post("/v1/chat/completions", body, resp);
        QCOMPARE(resp.status, 400);
        QCOMPARE(resp.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject e = resp.error();
        QCOMPARE(e.value("code").toString(), code);
        QCOMPARE(e.value("type").toString(), QString("invalid_request_error"));
        if (param.isEmpty()) QVERIFY(e.value("param").isNull());
        else QCOMPARE(e.value("param").toString(), param);
        QCOMPARE(rig.engine.started.load(), 0);
    }

    void completionAndEmbeddingRequests() {
        auto c = parseCompletionRequest("{\"model\":\"m\",\"prompt\":\"Once\",\"max_tokens\":3,\"stream\":true}");
        QVERIFY(c.ok());
        QCOMPARE(c.value().prompt, std::string("Once"));
        QCOMPARE(c.value().params.maxTokens, 3);
        auto c16 = parseCompletionRequest("{\"model\":\"m\",\"prompt\":[\"Once\"]}");
        QVERIFY(c16.ok());
        QCOMPARE(c16.value().params.maxTokens, 16);  // OpenAI's default for completions
        auto noPrompt = parseCompletionRequest("{\"model\":\"m\"}");
        QVERIFY(!noPrompt.ok());
        QCOMPARE(noPrompt.error().param, QString("prompt"));
        auto echo = parseCompletionRequest("{\"model\":\"m\",\"prompt\":\"x\",\"echo\":true}");
        QVERIFY(!echo.ok());
        QCOMPARE(echo.error().code, QString("unsupported_parameter"));

        auto e = parseEmbeddingRequest("{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\",\"foo\":1}");
        QVERIFY(e.ok());
        QCOMPARE(e.value().input, (std::vector<std::string>{"a", "b"}));
        QVERIFY(e.value().base64);
        QCOMPARE(e.value().ignored, QStringList{"foo"});
        auto one = parseEmbeddingRequest("{\"model\":\"e\",\"input\":\"a\"}");
        QVERIFY(one.ok() && !one.value().base64 && one.value().input.size() == 1);
        for (const QByteArray& bad : {QByteArray("{\"model\":\"e\"}"), QByteArray("{\"model\":\"e\",\"input\":[]}"),
                                      QByteArray("{\"model\":\"e\",\"input\":\"\"}")}) {
            auto r = parseEmbeddingRequest(bad);
            QVERIFY2(!r.ok() && r.error().param == "input", bad.constData());
        }
        auto tokens = parseEmbeddingRequest("{\"model\":\"e\",\"input\":[[1,2]]}");
        QVERIFY(!tokens.ok());
        QCOMPARE(tokens.error().code, QString("unsupported_parameter"));
        auto dims = parseEmbeddingRequest("{\"model\":\"e\",\"input\":\"a\",\"dimensions\":64}");
        QVERIFY(dims.ok());
        QCOMPARE(dims.value().dimensions, 64);
        auto zeroDims = parseEmbeddingRequest("{\"model\":\"e\",\"input\":\"a\",\"dimensions\":0}");
        QVERIFY(!zeroDims.ok());
        QCOMPARE(zeroDims.error().param, QString("dimensions"));
        auto fmt = parseEmbeddingRequest("{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":\"hex\"}");
        QVERIFY(!fmt.ok());
        QCOMPARE(fmt.error().param, QString("encoding_format"));
    }

    void stopMatcherHoldsBackAndCuts() {
        StopMatcher m({"END", "xy"});
        QCOMPARE(m.push("abc"), std::string("abc"));
        QCOMPARE(m.push("dE"), std::string("d"));  // "E" may start "END"
        QCOMPARE(m.push("Nx"), std::string("EN"));  // "x" may start "xy"
        QCOMPARE(m.push("D tail"), std::string("xD tail"));
        QVERIFY(!m.matched());
        StopMatcher n({"END"});
        QCOMPARE(n.push("foo E"), std::string("foo "));
        QCOMPARE(n.push("ND bar"), std::string(""));
        QVERIFY(n.matched());
        QCOMPARE(n.push("more"), std::string(""));
        QCOMPARE(n.flush(), std::string(""));
        StopMatcher k({"END"});
        QCOMPARE(k.push("E"), std::string(""));
        QCOMPARE(k.flush(), std::string("E"));  // never matched: the held-back tail goes out
    }

    void chunkFormatterIsByteExact() {
        const ChunkFormatter f({"chatcmpl-X", 1700000000, "tiny"}, ChunkFormatter::Kind::Chat, true);
        const QByteArray head = "data: {\"choices\":";
        const QByteArray tail = ",\"created\":1700000000,\"id\":\"chatcmpl-X\",\"model\":\"tiny\",\"object\":\"chat.completion.chunk\",\"usage\":null}";
        QCOMPARE(f.roleChunk(),
                 head + "[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + "\n\n");
        QCOMPARE(f.deltaChunk(thought("hm")),
                 head + "[{\"delta\":{\"reasoning_content\":\"hm\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail + "\n\n");
        QCOMPARE(f.deltaChunk(ChatOutput{"a", "b"}),
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
