// The EmbeddingGemma CPU reference forward against the float64 references in
// tests/data/embedding: every file, every case, from llama.cpp's ids; the
// pooled / dense_2 / before-L2 intermediates; Matryoshka truncation; the
// reduced form (no dense head); batching; and the description read from the
// GGUF keys.
#include <QtTest>

#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "support/embedding_reference.h"

using namespace facet;
using namespace facet::test;

namespace {

// Tolerances (tests/data/embedding/README.md): Facet runs f32 math on
// the dequantized weights, so it is held to the float64 result on the same
// weights for f32 and q8_0 files alike. llama.cpp's own f32 runs land within
// 9e-5 of it; 2e-3 leaves room for summation-order differences, and a cosine
// of 0.999 still catches any wrong stage (a missing norm or mask moves it to
// ~0.9 or below on these models).
constexpr double kMaxAbs = 2e-3;
constexpr double kMinCosine = 0.999;

void expectClose(const std::vector<float>& ref, const std::vector<float>& got, const char* what, double maxAbs) {
    QVERIFY2(!ref.empty(), what);
    QCOMPARE(got.size(), ref.size());
    const VectorDiff d = compareVectors(ref, got);
    const QString msg = QString("%1: max abs %2 at [%3] (ref %4, got %5), cosine %6")
                            .arg(what).arg(d.maxAbs).arg(d.worst).arg(ref[d.worst]).arg(got[d.worst])
                            .arg(d.cosine, 0, 'f', 9);
    QVERIFY2(d.maxAbs <= maxAbs && d.cosine >= kMinCosine, qPrintable(msg));
}

// Intermediates are not unit length; their tolerance scales with their size.
double scaledTolerance(const std::vector<float>& ref) {
    double mx = 0.0;
    for (float x : ref) mx = std::max(mx, static_cast<double>(std::fabs(x)));
    return kMaxAbs * std::max(1.0, mx);
}

}  // namespace

class TstEmbeddingForward : public QObject {
    Q_OBJECT
private slots:
    void matchesReference_data();
    void matchesReference();
    void intermediatesMatchReference_data();
    void intermediatesMatchReference();
    void truncatedDimensionsRenormalize();
    void reducedFormPoolsAndNormalizes();
    void batchEqualsOneByOne();
    void descriptionFollowsKeys();
    void rejectsBadInput();
};

void TstEmbeddingForward::matchesReference_data() {
    QTest::addColumn<QString>("stem");
    for (const QString& stem : embeddingReferenceStems()) QTest::newRow(qPrintable(stem)) << stem;
}

void TstEmbeddingForward::matchesReference() {
    QFETCH(QString, stem);
    const EmbeddingReference ref = loadEmbeddingReference(stem);
    QVERIFY2(!ref.cases.empty(), qPrintable(stem));
    auto model = EmbeddingModel::open(ref.gguf.toStdString());
    QVERIFY2(model.ok(), model.ok() ? "" : model.message().c_str());
    const EmbeddingForward forward(*model.value());
    std::vector<std::vector<int>> batch;
    for (const EmbeddingCase& c : ref.cases) batch.push_back(c.ids);
    auto out = forward.embed(batch);
    QVERIFY2(out.ok(), out.ok() ? "" : out.message().c_str());
    QCOMPARE(out->size(), ref.cases.size());
    double worstAbs = 0.0, worstCos = 1.0;
    for (size_t i = 0; i < ref.cases.size(); ++i) {
        expectClose(ref.cases[i].exact, (*out)[i], qPrintable(QString("case %1").arg(i)), kMaxAbs);
        const VectorDiff d = compareVectors(ref.cases[i].exact, (*out)[i]);
        worstAbs = std::max(worstAbs, d.maxAbs);
        worstCos = std::min(worstCos, d.cosine);
    }
    qInfo("%s: max abs %.3g, min cosine %.9f", qPrintable(stem), worstAbs, worstCos);
}

void TstEmbeddingForward::intermediatesMatchReference_data() { matchesReference_data(); }

void TstEmbeddingForward::intermediatesMatchReference() {
    QFETCH(QString, stem);
    const EmbeddingReference ref = loadEmbeddingReference(stem);
    QVERIFY(ref.cases.size() >= 2);
    const EmbeddingCase& c = ref.cases[1];  // the second case carries exact_intermediates
    auto model = EmbeddingModel::open(ref.gguf.toStdString());
    QVERIFY2(model.ok(), model.ok() ? "" : model.message().c_str());
    std::vector<EmbeddingTrace> trace;
    auto out = EmbeddingForward(*model.value()).embed({c.ids}, 0, &trace);
    QVERIFY(out.ok());
    QCOMPARE(trace.size(), size_t{1});
    expectClose(c.pooled, trace[0].pooled, "pooled", scaledTolerance(c.pooled));
    expectClose(c.beforeL2, trace[0].beforeL2, "before_l2", scaledTolerance(c.beforeL2));
    if (ref.dense) {
        expectClose(c.dense2, trace[0].dense2, "dense_2", scaledTolerance(c.dense2));
    } else {
        QVERIFY(c.dense2.empty());
        QVERIFY(trace[0].dense2.empty());
    }
}

void TstEmbeddingForward::truncatedDimensionsRenormalize() {
    const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s11");
    auto model = EmbeddingModel::open(ref.gguf.toStdString());
    QVERIFY(model.ok());
    const EmbeddingForward forward(*model.value());
    const EmbeddingCase& c = ref.cases[2];
    for (int dim : {1, 8, 32, 63, 64}) {
        auto out = forward.embed({c.ids}, dim);
        QVERIFY(out.ok());
        QCOMPARE((*out)[0].size(), static_cast<size_t>(dim));
        double norm = 0.0;
        for (float x : (*out)[0]) norm += static_cast<double>(x) * x;
        QVERIFY2(std::fabs(norm - 1.0) < 1e-5, qPrintable(QString("dim %1: |v|² = %2").arg(dim).arg(norm)));
        expectClose(truncatedReference(c.exact, dim), (*out)[0], qPrintable(QString("dim %1").arg(dim)), kMaxAbs);
    }
    // The truncation is a prefix of the full vector, rescaled.
    auto full = forward.embed({c.ids});
    auto half = forward.embed({c.ids}, 32);
    QVERIFY(full.ok() && half.ok());
    const double ratio = (*half)[0][0] / (*full)[0][0];
    QVERIFY(ratio > 1.0);
    for (int i = 0; i < 32; ++i) QVERIFY(std::fabs((*half)[0][i] - ratio * (*full)[0][i]) < 1e-5);
}

void TstEmbeddingForward::reducedFormPoolsAndNormalizes() {
    const EmbeddingReference ref = loadEmbeddingReference("embgemma-nodense.s13");
    auto model = EmbeddingModel::open(ref.gguf.toStdString());
    QVERIFY2(model.ok(), model.ok() ? "" : model.message().c_str());
    QVERIFY(!model.value()->hasDense());
    QVERIFY(model.value()->global(EmbeddingRole::Dense2) == nullptr);
    QCOMPARE(model.value()->desc().outputDim(), model.value()->desc().hidden);
    std::vector<EmbeddingTrace> trace;
    auto out = EmbeddingForward(*model.value()).embed({ref.cases[0].ids}, 0, &trace);
    QVERIFY(out.ok());
    // Reduced form: the output is exactly the pooled vector, normalized.
    QVERIFY(trace[0].beforeL2 == trace[0].pooled);
    const std::vector<float> expected = truncatedReference(trace[0].pooled, trace[0].pooled.size());
    QCOMPARE((*out)[0].size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) QVERIFY(std::fabs((*out)[0][i] - expected[i]) < 1e-6);

    auto dense = EmbeddingModel::open(loadEmbeddingReference("embgemma-like.s11").gguf.toStdString());
    QVERIFY(dense.ok());
    QVERIFY(dense.value()->hasDense());
    QVERIFY(dense.value()->global(EmbeddingRole::Dense3) != nullptr);
}

void TstEmbeddingForward::batchEqualsOneByOne() {
    const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s12.q8_0");
    auto model = EmbeddingModel::open(ref.gguf.toStdString());
    QVERIFY(model.ok());
    const EmbeddingForward forward(*model.value());
    // Out of order and with a repeat: each sequence must attend and pool on its own.
    const std::vector<std::vector<int>> batch = {ref.cases[2].ids, ref.cases[0].ids, ref.cases[3].ids,
                                                 ref.cases[0].ids};
    auto together = forward.embed(batch);
    QVERIFY(together.ok());
    QCOMPARE(together->size(), batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
        auto alone = forward.embed({batch[i]});
        QVERIFY(alone.ok());
        QCOMPARE((*together)[i].size(), (*alone)[0].size());
        for (size_t k = 0; k < (*alone)[0].size(); ++k)
            QVERIFY2(std::fabs((*together)[i][k] - (*alone)[0][k]) < 1e-6, qPrintable(QString("seq %1 [%2]").arg(i).arg(k)));
    }
    auto empty = forward.embed({});
    QVERIFY(empty.ok());
    QVERIFY(empty->empty());
}

void TstEmbeddingForward::descriptionFollowsKeys() {
    for (const QString& stem : embeddingReferenceStems()) {
        const EmbeddingReference ref = loadEmbeddingReference(stem);
        auto model = EmbeddingModel::open(ref.gguf.toStdString());
        QVERIFY2(model.ok(), qPrintable(stem));
        const EmbeddingDesc& d = model.value()->desc();
        QCOMPARE(d.swaPattern, 6);  // no sliding_window_pattern key in these files
        QCOMPARE(d.slidingWindow, 4);
        QCOMPARE(d.halfWindow(), 2);
        QCOMPARE(d.ropeBase, 1e6f);
        QCOMPARE(d.ropeBaseSwa, 1e4f);
        QCOMPARE(static_cast<size_t>(d.nLayers), ref.layerIsSliding.size());
        for (int il = 0; il < d.nLayers; ++il) QCOMPARE(d.isSliding(il), bool(ref.layerIsSliding[il]));
        QCOMPARE(model.value()->hasDense(), ref.dense);
        QVERIFY(d.nKvHeads < d.nHeads);  // every file exercises GQA
    }
}

void TstEmbeddingForward::rejectsBadInput() {
    auto model = EmbeddingModel::open(loadEmbeddingReference("embgemma-like.s11.q8_0").gguf.toStdString());
    QVERIFY(model.ok());
    const EmbeddingForward forward(*model.value());
    const int vocab = model.value()->desc().vocab;
    auto outside = forward.embed({{2, vocab, 1}});
    QVERIFY(!outside.ok());
    QVERIFY2(outside.message().find("outside the vocabulary") != std::string::npos, outside.message().c_str());
    QVERIFY(!forward.embed({{2, -1}}).ok());
    auto empty = forward.embed({{2, 5}, {}});
    QVERIFY(!empty.ok());
    QVERIFY2(empty.message().find("sequence 1 has no tokens") != std::string::npos, empty.message().c_str());
    QVERIFY(!forward.embed({{2, 1}}, 65).ok());
    QVERIFY(!forward.embed({{2, 1}}, -1).ok());
    QVERIFY(!EmbeddingModel::open("/nonexistent/model.gguf").ok());
}

QTEST_GUILESS_MAIN(TstEmbeddingForward)
#include "tst_embedding_forward.moc"
