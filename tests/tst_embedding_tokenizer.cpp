// Tokenization for EmbeddingGemma as llama.cpp does it: every reference case's
// text gives exactly llama.cpp's ids (BOS … EOS) for the synthetic and the real
// 262,144-piece SentencePiece ("llama") vocabularies and for the Gemma 4 BPE
// one; and the SPM merge rules (score order, leftmost ties, byte fallback,
// USER_DEFINED pieces, add_space_prefix) on a hand-made vocabulary.
#include <QtTest>

#include "model/gguf_file.h"
#include "support/embedding_reference.h"
#include "tokenizer/tokenizer.h"

using namespace facet;
using namespace facet::test;

namespace {

QString idsString(const std::vector<int>& ids) {
    QStringList s;
    for (int id : ids) s << QString::number(id);
    return s.join(' ');
}

// <pad> <eos> <bos> <unk>, the 256 byte pieces, then `extra` (type, score).
struct ExtraPiece {
    const char* piece;
    float score;
    PieceType type = PieceType::Normal;
};

Vocab spmVocab(const std::vector<ExtraPiece>& extra, bool addSpacePrefix = false) {
    Vocab v;
    v.model = VocabModel::LlamaSpm;
    v.source = "<test vocab>";
    v.pieces = {"<pad>", "<eos>", "<bos>", "<unk>"};
    v.types = {PieceType::Control, PieceType::Control, PieceType::Control, PieceType::Unknown};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        v.pieces.push_back(name);
        v.types.push_back(PieceType::Byte);
    }
    v.scores.assign(v.pieces.size(), 0.0f);
    for (const ExtraPiece& e : extra) {
        v.pieces.push_back(e.piece);
        v.types.push_back(e.type);
        v.scores.push_back(e.score);
    }
    v.addEos = true;
    v.addSpacePrefix = addSpacePrefix;
    return v;
}

std::vector<std::string> pieces(const Tokenizer& t, const std::vector<int>& ids) {
    std::vector<std::string> out;
    for (int id : ids) out.push_back(t.piece(id));
    return out;
}

}  // namespace

class TstEmbeddingTokenizer : public QObject {
    Q_OBJECT
private slots:
    void textGivesLlamaCppIds_data();
    void textGivesLlamaCppIds();
    void mergesByScoreThenLeftmost();
    void spellsUnknownCharactersAsBytes();
    void matchesUserDefinedPiecesWhole();
    void addsSpacePrefixAfterPieces();
    void neverMatchesControlPieces();
    void rejectsBrokenSpmVocab();
};

void TstEmbeddingTokenizer::textGivesLlamaCppIds_data() {
    QTest::addColumn<QString>("stem");
    // One file per vocabulary: the q8_0 twins carry the same tokenizer.
    for (const char* stem : {"embgemma-like.s11", "embgemma-like.s12", "embgemma-nodense.s13",
                             "embgemma-gemmavocab.s14.q8_0"})
        QTest::newRow(stem) << QString(stem);
}

void TstEmbeddingTokenizer::textGivesLlamaCppIds() {
    QFETCH(QString, stem);
    const EmbeddingReference ref = loadEmbeddingReference(stem);
    QVERIFY(!ref.cases.empty());
    auto file = GgufFile::open(ref.gguf.toStdString());
    QVERIFY2(file.ok(), file.ok() ? "" : file.message().c_str());
    auto tok = Tokenizer::fromGguf(*file.value());
    QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
    QVERIFY(tok.value()->addEos());
    QCOMPARE(tok.value()->model(), stem.contains("nodense") ? VocabModel::Gemma4Bpe : VocabModel::LlamaSpm);
    for (const EmbeddingCase& c : ref.cases) {
        const std::vector<int> ids = tok.value()->encodeWithSpecials(c.text);
        QCOMPARE(idsString(ids), idsString(c.ids));
        QCOMPARE(tok.value()->decode(ids), QString::fromStdString(c.text).toStdString());
    }
}

void TstEmbeddingTokenizer::mergesByScoreThenLeftmost() {
    // "abc": ab and bc compete; the higher score wins, equal scores go left.
    for (const auto& [ab, bc, expected] : {std::tuple{-1.0f, -2.0f, std::vector<std::string>{"ab", "c"}},
                                           std::tuple{-3.0f, -2.0f, std::vector<std::string>{"a", "bc"}},
                                           std::tuple{-2.0f, -2.0f, std::vector<std::string>{"ab", "c"}}}) {
        auto tok = Tokenizer::fromVocab(spmVocab({{"a", -10}, {"b", -10}, {"c", -10}, {"ab", ab}, {"bc", bc}}));
        QVERIFY2(tok.ok(), tok.ok() ? "" : tok.message().c_str());
        QVERIFY(pieces(*tok.value(), tok.value()->encode("abc")) == expected);
    }
    // A merge needs both halves to be symbols first: "abcd" with abcd in the
    // vocabulary but no abc/bcd stays at the best pairs.
    auto tok = Tokenizer::fromVocab(
        spmVocab({{"a", -10}, {"b", -10}, {"c", -10}, {"d", -10}, {"ab", -1}, {"cd", -2}, {"abcd", -3}}));
    QVERIFY(tok.ok());
    QVERIFY(pieces(*tok.value(), tok.value()->encode("abcd")) == std::vector<std::string>{"abcd"});
    QVERIFY(tok.value()->encode("").empty());
    const std::vector<int> all = tok.value()->encodeWithSpecials("ab");
    QCOMPARE(all.size(), size_t{3});
    QCOMPARE(all.front(), tok.value()->bosId());
    QCOMPARE(all.back(), tok.value()->eosId());
}

void TstEmbeddingTokenizer::spellsUnknownCharactersAsBytes() {
    auto tok = Tokenizer::fromVocab(spmVocab({{"a", -1}, {"\xE2\x96\x81", -1}}));
    QVERIFY(tok.ok());
    // "é" (C3 A9) is no piece: its bytes; the space becomes U+2581.
    QVERIFY(pieces(*tok.value(), tok.value()->encode("a \xC3\xA9")) ==
            (std::vector<std::string>{"a", "\xE2\x96\x81", "<0xC3>", "<0xA9>"}));
    QCOMPARE(tok.value()->decode(tok.value()->encode("a \xC3\xA9")), std::string("a \xC3\xA9"));
}

void TstEmbeddingTokenizer::matchesUserDefinedPiecesWhole() {
    // "<br>" is USER_DEFINED: cut out before merging, even where merges would
    // have crossed it ("a<" is a piece).
    auto tok = Tokenizer::fromVocab(spmVocab(
        {{"a", -1}, {"b", -1}, {"<", -1}, {">", -1}, {"r", -1}, {"a<", 5}, {"<br>", 0, PieceType::UserDefined}}));
    QVERIFY(tok.ok());
    QVERIFY(pieces(*tok.value(), tok.value()->encode("a<br>b<")) ==
            (std::vector<std::string>{"a", "<br>", "b", "<"}));
}

void TstEmbeddingTokenizer::addsSpacePrefixAfterPieces() {
    const std::vector<ExtraPiece> extra = {
        {"a", -1}, {"b", -1}, {"\xE2\x96\x81", -2}, {"\xE2\x96\x81" "a", 1}, {"<br>", 0, PieceType::UserDefined}};
    auto with = Tokenizer::fromVocab(spmVocab(extra, true));
    auto without = Tokenizer::fromVocab(spmVocab(extra, false));
    QVERIFY(with.ok() && without.ok());
    // llama.cpp puts the space before the text and after each matched piece.
    QVERIFY(pieces(*with.value(), with.value()->encode("a<br>a")) ==
            (std::vector<std::string>{"\xE2\x96\x81" "a", "<br>", "\xE2\x96\x81" "a"}));
    QVERIFY(pieces(*without.value(), without.value()->encode("a<br>a")) ==
            (std::vector<std::string>{"a", "<br>", "a"}));
}

void TstEmbeddingTokenizer::neverMatchesControlPieces() {
    const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s11");
    auto file = GgufFile::open(ref.gguf.toStdString());
    QVERIFY(file.ok());
    auto tok = Tokenizer::fromGguf(*file.value());
    QVERIFY(tok.ok());
    for (int id : tok.value()->encode("<bos><eos><pad><unk>"))
        QVERIFY2(!tok.value()->isControl(id), qPrintable(QString("control id %1 from text").arg(id)));
}

void TstEmbeddingTokenizer::rejectsBrokenSpmVocab() {
    Vocab v = spmVocab({{"a", -1}});
    v.scores.pop_back();
    auto missing = Tokenizer::fromVocab(v);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.message().find("scores") != std::string::npos, missing.message().c_str());
    Vocab nan = spmVocab({{"a", std::nanf("")}});
    auto bad = Tokenizer::fromVocab(nan);
    QVERIFY(!bad.ok());
    QVERIFY2(bad.message().find("non-finite score") != std::string::npos, bad.message().c_str());
}

QTEST_GUILESS_MAIN(TstEmbeddingTokenizer)
#include "tst_embedding_tokenizer.moc"
