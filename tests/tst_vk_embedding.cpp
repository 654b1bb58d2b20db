// EmbeddingVulkan against the float64 references in tests/data/embedding (the
// cases tst_embedding_forward uses) and against the CPU reference
// EmbeddingForward: every file (f32 and q8_0 weights, with and without the
// dense head), the pooled intermediates, Matryoshka dims, a batch of
// sequences of different lengths (one of 39 tokens against a window of 4),
// chunking, and weights split into pieces as the 128 MiB binding limit splits
// the real model's token_embd. Validation layer on; any message fails.
#include <QtTest>

#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "embedding/embedding_vulkan.h"
#include "support/embedding_reference.h"
#include "support/vk_fixture.h"

using namespace facet;
using namespace facet::test;

namespace {

// Against the float64 reference and against the CPU reference on the same
// weights: all three run the same stages, the GPU and the CPU in float32
// (the README allows llama.cpp 2e-3; it lands at ~9e-5). They differ only in
// summation order (GPU block and tree sums vs the CPU's double dot products
// in attention and float accumulation in the products): a few ulp per stage
// over 8 layers, observed ≤ 1.4e-7 on these unit vectors on lavapipe. 1e-5
// leaves ~70x for other devices' orders (subgroup trees, fused multiply-adds)
// and is still ~1000x below a wrong stage: a window one token too wide moves
// the embedding by ≥ 4e-2 (cosine ≤ 0.994), a wrong norm or mask more.
constexpr double kRefMaxAbs = 1e-5;
constexpr double kRefMinCosine = 0.99999;
constexpr double kCpuMaxAbs = 1e-5;
constexpr double kCpuMinCosine = 0.99999;
// The same sequence alone or in any batch or chunk: per-token work does not
// depend on the other tokens, so the results agree to rounding.
constexpr double kBatchMaxAbs = 1e-6;

QString describe(const VectorDiff& d, const std::vector<float>& ref, const std::vector<float>& got) {
    return QString("max abs %1 at [%2] (ref %3, got %4), cosine %5")
        .arg(d.maxAbs).arg(d.worst).arg(ref[d.worst]).arg(got[d.worst]).arg(d.cosine, 0, 'f', 9);
}

void expectClose(const std::vector<float>& ref, const std::vector<float>& got, const QString& what, double maxAbs,
                 double minCosine) {
    QVERIFY2(!ref.empty(), qPrintable(what));
    QCOMPARE(got.size(), ref.size());
    const VectorDiff d = compareVectors(ref, got);
    QVERIFY2(d.maxAbs <= maxAbs && d.cosine >= minCosine, qPrintable(what + ": " + describe(d, ref, got)));
}

// Intermediates are not unit length; their tolerance scales with their size.
double scaled(const std::vector<float>& ref, double tolerance) {
    double mx = 0.0;
    for (float x : ref) mx = std::max(mx, static_cast<double>(std::fabs(x)));
    return tolerance * std::max(1.0, mx);
}

std::vector<std::vector<int>> caseIds(const EmbeddingReference& ref) {
    std::vector<std::vector<int>> batch;
    for (const EmbeddingCase& c : ref.cases) batch.push_back(c.ids);
    return batch;
}

}  // namespace

class TstVkEmbedding : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;

    // The model and its Vulkan pass; null after a failed QVERIFY.
    struct Opened {
        std::unique_ptr<EmbeddingModel> model;
        std::unique_ptr<EmbeddingVulkan> gpu;
    };
    Opened open(const QString& gguf, const EmbeddingVulkanOptions& o = {}) {
        Opened r;
        auto m = EmbeddingModel::open(gguf.toStdString());
        if (!m.ok()) {
            qWarning("%s", m.message().c_str());
            return r;
        }
        r.model = std::move(m).value();
        auto g = EmbeddingVulkan::create(*device_, *r.model, o);
        if (!g.ok()) qWarning("%s", g.message().c_str());
        if (g.ok()) r.gpu = std::move(g).value();
        return r;
    }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
        device_ = makeDevice(*instance_, plainOptions());
        QVERIFY2(device_, "no Vulkan device");
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    // Every case of a file in one batch (4 sequences of 4 to 39 tokens, or 3
    // of 15 to 30), against the float64 embedding and the CPU reference.
    void matchesReferenceAndCpu_data() {
        QTest::addColumn<QString>("stem");
        for (const QString& stem : embeddingReferenceStems()) QTest::newRow(qPrintable(stem)) << stem;
    }
    void matchesReferenceAndCpu() {
        QFETCH(QString, stem);
        const EmbeddingReference ref = loadEmbeddingReference(stem);
        QVERIFY2(ref.cases.size() >= 3, qPrintable(stem));
        Opened o = open(ref.gguf);
        QVERIFY(o.gpu);
        const std::vector<std::vector<int>> batch = caseIds(ref);
        auto gpu = o.gpu->embed(batch);
        QVERIFY2(gpu.ok(), gpu.ok() ? "" : gpu.message().c_str());
        QCOMPARE(o.gpu->lastChunks(), 1);
        auto cpu = EmbeddingForward(*o.model).embed(batch);
        QVERIFY(cpu.ok());
        QCOMPARE(gpu->size(), ref.cases.size());
        double refAbs = 0, cpuAbs = 0;
        for (size_t i = 0; i < batch.size(); ++i) {
            expectClose(ref.cases[i].exact, (*gpu)[i], QString("case %1 vs float64").arg(i), kRefMaxAbs, kRefMinCosine);
            expectClose((*cpu)[i], (*gpu)[i], QString("case %1 vs CPU").arg(i), kCpuMaxAbs, kCpuMinCosine);
            refAbs = std::max(refAbs, compareVectors(ref.cases[i].exact, (*gpu)[i]).maxAbs);
            cpuAbs = std::max(cpuAbs, compareVectors((*cpu)[i], (*gpu)[i]).maxAbs);
        }
        qInfo("%s: max abs %.3g vs float64, %.3g vs CPU", qPrintable(stem), refAbs, cpuAbs);
    }

    void intermediatesMatchReference_data() { matchesReferenceAndCpu_data(); }
    void intermediatesMatchReference() {
        QFETCH(QString, stem);
        const EmbeddingReference ref = loadEmbeddingReference(stem);
        QVERIFY(ref.cases.size() >= 2);
        const EmbeddingCase& c = ref.cases[1];  // the second case carries exact_intermediates
        Opened o = open(ref.gguf);
        QVERIFY(o.gpu);
        std::vector<EmbeddingTrace> trace;
        auto out = o.gpu->embed({c.ids}, 0, &trace);
        QVERIFY2(out.ok(), out.ok() ? "" : out.message().c_str());
        QCOMPARE(trace.size(), size_t{1});
        expectClose(c.pooled, trace[0].pooled, "pooled", scaled(c.pooled, kRefMaxAbs), kRefMinCosine);
        expectClose(c.beforeL2, trace[0].beforeL2, "before_l2", scaled(c.beforeL2, kRefMaxAbs), kRefMinCosine);
        if (ref.dense) {
            expectClose(c.dense2, trace[0].dense2, "dense_2", scaled(c.dense2, kRefMaxAbs), kRefMinCosine);
        } else {
            QVERIFY(trace[0].dense2.empty());
            QVERIFY(trace[0].beforeL2 == trace[0].pooled);
        }
    }

    void truncatedDimensionsRenormalize() {
        const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s11");
        Opened o = open(ref.gguf);
        QVERIFY(o.gpu);
        const EmbeddingCase& c = ref.cases[2];
        for (int dim : {1, 8, 32, 63, 64}) {
            auto out = o.gpu->embed({c.ids}, dim);
            QVERIFY2(out.ok(), out.ok() ? "" : out.message().c_str());
            QCOMPARE((*out)[0].size(), static_cast<size_t>(dim));
            double norm = 0.0;
            for (float x : (*out)[0]) norm += static_cast<double>(x) * x;
            QVERIFY2(std::fabs(norm - 1.0) < 1e-5, qPrintable(QString("dim %1: |v|² = %2").arg(dim).arg(norm)));
            expectClose(truncatedReference(c.exact, dim), (*out)[0], QString("dim %1").arg(dim), kRefMaxAbs,
                        kRefMinCosine);
        }
    }

    // Out of order, with a repeat, the 39-token sequence among short ones:
    // each sequence attends and pools on its own, whatever shares its chunk.
    void batchEqualsOneByOne() {
        const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s12.q8_0");
        Opened o = open(ref.gguf);
        QVERIFY(o.gpu);
        const std::vector<std::vector<int>> batch = {ref.cases[2].ids, ref.cases[0].ids, ref.cases[3].ids,
                                                     ref.cases[0].ids, ref.cases[1].ids};
        QVERIFY(batch[0].size() > 2 * size_t(o.model->desc().halfWindow()) + 1);  // the window matters
        auto together = o.gpu->embed(batch);
        QVERIFY(together.ok());
        QCOMPARE(together->size(), batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {
            auto alone = o.gpu->embed({batch[i]});
            QVERIFY(alone.ok());
            expectClose((*alone)[0], (*together)[i], QString("sequence %1").arg(i), kBatchMaxAbs, 0.999999);
        }
        auto empty = o.gpu->embed({});
        QVERIFY(empty.ok());
        QVERIFY(empty->empty());
    }

    // Chunks of at most 16 tokens: the 39-token sequence runs alone, the
    // others are packed; the results equal one chunk's.
    void chunksEqualOneSubmission() {
        const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s11.q8_0");
        Opened whole = open(ref.gguf);
        EmbeddingVulkanOptions small;
        small.maxTokens = 16;
        Opened chunked = open(ref.gguf, small);
        QVERIFY(whole.gpu && chunked.gpu);
        QCOMPARE(chunked.gpu->maxTokens(), 16);
        // 4, 10 | 39 | 10, 4: three chunks.
        const std::vector<std::vector<int>> batch = {ref.cases[0].ids, ref.cases[1].ids, ref.cases[2].ids,
                                                     ref.cases[3].ids, ref.cases[0].ids};
        auto one = whole.gpu->embed(batch);
        auto many = chunked.gpu->embed(batch);
        QVERIFY(one.ok() && many.ok());
        QCOMPARE(whole.gpu->lastChunks(), 1);
        QCOMPARE(chunked.gpu->lastChunks(), 3);
        for (size_t i = 0; i < batch.size(); ++i)
            expectClose((*one)[i], (*many)[i], QString("sequence %1").arg(i), kBatchMaxAbs, 0.999999);
    }

    // Every tensor in pieces of at most 4 KiB, as the 128 MiB binding limit
    // cuts the real token_embd (262144 x 768): the gather and the products
    // walk the pieces.
    void weightsInPiecesMatchReference() {
        const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s12");
        EmbeddingVulkanOptions o;
        o.upload.maxPieceBytes = 4096;
        Opened pieces = open(ref.gguf, o);
        QVERIFY(pieces.gpu);
        auto out = pieces.gpu->embed(caseIds(ref));
        QVERIFY2(out.ok(), out.ok() ? "" : out.message().c_str());
        for (size_t i = 0; i < ref.cases.size(); ++i)
            expectClose(ref.cases[i].exact, (*out)[i], QString("case %1").arg(i), kRefMaxAbs, kRefMinCosine);
    }

    // The CPU reference's checks and messages.
    void rejectsBadInput() {
        Opened o = open(loadEmbeddingReference("embgemma-like.s11.q8_0").gguf);
        QVERIFY(o.gpu);
        const int vocab = o.model->desc().vocab;
        auto outside = o.gpu->embed({{2, vocab, 1}});
        QVERIFY(!outside.ok());
        QVERIFY2(outside.message().find("outside the vocabulary") != std::string::npos, outside.message().c_str());
        QVERIFY(!o.gpu->embed({{2, -1}}).ok());
        auto empty = o.gpu->embed({{2, 5}, {}});
        QVERIFY(!empty.ok());
        QVERIFY2(empty.message().find("sequence 1 has no tokens") != std::string::npos, empty.message().c_str());
        auto tooLong = o.gpu->embed({std::vector<int>(o.model->desc().contextLength + 1, 2)});
        QVERIFY(!tooLong.ok());
        QVERIFY2(tooLong.message().find("more than the context length") != std::string::npos, tooLong.message().c_str());
        QVERIFY(!o.gpu->embed({{2, 1}}, 65).ok());
        QVERIFY(!o.gpu->embed({{2, 1}}, -1).ok());
        // Still usable after the refusals.
        auto fine = o.gpu->embed({{2, 1}});
        QVERIFY2(fine.ok(), fine.ok() ? "" : fine.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstVkEmbedding)
#include "tst_vk_embedding.moc"
