// Output grammars: JSON Schema and tool-call grammars accept exactly the
// documents they describe (hand-checked valid and invalid cases, and random
// valid documents from an independent generator), and the token constraint
// agrees with the byte matcher while a random walk over the real Gemma
// vocabulary always ends in a document that parses and validates.
#include <QtTest>

#include <nlohmann/json.hpp>
#include <random>

#include "grammar/grammar.h"
#include "grammar/grammar_matcher.h"
#include "grammar/token_constraint.h"
#include "support/gemma4_markers.h"
#include "support/test_paths.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

using namespace facet;
using namespace facet::grammar;
using nlohmann::json;

namespace {

const char* const kPerson = R"({"type":"object","properties":{
  "name":{"type":"string","minLength":1,"maxLength":5},
  "age":{"type":"integer"},
  "tags":{"type":"array","items":{"enum":["a","b",3,null]},"maxItems":2},
  "kind":{"const":"person"},
  "score":{"anyOf":[{"type":"number"},{"type":"null"}]},
  "ok":{"type":"boolean"}},
  "required":["name","kind"],"additionalProperties":false})";

bool matches(const Grammar& g, const std::string& text) {
    GrammarMatcher m(g);
    return m.feed(text) && m.canEnd();
}

Grammar compiled(const char* schema, Dialect d = Dialect::Json) {
    auto g = compileJsonSchema(schema, d);
    if (!g.ok()) qFatal("schema: %s", g.message().c_str());
    return std::move(g).value();
}

// An independent generator of valid documents for the test schemas (the
// subset they use), with random bounded whitespace.
struct DocWriter {
    std::mt19937 rng;
    std::string ws() {
        static const char* const kGaps[] = {"", "", " ", "\n  ", "\t"};
        return kGaps[rng() % 5];
    }
    std::string str(int minLen, int maxLen) {
        static const char* const kPieces[] = {"x", "é", "\\n", "\\u00e9", " ", "\\\"", "日"};
        const int n = minLen + static_cast<int>(rng() % (maxLen - minLen + 1));
        std::string s = "\"";
        for (int i = 0; i < n; ++i) s += kPieces[rng() % 7];
        return s + "\"";
    }
    std::string value(const json& s) {
        if (s.contains("const")) return s["const"].dump();
        if (s.contains("enum")) return s["enum"][rng() % s["enum"].size()].dump();
        if (s.contains("anyOf")) return value(s["anyOf"][rng() % s["anyOf"].size()]);
        const std::string t = s["type"];
        if (t == "string") return str(s.value("minLength", 0), s.value("maxLength", 6));
        if (t == "integer") return std::to_string(static_cast<int>(rng() % 2001) - 1000);
        if (t == "number") return (rng() % 2 ? "-" : "") + std::to_string(rng() % 100) + ".5e" + std::to_string(rng() % 3);
        if (t == "boolean") return rng() % 2 ? "true" : "false";
        if (t == "null") return "null";
        if (t == "array") {
            const int n = static_cast<int>(rng() % (s.value("maxItems", 3) + 1));
            std::string out = "[" + ws();
            for (int i = 0; i < n; ++i) out += (i ? "," + ws() : "") + value(s["items"]) + ws();
            return out + "]";
        }
        std::string out = "{" + ws();
        bool first = true;
        const json required = s.value("required", json::array());
        for (auto& [k, sub] : s["properties"].items()) {
            const bool req = std::find(required.begin(), required.end(), k) != required.end();
            if (!req && rng() % 2) continue;
            out += (first ? "" : "," + ws()) + "\"" + k + "\"" + ws() + ":" + ws() + value(sub) + ws();
            first = false;
        }
        return out + "}";
    }
};

}  // namespace

class TstGrammar : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void schemaAcceptsExactlyValidDocuments_data();
    void schemaAcceptsExactlyValidDocuments();
    void randomValidDocumentsAreAccepted();
    void refsAndRecursion();
    void anyJsonObjectAcceptsObjectsOnly();
    void unsupportedSchemasAreRefused();
    void toolCallGrammarUsesGemmaSyntax();
    void constraintAgreesWithMatcherAndEndsValid();
    void constraintLetsThoughtComeFirst();
    void onlyMarkerTokensSpellProtocolBytes();

private:
    std::unique_ptr<Tokenizer> tok_;
};

void TstGrammar::initTestCase() {
    auto tok = test::gemma4Tokenizer();
    QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
    tok_ = std::move(tok).value();
}

void TstGrammar::schemaAcceptsExactlyValidDocuments_data() {
    QTest::addColumn<QString>("doc");
    QTest::addColumn<bool>("valid");
    const std::pair<const char*, bool> rows[] = {
        {R"({"name":"Ann","kind":"person"})", true},
        {R"({ "kind" : "person" , "name" : "A\u00e9\n", "age": -12, "tags": ["a", 3], "score": 1.5e-3, "ok": false })", true},
        {R"({"name":"Ann","kind":"person","score":null,"tags":[]})", true},
        {R"({"name":"Ann"})", false},                                   // required kind missing
        {R"({"name":"","kind":"person"})", false},                      // minLength
        {R"({"name":"Annabel","kind":"person"})", false},               // maxLength
        {R"({"name":"Ann","kind":"human"})", false},                    // const
        {R"({"name":"Ann","kind":"person","extra":1})", false},         // additionalProperties false
        {R"({"name":"Ann","name":"Bo","kind":"person"})", false},       // a key twice
        {R"({"name":"Ann","kind":"person","age":1.5})", false},         // integer
        {R"({"name":"Ann","kind":"person","age":012})", false},         // leading zero
        {R"({"name":"Ann","kind":"person","score":1.})", false},        // fraction without digits
        {R"({"name":"Ann","kind":"person","tags":["a","b","a"]})", false},  // maxItems
        {R"({"name":"Ann","kind":"person","tags":["c"]})", false},      // enum
        {R"({"name":"A\x","kind":"person"})", false},                   // bad escape
        {"{\"name\":\"A\tB\",\"kind\":\"person\"}", false},             // raw control character
        {R"({"name":"Ann","kind":"person",})", false},                  // trailing comma
        {R"({"name":"Ann","kind":"person"} )", false},                  // nothing after the value
        {"{         \"name\":\"Ann\",\"kind\":\"person\"}", false},     // a gap of 9 > kMaxGap
        {"{        \"name\":\"Ann\",\"kind\":\"person\"}", true},       // a gap of 8
        {R"({"name":"Ann","kind":"person","ok":tru})", false},
        {R"({"name":"Ann","kind":"person","age":1234567890123456})", false},  // 16 digits > kMaxIntDigits
    };
    for (const auto& [doc, valid] : rows) QTest::newRow(doc) << QString::fromUtf8(doc) << valid;
}

void TstGrammar::schemaAcceptsExactlyValidDocuments() {
    QFETCH(QString, doc);
    QFETCH(bool, valid);
    const Grammar g = compiled(kPerson);
    QCOMPARE(matches(g, doc.toStdString()), valid);
}

void TstGrammar::randomValidDocumentsAreAccepted() {
    const Grammar g = compiled(kPerson);
    const json schema = json::parse(kPerson);
    DocWriter w{std::mt19937(7)};
    for (int i = 0; i < 300; ++i) {
        const std::string doc = w.value(schema);
        QVERIFY2(json::parse(doc, nullptr, false).is_object(), doc.c_str());  // the generator writes JSON
        QVERIFY2(matches(g, doc), doc.c_str());
        // Every proper prefix is alive but (objects end on '}') not complete.
        GrammarMatcher m(g);
        for (size_t k = 0; k + 1 < doc.size(); ++k) {
            QVERIFY2(m.feed(doc.substr(k, 1)), (doc + " @" + std::to_string(k)).c_str());
            QVERIFY(!m.canEnd());
        }
    }
}

void TstGrammar::refsAndRecursion() {
    const Grammar g = compiled(R"({"$defs":{"node":{"type":"object","properties":{
        "v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/$defs/node"}}},
        "required":["v"],"additionalProperties":false}},"$ref":"#/$defs/node"})");
    QVERIFY(matches(g, R"({"v":1,"kids":[{"v":2},{"v":3,"kids":[{"v":4}]}]})"));
    QVERIFY(!matches(g, R"({"v":1,"kids":[{"w":2}]})"));
    QVERIFY(matches(g, "42") == false);
}

void TstGrammar::anyJsonObjectAcceptsObjectsOnly() {
    const Grammar g = anyJsonObject();
    QVERIFY(matches(g, R"({"a":[1,{"b":null}],"c":"d","e":-0.5e+2})"));
    QVERIFY(matches(g, "{}"));
    QVERIFY(!matches(g, "[1]"));
    QVERIFY(!matches(g, R"("text")"));
    QVERIFY(!matches(g, R"({"a":})"));
}

void TstGrammar::unsupportedSchemasAreRefused() {
    for (const char* s : {R"({"type":"string","pattern":"^a"})", R"({"not":{}})", R"({"type":"thing"})",
                          R"({"type":"object","required":["x"],"properties":{}})", R"({"$ref":"#/nowhere"})",
                          R"({"type":"string","minLength":5,"maxLength":2})", "not json", "false"}) {
        auto g = compileJsonSchema(s);
        QVERIFY2(!g.ok(), s);
        QVERIFY(!g.message().empty());
    }
}

void TstGrammar::toolCallGrammarUsesGemmaSyntax() {
    const char* tools = R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
        "properties":{"location":{"type":"string"},"unit":{"enum":["celsius","fahrenheit"]},"days":{"type":"integer"}},
        "required":["location"]}}},{"type":"function","function":{"name":"get_time"}}])";
    auto g = compileToolCalls(tools, "", 2);
    QVERIFY2(g.ok(), g.ok() ? "" : g.message().c_str());
    const std::string q(1, kQuoteMarker), open(1, kCallOpenMarker), close(1, kCallCloseMarker);
    const std::string weather = open + "call:get_weather{location:" + q + "Paris \"7e\"" + q + ",unit:" + q + "celsius" + q + "}" + close;
    QVERIFY(matches(g.value(), weather));
    QVERIFY(matches(g.value(), open + "call:get_time{}" + close));
    QVERIFY(matches(g.value(), weather + open + "call:get_time{}" + close));                       // two calls
    QVERIFY(!matches(g.value(), weather + weather + weather));                                       // maxCalls 2
    QVERIFY(!matches(g.value(), open + "call:get_weather{unit:" + q + "celsius" + q + "}" + close)); // required
    QVERIFY(!matches(g.value(), open + "call:get_weather{location:" + q + "X" + q + ",unit:" + q + "kelvin" + q + "}" + close));
    QVERIFY(!matches(g.value(), open + "call:get_weather{location:" + q + "X" + q + ",color:1}" + close));  // no other keys
    QVERIFY(!matches(g.value(), open + "call:send_mail{}" + close));
    QVERIFY(!matches(g.value(), ""));  // at least one call
    auto only = compileToolCalls(tools, "get_time", 1);
    QVERIFY(only.ok());
    QVERIFY(!matches(only.value(), weather));
    QVERIFY(!compileToolCalls(tools, "nope", 1).ok());
}

void TstGrammar::constraintAgreesWithMatcherAndEndsValid() {
    const char* schema = R"({"type":"object","properties":{"city":{"type":"string","maxLength":6},
        "temp":{"type":"number"},"rain":{"type":"boolean"},"tags":{"type":"array","items":{"type":"string","maxLength":3},"maxItems":2}},
        "required":["city","temp","rain","tags"],"additionalProperties":false})";
    const std::vector<int> stops = {tok_->eosId(), *tok_->idOf("<turn|>")};
    std::mt19937 rng(11);
    for (int walk = 0; walk < 2; ++walk) {
        TokenConstraint c(*tok_, compiled(schema), {stops, false});
        const Grammar oracleGrammar = compiled(schema);
        GrammarMatcher oracle(oracleGrammar);
        std::string text;
        bool ended = false;
        for (int step = 0; step < 200 && !ended; ++step) {
            std::vector<int> allowed;
            for (int id = 0; id < tok_->vocabSize(); ++id)
                if (c.allows(id)) allowed.push_back(id);
            QVERIFY2(!allowed.empty(), text.c_str());
            // The fast paths agree with running the matcher, on a sample of ids.
            for (int k = 0; k < 300; ++k) {
                const int id = static_cast<int>(rng() % tok_->vocabSize());
                std::string b;
                if (!tok_->isControl(id)) tok_->appendRawBytes(id, false, b);
                const bool isStop = std::find(stops.begin(), stops.end(), id) != stops.end();
                const bool expect = isStop ? oracle.canEnd() : (!b.empty() && oracle.canFeed(b));
                QVERIFY2(c.allows(id) == expect, (text + " | id " + std::to_string(id)).c_str());
            }
            // Prefer structure now and then so the walk finishes.
            int pick = allowed[rng() % allowed.size()];
            for (int stop : stops)
                if (c.allows(stop) && rng() % 2) pick = stop;
            c.accept(pick);
            if (std::find(stops.begin(), stops.end(), pick) != stops.end()) {
                ended = true;
                break;
            }
            std::string b;
            tok_->appendRawBytes(pick, false, b);
            QVERIFY(oracle.feed(b));
            text += b;
        }
        QVERIFY2(ended, text.c_str());
        const json doc = json::parse(text, nullptr, false);
        QVERIFY2(doc.is_object(), text.c_str());
        QVERIFY(doc["city"].is_string() && doc["temp"].is_number() && doc["rain"].is_boolean() && doc["tags"].is_array());
        QVERIFY(doc["tags"].size() <= 2);
        QCOMPARE(doc.size(), size_t(4));
    }
}

void TstGrammar::constraintLetsThoughtComeFirst() {
    const int open = *tok_->idOf("<|channel>"), close = *tok_->idOf("<channel|>");
    const int brace = tok_->encode("{").front();
    const int word = tok_->encode("hello").front();
    TokenConstraint c(*tok_, anyJsonObject(), {{tok_->eosId()}, true});
    QVERIFY(c.allows(open));
    QVERIFY(c.allows(brace));
    QVERIFY(!c.allows(word));
    c.accept(open);
    QVERIFY(c.allows(word));  // the thought is free text
    QVERIFY(!c.allows(tok_->eosId()));
    c.accept(word);
    c.accept(close);
    QVERIFY(!c.allows(word));
    QVERIFY(c.allows(brace));
    QVERIFY(!c.allows(open));
}

void TstGrammar::onlyMarkerTokensSpellProtocolBytes() {
    auto g = compileToolCalls("[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "", 1);
    QVERIFY(g.ok());
    TokenConstraint c(*tok_, std::move(g).value(), {{tok_->eosId()}, false});
    const int callOpen = *tok_->idOf("<|tool_call>");
    const auto byteToken = tok_->idOf("<0x02>");  // decodes to the same byte as the marker
    QVERIFY(byteToken.has_value());
    QVERIFY(c.allows(callOpen));
    QVERIFY(!c.allows(*byteToken));
    QVERIFY(!c.allows(tok_->eosId()));  // a required call must come first
}

QTEST_GUILESS_MAIN(TstGrammar)
#include "tst_grammar.moc"
