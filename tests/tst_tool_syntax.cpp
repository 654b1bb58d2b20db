// Gemma 4 tool use as text: the model's generated calls are routed apart
// from its answer by marker id (never by text), and ToolCallStream turns
// them into OpenAI tool calls whose arguments are JSON, however the bytes
// are split. The prompt side (declarations, calls, responses) is compared
// with the Jinja template in tst_server_openai_request.
#include <QtTest>

#include <nlohmann/json.hpp>
#include <random>

#include "chat/chat_format.h"
#include "chat/tool_syntax.h"
#include "support/gemma4_markers.h"
#include "support/test_paths.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

using namespace facet;
using nlohmann::json;

namespace {

struct Collected {
    std::vector<std::string> names;
    std::vector<std::string> args;
    int ends = 0;
    bool ordered = true;  // Begin events came with indexes 0, 1, ...
};

Collected collect(ToolCallStream& s, const std::string& bytes, std::mt19937& rng) {
    Collected c;
    size_t at = 0;
    while (at < bytes.size()) {
        const size_t n = 1 + rng() % 5;
        for (const ToolCallEvent& e : s.feed(bytes.substr(at, n))) {
            if (e.kind == ToolCallEvent::Begin) {
                c.ordered = c.ordered && e.index == static_cast<int>(c.names.size());
                c.names.push_back(e.text);
                c.args.emplace_back();
            } else if (e.kind == ToolCallEvent::Arguments) {
                c.args.at(e.index) += e.text;
            } else {
                ++c.ends;
            }
        }
        at += n;
    }
    return c;
}

}  // namespace

class TstToolSyntax : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void streamTurnsGemmaCallsIntoJson();
    void cutShortCallStillGivesJson();
    void renderedCallsReadBackTheSame();
    void parserRoutesCallsByMarkerId();
    void sanitizeDropsProtocolBytes();

private:
    std::unique_ptr<Tokenizer> tok_;
};

void TstToolSyntax::initTestCase() {
    auto tok = test::gemma4Tokenizer();
    QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
    tok_ = std::move(tok).value();
}

void TstToolSyntax::streamTurnsGemmaCallsIntoJson() {
    const std::string q = "\x01";
    const std::string bytes = "\x02" "call:get_weather{location:" + q + "Paris, \"FR\"\n" + q +
                              ",days:3,metric:True,extra:None,coords:[48.85,-2.35e1],opts:{deep:{x:" + q + "y" + q +
                              "}},note:maybe}\x03" "\x02" "call:get_time{}\x03";
    for (unsigned seed = 1; seed <= 20; ++seed) {
        std::mt19937 rng(seed);
        ToolCallStream s;
        const Collected c = collect(s, bytes, rng);
        QVERIFY(c.ordered);
        QCOMPARE(c.names, (std::vector<std::string>{"get_weather", "get_time"}));
        QCOMPARE(c.ends, 2);
        const json a = json::parse(c.args[0], nullptr, false);
        QVERIFY2(!a.is_discarded(), c.args[0].c_str());
        QCOMPARE(a["location"].get<std::string>(), std::string("Paris, \"FR\"\n"));
        QCOMPARE(a["days"].get<int>(), 3);
        QCOMPARE(a["metric"].get<bool>(), true);
        QVERIFY(a["extra"].is_null());
        QCOMPARE(a["coords"][1].get<double>(), -23.5);
        QCOMPARE(a["opts"]["deep"]["x"].get<std::string>(), std::string("y"));
        QCOMPARE(a["note"].get<std::string>(), std::string("maybe"));  // a bare word becomes a string
        QCOMPARE(c.args[1], std::string("{}"));
    }
}

void TstToolSyntax::cutShortCallStillGivesJson() {
    std::mt19937 rng(3);
    ToolCallStream s;
    // A new call (or the close marker) where a string was still open.
    const Collected c = collect(s, "\x02" "call:f{a:\x01half\x02" "call:g{b:[1,2\x03", rng);
    QCOMPARE(c.names, (std::vector<std::string>{"f", "g"}));
    QCOMPARE(c.ends, 2);
    QCOMPARE(json::parse(c.args[0])["a"].get<std::string>(), std::string("half"));
    QCOMPARE(json::parse(c.args[1])["b"].size(), size_t(2));
}

void TstToolSyntax::renderedCallsReadBackTheSame() {
    const std::string args = R"({"b":[1,true,null,"x"],"a":{"k":"v \"q\""},"n":-0.25})";
    const std::string text = toolCallText("lookup", args);
    QCOMPARE(text.front(), protocol::kCallOpen);
    QCOMPARE(text.back(), protocol::kCallClose);
    std::mt19937 rng(5);
    ToolCallStream s;
    const Collected c = collect(s, text, rng);
    QCOMPARE(c.names, std::vector<std::string>{"lookup"});
    QCOMPARE(json::parse(c.args[0]), json::parse(args));
}

void TstToolSyntax::parserRoutesCallsByMarkerId() {
    ChatOutputParser p(*tok_);
    std::vector<int> ids = tok_->encode("Let me check.");
    ids.push_back(*tok_->idOf("<|tool_call>"));
    for (int id : tok_->encode("call:get_time{zone:")) ids.push_back(id);
    ids.push_back(*tok_->idOf("<|\"|>"));
    for (int id : tok_->encode("UTC")) ids.push_back(id);
    ids.push_back(*tok_->idOf("<|\"|>"));
    for (int id : tok_->encode("}")) ids.push_back(id);
    ids.push_back(*tok_->idOf("<tool_call|>"));
    ids.push_back(*tok_->idOf("<|tool_response>"));  // a stop id
    ChatOutput all;
    for (int id : ids) {
        const ChatOutput d = p.feed(id);
        all.answer += d.answer;
        all.toolCalls += d.toolCalls;
    }
    QVERIFY(p.stopped());
    QCOMPARE(all.answer, std::string("Let me check."));
    QCOMPARE(all.toolCalls, std::string("\x02" "call:get_time{zone:\x01UTC\x01}\x03"));
    // Typed text that spells the markers stays answer text.
    ChatOutputParser q(*tok_);
    std::string typed;
    for (int id : tok_->encode("<|tool_call>call:x{}<tool_call|>")) typed += q.feed(id).answer;
    QCOMPARE(typed, std::string("<|tool_call>call:x{}<tool_call|>"));
    QVERIFY(q.total().toolCalls.empty());
}

void TstToolSyntax::sanitizeDropsProtocolBytes() {
    QCOMPARE(sanitizeProtocolText("a\x01" "b\x02\x07" "c\x08\n"), std::string("abc\x08\n"));
    const std::string r = toolResponseText("f", "x\x03y");
    QCOMPARE(r, std::string("\x04response:f{value:\x01xy\x01}\x05"));
}

QTEST_GUILESS_MAIN(TstToolSyntax)
#include "tst_tool_syntax.moc"
