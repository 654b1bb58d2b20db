// OpenAI requests as the API reads them: a full chat request, defaults and
// the thinking switches, every 400 (checked through the API as well),
// completion and embedding requests, and the stop-string matcher.
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

class TstServerOpenaiRequest : public QObject {
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
        QTest::newRow("image part with a bad url")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}")
            << "invalid_value" << "messages[0].content[0].image_url.url";
        QTest::newRow("audio part")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}")
            << "unsupported_parameter" << "messages[0].content[0].type";
        QTest::newRow("content number") << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}")
                                        << "invalid_value" << "messages[0].content";
        QTest::newRow("ends with assistant")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}")
            << "invalid_value" << "messages";
        QTest::newRow("tool message without a call")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"x\"}]}")
            << "invalid_value" << "messages[0].role";
        QTest::newRow("assistant tool_calls without a name")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"a\"}]},{\"role\":\"user\",\"content\":\"x\"}]}")
            << "invalid_value" << "messages[0].tool_calls[0].function.name";
        QTest::newRow("function role")
            << QByteArray("{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}]}")
            << "unsupported_parameter" << "messages[0].role";
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
        QTest::newRow("presence_penalty -3") << with("\"presence_penalty\":-3") << "invalid_value" << "presence_penalty";
        QTest::newRow("n 2") << with("\"n\":2") << "unsupported_parameter" << "n";
        QTest::newRow("logprobs") << with("\"logprobs\":true") << "unsupported_parameter" << "logprobs";
        const QByteArray tool = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
        QTest::newRow("tool type") << with("\"tools\":[{\"type\":\"retrieval\"}]") << "unsupported_parameter" << "tools[0].type";
        QTest::newRow("tool name") << with("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a b\"}}]")
                                   << "invalid_value" << "tools[0].function.name";
        QTest::newRow("functions") << with("\"functions\":[]") << "unsupported_parameter" << "functions";
        QTest::newRow("tool_choice required without tools") << with("\"tool_choice\":\"required\"") << "invalid_value"
                                                             << "tool_choice";
        QTest::newRow("tool_choice bogus") << with(tool + ",\"tool_choice\":\"always\"") << "invalid_value" << "tool_choice";
        QTest::newRow("tool_choice unknown function")
            << with(tool + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}") << "invalid_value" << "tool_choice";
        QTest::newRow("response_format type") << with("\"response_format\":{\"type\":\"yaml\"}") << "invalid_value"
                                              << "response_format.type";
        QTest::newRow("json_schema without schema") << with("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\"}}")
                                                    << "invalid_value" << "response_format.json_schema.schema";
        QTest::newRow("json_schema pattern")
            << with("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"string\",\"pattern\":\"a+\"}}}")
            << "invalid_value" << "response_format.json_schema.schema";
        QTest::newRow("required call and json") << with(tool + ",\"tool_choice\":\"required\",\"response_format\":{\"type\":\"json_object\"}")
                                                << "invalid_value" << "response_format";
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
};

QTEST_GUILESS_MAIN(TstServerOpenaiRequest)
#include "tst_server_openai_request.moc"
