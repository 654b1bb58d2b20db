// Opening EmbeddingGemma GGUFs that are damaged or hostile: each named
// corruption, patched into a copy of a reference file, must fail with a
// message naming the file and the key or tensor; truncated copies and seeded
// byte flips must fail or run, never crash.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <random>

#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "model/gguf_file.h"
#include "model/gguf_writer.h"
#include "support/embedding_reference.h"
#include "tokenizer/tokenizer.h"

using namespace facet;
using namespace facet::test;

namespace {

std::vector<uint8_t> referenceBytes() {
    QFile f(loadEmbeddingReference("embgemma-like.s11.q8_0").gguf);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    return std::vector<uint8_t>(b.begin(), b.end());
}

size_t find(const std::vector<uint8_t>& bytes, const std::string& s) {
    const auto it = std::search(bytes.begin(), bytes.end(), s.begin(), s.end());
    return it == bytes.end() ? std::string::npos : static_cast<size_t>(it - bytes.begin());
}

// Replaces the first occurrence of `from` with `to` (same length).
bool patch(std::vector<uint8_t>& bytes, const std::string& from, const std::string& to) {
    const size_t at = find(bytes, from);
    if (at == std::string::npos || from.size() != to.size()) return false;
    std::memcpy(bytes.data() + at, to.data(), to.size());
    return true;
}

template <typename T>
bool patchAfter(std::vector<uint8_t>& bytes, const std::string& name, size_t offsetAfterName, T value) {
    const size_t at = find(bytes, name);
    if (at == std::string::npos) return false;
    std::memcpy(bytes.data() + at + name.size() + offsetAfterName, &value, sizeof value);
    return true;
}

// The model (and its tokenizer) from bytes; the first error, or "" when both open.
std::string openError(std::vector<uint8_t> bytes) {
    auto file = GgufFile::fromBuffer(std::move(bytes), "bad.gguf");
    if (!file.ok()) return file.message();
    auto tok = Tokenizer::fromGguf(*file.value());
    if (!tok.ok()) return tok.message();
    auto model = EmbeddingModel::fromGguf(std::move(file).value());
    if (!model.ok()) return model.message();
    return "";
}

// The reference file rewritten with one more metadata key.
std::vector<uint8_t> withKey(const std::vector<uint8_t>& bytes, const std::string& key, GgufValue value) {
    auto file = GgufFile::fromBuffer(bytes, "ref.gguf");
    if (!file.ok()) return {};
    GgufWriter w;
    for (const auto& [k, v] : file.value()->metadata()) w.addValue(k, v);
    w.addValue(key, std::move(value));
    for (const GgufTensorInfo& info : file.value()->tensors()) {
        auto view = file.value()->view(info);
        if (!view.ok()) return {};
        w.addTensorRaw(info.name, info.rawType, std::vector<int64_t>(info.ne.begin(), info.ne.begin() + info.nDims),
                       std::vector<uint8_t>(view->data, view->data + view->nbytes));
    }
    auto out = w.serialize();
    return out.ok() ? std::move(out).value() : std::vector<uint8_t>{};
}

}  // namespace

class TstEmbeddingModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void opensTheReference();
    void corruptionsFailWithContext_data();
    void corruptionsFailWithContext();
    void truncatedFilesFail();
    void byteFlipsNeverCrash();
    void rejectsTheChatModelFormat();
    void slidingPatternKeyChoosesLayers();

private:
    std::vector<uint8_t> bytes_;
};

void TstEmbeddingModel::initTestCase() {
    bytes_ = referenceBytes();
    QVERIFY(bytes_.size() > 100000);
}

void TstEmbeddingModel::opensTheReference() {
    QCOMPARE(QString::fromStdString(openError(bytes_)), QString());
}

// GGUF tensor directory entry: name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset.
void TstEmbeddingModel::corruptionsFailWithContext_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("MissingTensor") << "MissingTensor" << "required tensor 'blk.0.attn_q.weight' [64, 128] is missing";
    QTest::newRow("WrongShape") << "WrongShape" << "tensor 'blk.0.attn_q.weight' @0x";
    QTest::newRow("UnknownType") << "UnknownType" << "blk.0.attn_q.weight";
    QTest::newRow("MissingDenseTensor") << "MissingDenseTensor" << "required tensor 'dense_3.weight'";
    QTest::newRow("MissingKey") << "MissingKey" << "required metadata key 'gemma-embedding.block_count' is missing";
    QTest::newRow("ZeroLayers") << "ZeroLayers" << "'gemma-embedding.block_count' = 0 is out of range";
    QTest::newRow("PartialDenseKeys") << "PartialDenseKeys" << "'gemma-embedding.dense_2_feat_in' is missing";
    QTest::newRow("WrongArchitecture") << "WrongArchitecture" << "architecture is 'gemma-embeddinX'";
    QTest::newRow("MissingScores") << "MissingScores" << "tokenizer.ggml.scores is missing";
}

void TstEmbeddingModel::corruptionsFailWithContext() {
    QFETCH(QString, name);
    QFETCH(QString, expected);
    std::vector<uint8_t> b = bytes_;
    bool patched = false;
    if (name == "MissingTensor") patched = patch(b, "blk.0.attn_q.weight", "blk.0.attn_Q.weight");
    if (name == "WrongShape")  // [64, 128] -> [128, 64]: same bytes, wrong orientation
        patched = patchAfter<uint64_t>(b, "blk.0.attn_q.weight", 4, 128) &&
                  patchAfter<uint64_t>(b, "blk.0.attn_q.weight", 12, 64);
    if (name == "UnknownType") patched = patchAfter<uint32_t>(b, "blk.0.attn_q.weight", 20, 99);
    if (name == "MissingDenseTensor") patched = patch(b, "dense_3.weight", "dense_3.weighX");
    if (name == "MissingKey") patched = patch(b, "gemma-embedding.block_count", "gemma-embedding.block_coun7");
    if (name == "ZeroLayers") patched = patchAfter<uint32_t>(b, "gemma-embedding.block_count", 4, 0);
    if (name == "PartialDenseKeys")
        patched = patch(b, "gemma-embedding.dense_2_feat_in", "gemma-embedding.dense_2_feat_iX");
    if (name == "WrongArchitecture") patched = patch(b, "gemma-embedding\x0c", "gemma-embeddinX\x0c");
    if (name == "MissingScores") patched = patch(b, "tokenizer.ggml.scores", "tokenizer.ggml.scoreX");
    QVERIFY2(patched, qPrintable(name));
    const QString error = QString::fromStdString(openError(b));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.startsWith("bad.gguf"), qPrintable(error));
}

void TstEmbeddingModel::truncatedFilesFail() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const size_t n = bytes_.size();
    for (size_t size : {size_t{0}, size_t{3}, size_t{8}, size_t{24}, size_t{100}, size_t{600}, size_t{1100},
                        size_t{9300}, size_t{14000}, size_t{15000}, n / 2, n - 1}) {
        const std::vector<uint8_t> cut(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(size));
        const std::string error = openError(cut);
        QVERIFY2(!error.empty(), qPrintable(QString("%1 bytes opened").arg(size)));
        // Through the file path too.
        const QString path = dir.filePath(QString("cut%1.gguf").arg(size));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(cut.data()), static_cast<qint64>(cut.size()));
        f.close();
        auto model = EmbeddingModel::open(path.toStdString());
        QVERIFY2(!model.ok(), qPrintable(QString("%1 bytes opened").arg(size)));
        QVERIFY2(model.message().find(path.toStdString()) != std::string::npos, model.message().c_str());
    }
}

void TstEmbeddingModel::byteFlipsNeverCrash() {
    std::mt19937 rng(20260901);
    // Flips land in the header and directory (where parsing decides things)
    // most of the time, and anywhere in the file otherwise.
    const size_t directoryEnd = find(bytes_, "blk.7.post_ffw_norm.weight") + 64;
    int opened = 0;
    for (int iter = 0; iter < 60; ++iter) {
        std::vector<uint8_t> b = bytes_;
        for (int k = 0; k < 4; ++k) {
            const size_t limit = iter % 4 == 3 ? b.size() : directoryEnd;
            b[rng() % limit] ^= static_cast<uint8_t>(1u << (rng() % 8));
        }
        auto file = GgufFile::fromBuffer(std::move(b), "flip.gguf");
        if (!file.ok()) continue;
        (void)Tokenizer::fromGguf(*file.value());
        auto model = EmbeddingModel::fromGguf(std::move(file).value());
        if (!model.ok()) continue;
        ++opened;
        auto out = EmbeddingForward(*model.value()).embed({{2, 10, 1}});
        (void)out;  // any result is fine; a crash or sanitizer report is not
    }
    QVERIFY(opened > 0);  // some flips hit data only, so the forward ran too
}

void TstEmbeddingModel::rejectsTheChatModelFormat() {
    auto model = EmbeddingModel::open(dataFile("e2b-like.gguf").toStdString());
    QVERIFY(!model.ok());
    QVERIFY2(model.message().find("architecture is 'gemma4'") != std::string::npos, model.message().c_str());
}

void TstEmbeddingModel::slidingPatternKeyChoosesLayers() {
    const std::vector<int> ids = loadEmbeddingReference("embgemma-like.s11.q8_0").cases[1].ids;
    auto embed = [&](const std::vector<uint8_t>& bytes, std::vector<bool>& sliding) -> std::vector<float> {
        auto file = GgufFile::fromBuffer(bytes, "pattern.gguf");
        if (!file.ok()) return {};
        auto model = EmbeddingModel::fromGguf(std::move(file).value());
        if (!model.ok()) return {};
        sliding.clear();
        for (int il = 0; il < model.value()->desc().nLayers; ++il) sliding.push_back(model.value()->desc().isSliding(il));
        auto out = EmbeddingForward(*model.value()).embed({ids});
        return out.ok() ? (*out)[0] : std::vector<float>{};
    };
    std::vector<bool> sliding;
    const std::vector<float> base = embed(bytes_, sliding);
    QVERIFY(!base.empty());
    QVERIFY((sliding == std::vector<bool>{true, true, true, true, true, false, true, true}));  // absent: P = 6

    GgufValue p2;
    p2.type = GgufValueType::UInt32;
    p2.i = 2;
    const std::vector<float> two = embed(withKey(bytes_, "gemma-embedding.attention.sliding_window_pattern", p2), sliding);
    QVERIFY(!two.empty());
    QVERIFY((sliding == std::vector<bool>{true, false, true, false, true, false, true, false}));
    QVERIFY2(compareVectors(base, two).maxAbs > 1e-3, "the pattern changed nothing");

    GgufValue array;  // llama.cpp ignores an array-typed key: P stays 6
    array.type = GgufValueType::Array;
    array.arrayType = GgufValueType::Bool;
    array.ints = {1, 0, 1, 0, 1, 0, 1, 0};
    const std::vector<float> ignored =
        embed(withKey(bytes_, "gemma-embedding.attention.sliding_window_pattern", array), sliding);
    QVERIFY(!ignored.empty());
    QVERIFY((sliding == std::vector<bool>{true, true, true, true, true, false, true, true}));
    QVERIFY(ignored == base);
}

QTEST_GUILESS_MAIN(TstEmbeddingModel)
#include "tst_embedding_model.moc"
