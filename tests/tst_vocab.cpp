// Vocab loaders and the SentencePiece model Facet builds from them: the
// protobuf bytes, BPE details on a tiny vocabulary, and hostile or
// unsupported vocabularies (Vocab structs, tokenizer.json, GGUF) -> Errors
// that name the file and the key.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <string>
#include <vector>

#include "model/gguf_file.h"
#include "model/gguf_writer.h"
#include "tokenizer/sp_model_proto.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

using namespace facet;

namespace {

// A tiny valid vocabulary: specials, 256 bytes, a few letters and one merge.
Vocab tinyVocab() {
    Vocab v;
    v.source = "tiny";
    for (const char* s : {"<pad>", "<eos>", "<bos>", "<unk>"}) {
        v.pieces.push_back(s);
        v.types.push_back(PieceType::Control);
    }
    v.types[3] = PieceType::Unknown;
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        v.pieces.push_back(name);
        v.types.push_back(PieceType::Byte);
    }
    for (const char* s : {"\xE2\x96\x81", "a", "b", "ab", "\n", "ba"}) {  // "ba": no merge makes it
        v.pieces.push_back(s);
        v.types.push_back(PieceType::Normal);
    }
    v.merges = {"a b"};
    return v;
}

int tinyId(const Vocab& v, const std::string& piece) {
    for (size_t i = 0; i < v.pieces.size(); ++i)
        if (v.pieces[i] == piece) return static_cast<int>(i);
    return -1;
}

}  // namespace

class TstVocab : public QObject {
    Q_OBJECT

private slots:
    void unmergedPieceIsNeverFormedByBpe();
    void duplicatePieceMapsTextToLastId();
    void protoWritesEveryFlagExplicitly();
    void rejectsHostileVocab_data();
    void rejectsHostileVocab();
    void rejectsBrokenTokenizerJson_data();
    void rejectsBrokenTokenizerJson();
    void rejectsUnsupportedGgufTokenizer_data();
    void rejectsUnsupportedGgufTokenizer();
};

void TstVocab::unmergedPieceIsNeverFormedByBpe() {
    const Vocab v = tinyVocab();
    auto tok = Tokenizer::fromVocab(v);
    QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
    const int a = tinyId(v, "a"), b = tinyId(v, "b"), ab = tinyId(v, "ab"), sp = tinyId(v, "\xE2\x96\x81");
    QCOMPARE(tok.value()->encode("ab"), (std::vector<int>{ab}));
    QCOMPARE(tok.value()->encode("ba"), (std::vector<int>{b, a}));  // llama.cpp has no merge for it
    QCOMPARE(tok.value()->encode("b a"), (std::vector<int>{b, sp, a}));
    QCOMPARE(tok.value()->encode("c"), (std::vector<int>{4 + 'c'}));  // byte fallback
    // A newline run that is not a token goes through BPE; one that is stays whole.
    QCOMPARE(tok.value()->encode("\n\n"), (std::vector<int>{tinyId(v, "\n"), tinyId(v, "\n")}));
}

void TstVocab::duplicatePieceMapsTextToLastId() {
    Vocab v = tinyVocab();
    v.pieces.push_back("ab");
    v.types.push_back(PieceType::Normal);
    auto tok = Tokenizer::fromVocab(v);
    QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
    const int last = static_cast<int>(v.pieces.size()) - 1;
    QCOMPARE(tok.value()->encode("ab"), std::vector<int>{last});
    QCOMPARE(tok.value()->decode({tinyId(v, "ab"), last}), std::string("abab"));
}

void TstVocab::protoWritesEveryFlagExplicitly() {
    const std::vector<SpModelPiece> pieces{{"a", -2.0f, PieceType::Normal}};
    const std::string proto = serializeSpModelProto(pieces, SpModelIds{3, 2, 1, -1});
    // pieces { piece: "a" score: -2 type: NORMAL }
    QVERIFY(proto.rfind(std::string("\x0A\x0A\x0A\x01" "a\x15\x00\x00\x00\xC0\x18\x01", 12), 0) == 0);
    // normalizer_spec { name: "identity" add_dummy_prefix: false remove_extra_whitespaces: false escape_whitespaces: true }
    const std::string norm("\x1A\x10\x0A\x08identity\x18\x00\x20\x00\x28\x01", 18);
    QVERIFY(proto.size() >= norm.size() && proto.compare(proto.size() - norm.size(), norm.size(), norm) == 0);
    QVERIFY(proto.find(std::string("\x18\x02", 2)) != std::string::npos);      // model_type: BPE
    QVERIFY(proto.find(std::string("\x98\x02\x01", 3)) != std::string::npos);  // byte_fallback: true
    QVERIFY(proto.find(std::string("\xC0\x02\x03", 3)) != std::string::npos);  // unk_id: 3
    // pad_id: -1 as a sign-extended ten-byte varint
    QVERIFY(proto.find(std::string("\xD8\x02\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01", 12)) != std::string::npos);
}

void TstVocab::rejectsHostileVocab_data() {
    QTest::addColumn<int>("mutation");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("empty vocabulary") << 0 << "empty";
    QTest::newRow("types shorter than pieces") << 1 << "token types";
    QTest::newRow("bos out of range") << 2 << "bos token id";
    QTest::newRow("empty piece") << 3 << "empty string";
    QTest::newRow("invalid utf-8 piece") << 4 << "not valid UTF-8";
    QTest::newRow("byte type on a word") << 5 << "not of the form <0xXX>";
    QTest::newRow("missing byte piece") << 6 << "<0x41> is missing";
    QTest::newRow("merge without space") << 7 << "not of the form 'A B'";
    QTest::newRow("merge of unknown piece") << 8 << "not in the vocabulary";
    QTest::newRow("merge result missing") << 9 << "not in the vocabulary";
    QTest::newRow("type out of range") << 10 << "expected 1..6";
    QTest::newRow("huge piece") << 11 << "bytes long";
}

void TstVocab::rejectsHostileVocab() {
    QFETCH(int, mutation);
    QFETCH(QString, expectedError);
    Vocab v = tinyVocab();
    switch (mutation) {
    case 0: v.pieces.clear(); v.types.clear(); break;
    case 1: v.types.pop_back(); break;
    case 2: v.bos = 100000; break;
    case 3: v.pieces[tinyId(v, "b")] = ""; break;
    case 4: v.pieces[tinyId(v, "b")] = "\xC3("; break;
    case 5: v.types[tinyId(v, "ab")] = PieceType::Byte; break;
    case 6: v.types[4 + 0x41] = PieceType::Normal; v.pieces[4 + 0x41] = "A"; break;
    case 7: v.merges.push_back("ab"); break;
    case 8: v.merges.push_back("a q"); break;
    case 9: v.merges.push_back("b b"); break;
    case 10: v.types[tinyId(v, "a")] = static_cast<PieceType>(9); break;
    case 11: v.pieces[tinyId(v, "ba")] = std::string(5000, 'x'); break;
    }
    auto tok = Tokenizer::fromVocab(v);
    QVERIFY(!tok.ok());
    QVERIFY2(QString::fromStdString(tok.message()).contains(expectedError), tok.message().c_str());
    QVERIFY(QString::fromStdString(tok.message()).startsWith("tiny"));  // names the source
}

void TstVocab::rejectsBrokenTokenizerJson_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expectedError");
    QJsonObject vocab;
    for (int b = 0; b < 256; ++b) vocab.insert(QString::asprintf("<0x%02X>", b), b + 4);
    const char* specials[] = {"<pad>", "<eos>", "<bos>", "<unk>"};
    for (int i = 0; i < 4; ++i) vocab.insert(specials[i], i);
    vocab.insert("a", 260);
    vocab.insert("b", 261);
    vocab.insert("ab", 262);
    const QJsonObject model{{"type", "BPE"}, {"byte_fallback", true}, {"unk_token", "<unk>"},
                            {"vocab", vocab}, {"merges", QJsonArray{QJsonArray{"a", "b"}}}};
    const QJsonObject good{{"model", model}, {"added_tokens", QJsonArray{}}};
    auto with = [&](const QString& key, const QJsonValue& value) {
        QJsonObject m = model;
        m.insert(key, value);
        QJsonObject j = good;
        j.insert("model", m);
        return QJsonDocument(j).toJson();
    };
    QJsonObject gapVocab = vocab;
    gapVocab.insert("b", 300);
    QJsonObject noBos = vocab;
    noBos.remove("<bos>");
    noBos.insert("<s>", 2);
    QJsonObject negativeAdded = good;
    negativeAdded.insert("added_tokens", QJsonArray{QJsonObject{{"id", -4}, {"content", "<x>"}, {"special", true}}});
    QJsonObject beyond = good;  // skipped, like Gemma 3's <image_soft_token>
    beyond.insert("added_tokens", QJsonArray{QJsonObject{{"id", 263}, {"content", "<x>"}, {"special", true}}});

    QTest::newRow("good") << QJsonDocument(good).toJson() << QString();
    QTest::newRow("good with string merges") << with("merges", QJsonArray{"a b"}) << QString();
    QTest::newRow("not json") << QByteArray("{\"model\": [") << "not valid JSON";
    QTest::newRow("no model") << QByteArray("{}") << "no 'model' object";
    QTest::newRow("unigram model") << with("type", "Unigram") << "BPE";
    QTest::newRow("no byte fallback") << with("byte_fallback", false) << "byte_fallback";
    QTest::newRow("vocab not an object") << with("vocab", QJsonArray{}) << "model.vocab";
    QTest::newRow("sparse ids") << with("vocab", gapVocab) << "outside";
    QTest::newRow("string id") << with("vocab", QJsonObject{{"a", "1"}}) << "not an integer id";
    QTest::newRow("merge of three") << with("merges", QJsonArray{QJsonArray{"a", "b", "c"}}) << "model.merges[0]";
    QTest::newRow("merge with spaced left") << with("merges", QJsonArray{QJsonArray{"a b", "c"}}) << "space";
    QTest::newRow("no bos") << with("vocab", noBos) << "bos token '<bos>'";
    QTest::newRow("negative added id") << QJsonDocument(negativeAdded).toJson() << "is negative";
    QTest::newRow("added id beyond vocab") << QJsonDocument(beyond).toJson() << QString();
}

void TstVocab::rejectsBrokenTokenizerJson() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expectedError);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("tokenizer.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(json);
    f.close();
    auto tok = Tokenizer::fromTokenizerJson(path.toStdString());
    if (expectedError.isEmpty()) {
        QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
        QCOMPARE(tok.value()->encode("ab"), std::vector<int>{262});
        return;
    }
    QVERIFY(!tok.ok());
    QVERIFY2(QString::fromStdString(tok.message()).contains(expectedError), tok.message().c_str());
    QVERIFY2(QString::fromStdString(tok.message()).contains(path), tok.message().c_str());
    QVERIFY(!Tokenizer::fromTokenizerJson(dir.filePath("absent.json").toStdString()).ok());
}

void TstVocab::rejectsUnsupportedGgufTokenizer_data() {
    QTest::addColumn<int>("mutation");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("good") << 0 << QString();
    QTest::newRow("llama tokenizer") << 1 << "'llama'";
    QTest::newRow("no tokenizer") << 2 << "tokenizer.ggml.model is missing";
    QTest::newRow("token_type size") << 3 << "tokenizer.ggml.token_type has";
    QTest::newRow("token_type value") << 4 << "token_type[5] = 0";
    QTest::newRow("tokens not strings") << 5 << "tokenizer.ggml.tokens";
    QTest::newRow("no merges") << 6 << "tokenizer.ggml.merges is missing";
    QTest::newRow("dummy prefix") << 7 << "add_space_prefix";
    QTest::newRow("eos out of range") << 8 << "eos token id";
}

void TstVocab::rejectsUnsupportedGgufTokenizer() {
    QFETCH(int, mutation);
    QFETCH(QString, expectedError);
    const Vocab v = tinyVocab();
    std::vector<int64_t> types;
    for (PieceType t : v.types) types.push_back(static_cast<int64_t>(t));
    GgufWriter w;
    w.addString("general.architecture", "gemma4");
    if (mutation != 2) w.addString("tokenizer.ggml.model", mutation == 1 ? "llama" : "gemma4");
    if (mutation == 5) w.addIntArray("tokenizer.ggml.tokens", GgufValueType::Int32, {1, 2, 3});
    else w.addStringArray("tokenizer.ggml.tokens", v.pieces);
    if (mutation == 3) types.pop_back();
    if (mutation == 4) types[5] = 0;
    w.addIntArray("tokenizer.ggml.token_type", GgufValueType::Int32, types);
    if (mutation != 6) w.addStringArray("tokenizer.ggml.merges", v.merges);
    w.addUInt32("tokenizer.ggml.eos_token_id", mutation == 8 ? 9999 : 1);
    if (mutation == 7) w.addBool("tokenizer.ggml.add_space_prefix", true);
    auto bytes = w.serialize();
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.message().c_str());
    auto file = GgufFile::fromBuffer(std::move(bytes).value(), "mutated.gguf");
    QVERIFY2(file.ok(), file.ok() ? "" : file.message().c_str());
    auto tok = Tokenizer::fromGguf(*file.value());
    if (expectedError.isEmpty()) {
        QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
        QCOMPARE(tok.value()->encode("ab"), std::vector<int>{tinyId(v, "ab")});
        return;
    }
    QVERIFY(!tok.ok());
    QVERIFY2(QString::fromStdString(tok.message()).contains(expectedError), tok.message().c_str());
    QVERIFY2(QString::fromStdString(tok.message()).contains("mutated.gguf"), tok.message().c_str());
}

QTEST_GUILESS_MAIN(TstVocab)
#include "tst_vocab.moc"
