// The model description: the four released shapes and the tiny test shapes
// survive GGUF metadata and config.json round trips unchanged, their sizes
// match the spec's tables, and invalid files or shapes fail with clear text.
#include <QtTest>
#include <cmath>
#include <functional>

#include "model/gguf_desc.h"
#include "model/gguf_file.h"
#include "model/hf_config.h"
#include "model/hf_export.h"
#include "model/model.h"
#include "model/model_maker.h"
#include "model/synthetic_vocab.h"
#include "model/variants.h"
#include "support/model_factory.h"

using namespace facet;

namespace {

void compareDescs(const ModelDesc& a, const ModelDesc& b) {
    QCOMPARE(a.nLayers, b.nLayers);
    QCOMPARE(a.hidden, b.hidden);
    QCOMPARE(a.vocab, b.vocab);
    QCOMPARE(a.contextLength, b.contextLength);
    QCOMPARE(a.pleDim, b.pleDim);
    QCOMPARE(a.nExperts, b.nExperts);
    QCOMPARE(a.nExpertsUsed, b.nExpertsUsed);
    QCOMPARE(a.expertFfn, b.expertFfn);
    QCOMPARE(a.slidingWindow, b.slidingWindow);
    QCOMPARE(a.nKvShared, b.nKvShared);
    QCOMPARE(a.finalSoftcap, b.finalSoftcap);
    QCOMPARE(a.variant, b.variant);
    QCOMPARE(a.ropeFreqFactors.size(), b.ropeFreqFactors.size());
    for (size_t j = 0; j < a.ropeFreqFactors.size(); ++j)
        QVERIFY2((a.ropeFreqFactors[j] == 1.f) == (b.ropeFreqFactors[j] == 1.f), qPrintable(QString("pair %1").arg(j)));
    for (int i = 0; i < a.nLayers; ++i) {
        const LayerDesc &x = a.layers[i], &y = b.layers[i];
        const QByteArray where = "layer " + QByteArray::number(i);
        QVERIFY2(x.attn == y.attn, where);
        QVERIFY2(x.headDim == y.headDim, where);
        QVERIFY2(x.nHeads == y.nHeads, where);
        QVERIFY2(x.nKvHeads == y.nKvHeads, where);
        QVERIFY2(x.kvSource == y.kvSource, where);
        QVERIFY2(x.kEqV == y.kEqV, where);
        QVERIFY2(x.ffnWidth == y.ffnWidth, where);
        QVERIFY2(x.moe == y.moe, where);
        QVERIFY2(x.window == y.window, where);
        QVERIFY2(x.ropeBase == y.ropeBase, where);
    }
}

// Copies a GGUF, letting `edit` change or drop (return false) each tensor.
using TensorEdit = std::function<bool(const std::string& name, std::vector<int64_t>& ne, std::vector<uint8_t>& data)>;
bool rewriteGguf(const QString& from, const QString& to, const TensorEdit& edit) {
    auto f = GgufFile::open(from.toStdString());
    if (!f.ok()) return false;
    GgufWriter w;
    for (const auto& [k, v] : f.value()->metadata()) w.addValue(k, v);
    for (const GgufTensorInfo& t : f.value()->tensors()) {
        auto v = f.value()->view(t);
        if (!v.ok()) return false;
        std::vector<int64_t> ne(t.ne.begin(), t.ne.begin() + t.nDims);
        std::vector<uint8_t> data(v->data, v->data + v->nbytes);
        if (edit(t.name, ne, data)) w.addTensor(t.name, t.type, ne, data);
    }
    return w.write(to.toStdString()).ok();
}

}  // namespace

class TstModelDesc : public QObject {
    Q_OBJECT
private slots:
    void variantsAreValid_data();
    void variantsAreValid();
    void ggufMetadataRoundTrip_data() { variantsAreValid_data(); }
    void ggufMetadataRoundTrip();
    void hfConfigRoundTrip_data() { variantsAreValid_data(); }
    void hfConfigRoundTrip();
    void realShapesFollowTheSpec();
    void parameterCountsMatchPublishedTotals();
    void kvCacheMatchesSpecTable();
    void wrongShapeNamesTensorAndShapes();
    void missingTensorIsNamed();
    void otherArchitectureIsRejected();
    void missingFileIsAnError();

private:
    QTemporaryDir dir_;
};

void TstModelDesc::variantsAreValid_data() {
    QTest::addColumn<QString>("name");
    for (const std::string& n : variantNames()) QTest::newRow(n.c_str()) << QString::fromStdString(n);
}

void TstModelDesc::variantsAreValid() {
    QFETCH(QString, name);
    ModelDesc d;
    QVERIFY(variantByName(name.toStdString(), d));
    QCOMPARE(QString::fromStdString(validateDesc(d)), QString());
    QCOMPARE(d.layers.back().attn, AttnKind::Full);
}

void TstModelDesc::ggufMetadataRoundTrip() {
    QFETCH(QString, name);
    ModelDesc d;
    QVERIFY(variantByName(name.toStdString(), d));
    auto vocab = makeSyntheticVocab(d.vocab);
    QVERIFY2(vocab.ok(), vocab.ok() ? "" : vocab.message().c_str());
    auto w = ggufMetadataFor(d, vocab.value());
    QVERIFY(w.ok());
    // Only rope_freqs: the description needs no other tensor data.
    std::vector<uint8_t> bytes(d.ropeFreqFactors.size() * 4);
    std::memcpy(bytes.data(), d.ropeFreqFactors.data(), bytes.size());
    w->addTensor("rope_freqs.weight", GgmlType::F32, {static_cast<int64_t>(d.ropeFreqFactors.size())}, bytes);
    // k=v is encoded by the absence of attn_v: add attn_v for every layer that has V.
    for (int i = 0; i < d.nLayers; ++i)
        if (d.layers[i].ownsKv(i) && !d.layers[i].kEqV)
            w->addTensor("blk." + std::to_string(i) + ".attn_v.weight", GgmlType::F32, {1}, std::vector<uint8_t>(4));
    const QString path = dir_.filePath(name + "-meta.gguf");
    QVERIFY(w->write(path.toStdString()).ok());
    auto f = GgufFile::open(path.toStdString());
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    auto back = descFromGguf(*f.value());
    QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
    compareDescs(d, back.value());
}

void TstModelDesc::hfConfigRoundTrip() {
    QFETCH(QString, name);
    ModelDesc d;
    QVERIFY(variantByName(name.toStdString(), d));
    const QString path = dir_.filePath(name + "-config.json");
    QVERIFY(writeHfConfig(d, path.toStdString()).ok());
    auto back = descFromHfConfig(path.toStdString());
    QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
    compareDescs(d, back.value());
}

void TstModelDesc::realShapesFollowTheSpec() {
    // Spec §2.4: E2B shares sliding KV from layer 13 and full KV from 14; E4B from 22 and 23.
    const ModelDesc e2b = gemma4E2B(), e4b = gemma4E4B(), moe = gemma4MoE26B(), big = gemma4Dense31B();
    QCOMPARE(e2b.layers[14].attn, AttnKind::Full);
    QCOMPARE(e2b.layers[15].kvSource, 13);
    QCOMPARE(e2b.layers[19].kvSource, 14);
    QCOMPARE(e2b.layers[14].ffnWidth, 6144);
    QCOMPARE(e2b.layers[15].ffnWidth, 12288);
    QCOMPARE(e4b.layers[24].kvSource, 22);
    QCOMPARE(e4b.layers[29].kvSource, 23);
    QCOMPARE(moe.layers[5].nKvHeads, 2);
    QCOMPARE(moe.layers[4].nKvHeads, 8);
    QVERIFY(moe.layers[5].kEqV && !moe.layers[4].kEqV);
    QCOMPARE(big.layers[59].attn, AttnKind::Full);
    QCOMPARE(big.layers[11].nKvHeads, 4);
    // Proportional RoPE: 64 of 256 pairs rotate on full layers (spec §2.6).
    int rotated = 0;
    for (float f : big.ropeFreqFactors) rotated += f == 1.f;
    QCOMPARE(rotated, 64);
    QCOMPARE(ropeTheta(big, 5, 64) < 1e-20, true);
    QCOMPARE(ropeTheta(big, 0, 1), std::pow(1e4, -2.0 / 256));
    QCOMPARE(ropeTheta(big, 5, 1), std::pow(1e6, -2.0 / 512));
}

void TstModelDesc::parameterCountsMatchPublishedTotals() {
    // Spec §1: "31B → 30.7 B; 26B → about 25.8 B total and 3.8 B active".
    const ParamCounts big = countParams(gemma4Dense31B());
    const ParamCounts moe = countParams(gemma4MoE26B());
    qInfo("31B: %.3f B; 26B-A4B: %.3f B total, %.3f B active", big.total / 1e9, moe.total / 1e9,
          moe.activePerToken / 1e9);
    QVERIFY(std::abs(big.total / 1e9 - 30.7) < 0.1);
    // "About 25.8 B" counts the vision tower too (~0.5 B); the text decoder alone is 25.2 B.
    QVERIFY(std::abs(moe.total / 1e9 - 25.8) < 0.7);
    QVERIFY(std::abs(moe.activePerToken / 1e9 - 3.8) < 0.2);
}

void TstModelDesc::kvCacheMatchesSpecTable() {
    // Spec §2.7, elements per token (K+V): E2B full 3 × 1024, sliding 12 × 512 (ring of 512).
    const int ctx = 8192;
    const uint64_t e2b = (3ull * 1024 * ctx + 12ull * 512 * 512) * 2;
    QCOMPARE(kvCacheBytes(gemma4E2B(), ctx, 2), e2b);
    const uint64_t big = (10ull * 4096 * ctx + 50ull * 8192 * 1024) * 2;  // 31B, window 1024
    QCOMPARE(kvCacheBytes(gemma4Dense31B(), ctx, 2), big);
    const uint64_t moe = (5ull * 2048 * ctx + 25ull * 4096 * 1024) * 2;
    QCOMPARE(kvCacheBytes(gemma4MoE26B(), ctx, 2), moe);
    const uint64_t e4b = (4ull * 2048 * ctx + 20ull * 1024 * 512) * 2;
    QCOMPARE(kvCacheBytes(gemma4E4B(), ctx, 2), e4b);
}

void TstModelDesc::wrongShapeNamesTensorAndShapes() {
    ModelDesc d = dense31bLike();
    const QString good = dir_.filePath("good.gguf");
    QVERIFY(writeRandomGguf(d, MakeOptions{}, good.toStdString()).ok());
    // Rewrite with blk.3.attn_q of the wrong height.
    const QString bad = dir_.filePath("bad-shape.gguf");
    QVERIFY(rewriteGguf(good, bad, [](const std::string& name, std::vector<int64_t>& ne, std::vector<uint8_t>& data) {
        if (name == "blk.3.attn_q.weight") {
            ne[1] /= 2;
            data.resize(data.size() / 2);
        }
        return true;
    }));
    auto m = Model::open(bad.toStdString());
    QVERIFY(!m.ok());
    const QString msg = QString::fromStdString(m.message());
    QVERIFY2(msg.contains("blk.3.attn_q.weight") && msg.contains("[64, 64]") && msg.contains("expected [64, 128]") &&
                 msg.contains("bad-shape.gguf"),
             qPrintable(msg));
}

void TstModelDesc::missingTensorIsNamed() {
    ModelDesc d = dense31bLike();
    const QString good = dir_.filePath("good2.gguf");
    QVERIFY(writeRandomGguf(d, MakeOptions{}, good.toStdString()).ok());
    const QString bad = dir_.filePath("missing.gguf");
    QVERIFY(rewriteGguf(good, bad, [](const std::string& name, std::vector<int64_t>&, std::vector<uint8_t>&) {
        return name != "blk.6.ffn_down.weight";
    }));
    auto m = Model::open(bad.toStdString());
    QVERIFY(!m.ok());
    QVERIFY2(m.message().find("required tensor 'blk.6.ffn_down.weight'") != std::string::npos, m.message().c_str());
}

void TstModelDesc::otherArchitectureIsRejected() {
    GgufWriter w;
    w.addString("general.architecture", "llama");
    const QString path = dir_.filePath("llama.gguf");
    QVERIFY(w.write(path.toStdString()).ok());
    auto m = Model::open(path.toStdString());
    QVERIFY(!m.ok());
    QVERIFY2(m.message().find("'llama'") != std::string::npos && m.message().find("Gemma 4") != std::string::npos,
             m.message().c_str());
}

void TstModelDesc::missingFileIsAnError() {
    auto m = Model::open(dir_.filePath("nope.gguf").toStdString());
    QVERIFY(!m.ok());
    QVERIFY2(m.message().find("nope.gguf") != std::string::npos, m.message().c_str());
}

QTEST_GUILESS_MAIN(TstModelDesc)
#include "tst_model_desc.moc"
