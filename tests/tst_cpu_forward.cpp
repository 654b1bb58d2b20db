// Properties of the CPU reference forward on generated models: batched
// prefill equals token-by-token decode (sliding rings wrap many times),
// the same model written as GGUF and as an HF folder gives the same logits,
// every weight type runs and stays close to its f32 original.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <random>

#include "cpu/cpu_forward.h"
#include "model/dequantize.h"
#include "model/gguf_file.h"
#include "model/gguf_writer.h"
#include "model/model.h"
#include "support/model_factory.h"

using namespace facet;
using namespace facet::test;

namespace {

// Same arithmetic per token, only the order of cache vs in-batch reads
// differs: results agree to float rounding of the residual stream.
constexpr double kTolPrefillDecode = 1e-4;
// The same f32 weights through two file formats: bit-identical inputs.
constexpr double kTolFormats = 1e-6;

std::vector<int> randomTokens(int n, int vocab, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> u(5, vocab - 1);
    std::vector<int> t(n);
    t[0] = 2;  // BOS
    for (int i = 1; i < n; ++i) t[i] = u(rng);
    return t;
}

double maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(static_cast<double>(a[i]) - b[i]));
    return m;
}

// An F32 GGUF with the same metadata and the dequantized values of every tensor.
QString dequantizedCopy(const QString& path, QString& error) {
    auto f = GgufFile::open(path.toStdString());
    if (!f.ok()) {
        error = QString::fromStdString(f.message());
        return {};
    }
    GgufWriter w;
    for (const auto& [key, value] : f.value()->metadata()) w.addValue(key, value);
    for (const GgufTensorInfo& info : f.value()->tensors()) {
        auto v = f.value()->view(info);
        if (!v.ok()) {
            error = QString::fromStdString(v.message());
            return {};
        }
        std::vector<float> data(static_cast<size_t>(v->elements()));
        for (int64_t r = 0; r < v->rows(); ++r) dequantizeTensorRow(v.value(), r, data.data() + r * v->ne[0]);
        std::vector<uint8_t> bytes(data.size() * 4);
        std::memcpy(bytes.data(), data.data(), bytes.size());
        w.addTensor(info.name, GgmlType::F32, std::vector<int64_t>(info.ne.begin(), info.ne.begin() + info.nDims),
                    std::move(bytes));
    }
    const QString out = path + ".f32.gguf";
    Status s = w.write(out.toStdString());
    if (!s.ok()) {
        error = QString::fromStdString(s.message());
        return {};
    }
    return out;
}

std::unique_ptr<Model> openOrFail(const QString& path) {
    auto m = Model::open(path.toStdString());
    if (!m.ok()) {
        QTest::qFail(m.message().c_str(), __FILE__, __LINE__);
        return nullptr;
    }
    return std::move(m).value();
}

}  // namespace

class TstCpuForward : public QObject {
    Q_OBJECT
private slots:
    void prefillEqualsDecode_data();
    void prefillEqualsDecode();
    void ggufAndHfFolderAgree_data();
    void ggufAndHfFolderAgree();
    void everyWeightTypeRuns_data();
    void everyWeightTypeRuns();
    void rewindReusesCache();
    void rejectsTokensOutsideVocabulary();
    void rejectsContextOverflow();

private:
    QTemporaryDir dir_;
};

void TstCpuForward::prefillEqualsDecode_data() {
    QTest::addColumn<QString>("variant");
    QTest::addColumn<int>("tokens");
    QTest::newRow("e2b-like 500") << "e2b-like" << 500;
    QTest::newRow("moe-like 120") << "moe-like" << 120;
    QTest::newRow("dense31b-like 120") << "dense31b-like" << 120;
}

void TstCpuForward::prefillEqualsDecode() {
    QFETCH(QString, variant);
    QFETCH(int, tokens);
    ModelDesc d;
    QVERIFY(variantByName(variant.toStdString(), d));
    QString err;
    const QString path = writeModel(dir_, variant + ".gguf", d, MakeOptions{}, false, err);
    QVERIFY2(!path.isEmpty(), qPrintable(err));
    auto m = openOrFail(path);
    QVERIFY(m);
    const std::vector<int> ids = randomTokens(tokens, d.vocab, 7);

    cpu::CpuForward batch(m->desc(), m->weights(), tokens);
    std::vector<float> all;
    QVERIFY(batch.forward(ids, true, all).ok());

    // Token by token, and in uneven chunks larger than the sliding window.
    cpu::CpuForward step(m->desc(), m->weights(), tokens);
    cpu::CpuForward chunked(m->desc(), m->weights(), tokens);
    std::vector<float> one, chunk;
    double worstStep = 0, worstChunk = 0;
    for (int i = 0; i < tokens; ++i) {
        QVERIFY(step.forward({ids[i]}, false, one).ok());
        const std::vector<float> ref(all.begin() + static_cast<size_t>(i) * d.vocab,
                                     all.begin() + static_cast<size_t>(i + 1) * d.vocab);
        worstStep = std::max(worstStep, maxDiff(one, ref));
    }
    for (int i = 0; i < tokens;) {
        const int n = std::min(tokens - i, 1 + (i * 7) % 37);
        QVERIFY(chunked.forward(std::vector<int>(ids.begin() + i, ids.begin() + i + n), true, chunk).ok());
        const std::vector<float> ref(all.begin() + static_cast<size_t>(i) * d.vocab,
                                     all.begin() + static_cast<size_t>(i + n) * d.vocab);
        worstChunk = std::max(worstChunk, maxDiff(chunk, ref));
        i += n;
    }
    qInfo("%s: %d tokens, max |prefill - decode| %.3g, |prefill - chunked| %.3g", qPrintable(variant), tokens,
          worstStep, worstChunk);
    QVERIFY(worstStep <= kTolPrefillDecode);
    QVERIFY(worstChunk <= kTolPrefillDecode);
    QCOMPARE(step.nPast(), tokens);
}

void TstCpuForward::ggufAndHfFolderAgree_data() {
    QTest::addColumn<QString>("variant");
    QTest::newRow("e2b-like") << "e2b-like";
    QTest::newRow("moe-like") << "moe-like";
    QTest::newRow("dense31b-like") << "dense31b-like";
}

void TstCpuForward::ggufAndHfFolderAgree() {
    QFETCH(QString, variant);
    ModelDesc d;
    QVERIFY(variantByName(variant.toStdString(), d));
    MakeOptions opt;
    opt.seed = 99;
    QString err;
    const QString gguf = writeModel(dir_, variant + "-fmt.gguf", d, opt, false, err);
    QVERIFY2(!gguf.isEmpty(), qPrintable(err));
    const QString hf = writeModel(dir_, variant + "-hf", d, opt, true, err);
    QVERIFY2(!hf.isEmpty(), qPrintable(err));
    auto a = openOrFail(gguf);
    auto b = openOrFail(hf);
    QVERIFY(a && b);
    QCOMPARE(b->format(), ModelFormat::HfFolder);
    QCOMPARE(b->desc().nLayers, a->desc().nLayers);
    for (int i = 0; i < d.nLayers; ++i) {
        QCOMPARE(b->desc().layers[i].kvSource, a->desc().layers[i].kvSource);
        QCOMPARE(b->desc().layers[i].kEqV, a->desc().layers[i].kEqV);
        QCOMPARE(b->desc().layers[i].ffnWidth, a->desc().layers[i].ffnWidth);
    }
    const std::vector<int> ids = randomTokens(40, d.vocab, 3);
    std::vector<float> la, lb;
    cpu::CpuForward fa(a->desc(), a->weights(), 40), fb(b->desc(), b->weights(), 40);
    QVERIFY(fa.forward(ids, true, la).ok());
    QVERIFY(fb.forward(ids, true, lb).ok());
    const double diff = maxDiff(la, lb);
    qInfo("%s: GGUF vs HF folder max logit diff %.3g", qPrintable(variant), diff);
    QVERIFY(diff <= kTolFormats);
}

void TstCpuForward::everyWeightTypeRuns_data() {
    QTest::addColumn<int>("typeId");
    QTest::addColumn<QString>("variant");
    for (GgmlType t : {GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q6_K, GgmlType::Q5_0, GgmlType::Q5_1,
                       GgmlType::Q5_K, GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q4_K})
        QTest::newRow(("e2b-like " + typeName(t)).c_str()) << int(t) << "e2b-like";
    // Expert tensors: gate_up rows are 256 wide (quantized), down rows 32 (Q8_0 fallback).
    for (GgmlType t : {GgmlType::Q4_K, GgmlType::Q5_1, GgmlType::BF16})
        QTest::newRow(("moe-like " + typeName(t)).c_str()) << int(t) << "moe-like";
}

// A quantized model must compute exactly what an f32 model holding its
// dequantized weights computes: this checks block/row addressing of every
// type inside the forward (expert slices, PLE rows, tied head).
void TstCpuForward::everyWeightTypeRuns() {
    QFETCH(int, typeId);
    QFETCH(QString, variant);
    const GgmlType type = static_cast<GgmlType>(typeId);
    ModelDesc d;
    QVERIFY(variantByName(variant.toStdString(), d));  // hidden 256 so that K-quant rows (256-blocks) fit every matrix
    d.hidden = 256;
    d.embedScale = 16.f;
    MakeOptions q;
    q.seed = 5;
    q.weightType = type;
    QString err;
    const QString pq = writeModel(dir_, QString("types-%1-%2.gguf").arg(variant).arg(typeId), d, q, false, err);
    QVERIFY2(!pq.isEmpty(), qPrintable(err));
    const QString pf = dequantizedCopy(pq, err);
    QVERIFY2(!pf.isEmpty(), qPrintable(err));
    auto mq = openOrFail(pq);
    auto mf = openOrFail(pf);
    QVERIFY(mf && mq);
    QCOMPARE(mq->typeCounts().count(typeName(type)), size_t(1));
    QCOMPARE(mf->typeCounts().size(), size_t(1));  // all F32
    const std::vector<int> ids = randomTokens(24, d.vocab, 11);
    std::vector<float> lf, lq;
    cpu::CpuForward ff(mf->desc(), mf->weights(), 24), fq(mq->desc(), mq->weights(), 24);
    QVERIFY(ff.forward(ids, true, lf).ok());
    QVERIFY(fq.forward(ids, true, lq).ok());
    for (float x : lq) QVERIFY(std::isfinite(x));
    const double diff = maxDiff(lf, lq);
    qInfo("%s: max logit diff vs its dequantized f32 twin %.3g", typeName(type).c_str(), diff);
    QVERIFY(diff <= kTolFormats);
}

void TstCpuForward::rewindReusesCache() {
    ModelDesc d = dense31bLike();
    QString err;
    const QString path = writeModel(dir_, "rewind.gguf", d, MakeOptions{}, false, err);
    QVERIFY2(!path.isEmpty(), qPrintable(err));
    auto m = openOrFail(path);
    QVERIFY(m);
    const std::vector<int> ids = randomTokens(10, d.vocab, 1), alt = randomTokens(10, d.vocab, 2);
    cpu::CpuForward f(m->desc(), m->weights(), 64);
    std::vector<float> a, b, ref;
    QVERIFY(f.forward(ids, false, a).ok());
    // Rewinding within the window keeps the prefix; the follow-up equals a fresh run.
    QVERIFY(f.rewind(6));
    QCOMPARE(f.nPast(), 6);
    std::vector<int> tail(alt.begin() + 6, alt.end());
    QVERIFY(f.forward(tail, false, b).ok());
    std::vector<int> fresh(ids.begin(), ids.begin() + 6);
    fresh.insert(fresh.end(), tail.begin(), tail.end());
    cpu::CpuForward g(m->desc(), m->weights(), 64);
    QVERIFY(g.forward(fresh, false, ref).ok());
    QVERIFY(maxDiff(b, ref) <= kTolPrefillDecode);
}

void TstCpuForward::rejectsTokensOutsideVocabulary() {
    ModelDesc d = dense31bLike();
    QString err;
    const QString path = writeModel(dir_, "vocab.gguf", d, MakeOptions{}, false, err);
    auto m = openOrFail(path);
    QVERIFY(m);
    cpu::CpuForward f(m->desc(), m->weights(), 8);
    std::vector<float> l;
    Status s = f.forward({2, d.vocab}, true, l);
    QVERIFY(!s.ok());
    QVERIFY2(s.message().find("outside the vocabulary") != std::string::npos, s.message().c_str());
    QCOMPARE(f.nPast(), 0);
}

void TstCpuForward::rejectsContextOverflow() {
    ModelDesc d = dense31bLike();
    QString err;
    const QString path = writeModel(dir_, "ctx.gguf", d, MakeOptions{}, false, err);
    auto m = openOrFail(path);
    QVERIFY(m);
    cpu::CpuForward f(m->desc(), m->weights(), 4);
    std::vector<float> l;
    QVERIFY(f.forward({2, 10, 11}, false, l).ok());
    Status s = f.forward({12, 13}, false, l);
    QVERIFY(!s.ok());
    QVERIFY2(s.message().find("exceed the context") != std::string::npos, s.message().c_str());
    QCOMPARE(f.nPast(), 3);
}

QTEST_GUILESS_MAIN(TstCpuForward)
#include "tst_cpu_forward.moc"
