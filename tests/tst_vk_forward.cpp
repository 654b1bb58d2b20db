// The whole Gemma 4 forward pass on Vulkan against the CPU reference: every
// variant feature (PLE, KV sharing, sliding rings, k=v, MoE, double-wide
// FFN) with every weight type, the reference models and greedy generation.
// The other paths through the pass (chunking, binding splits, storage and
// product layouts, errors) are tst_vk_forward_paths. Oracle and tolerances:
// support/vk_forward_check.h. Validation-layer messages fail every test.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "runtime/cpu_backend.h"
#include "runtime/generator.h"
#include "support/reference_model.h"
#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "support/vk_forward_check.h"
#include "support/vk_forward_test_case.h"

using namespace facet;
using namespace facet::test;

class TstVkForward : public VkForwardTestCase {
    Q_OBJECT
private slots:
    // Each variant's features with each weight type (random weights).
    void matchesCpuForEveryTypeAndVariant_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("type");
        // Type by type: a type's rows share its pipelines (most of the time
        // on a CPU device), and a ctest shard (run_shard.sh) gets whole types.
        for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q4_0, GgmlType::Q4_1,
                           GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K})
            for (const char* v : {"e2b-like", "moe-like", "dense31b-like"})
                QTest::newRow(qPrintable(QString("%1 %2").arg(v, QString::fromStdString(typeName(t)))))
                    << QString(v) << static_cast<int>(t);
    }
    void matchesCpuForEveryTypeAndVariant() {
        QFETCH(QString, variant);
        QFETCH(int, type);
        auto m = typedModel(tmp_, variant, static_cast<GgmlType>(type), 11 + type);
        QVERIFY(m);
        // 30 tokens in chunks of 7: sliding rings (windows 8-16) wrap inside a call.
        compareWithCpu(*device_, *m, 30, 7);
    }

    // The reference models (tests/data) through the Vulkan backend: the
    // float64 reference's logits and greedy tokens.
    void matchesReferenceModels_data() {
        QTest::addColumn<QString>("json");
        for (const char* j : {"e2b-like.json", "e2b-like.q8_0.json", "moe-like.json", "dense31b-like.json",
                              "dense31b-like.bf16.json"})
            QTest::newRow(j) << QString(j);
    }
    void matchesReferenceModels() {
        QFETCH(QString, json);
        ReferenceModel ref;
        QString err;
        QVERIFY2(loadReferenceModel(json, ref, err), qPrintable(err));
        auto m = openModel(ref.ggufPath);
        QVERIFY(m);
        std::vector<int> ids = ref.promptIds;
        ids.insert(ids.end(), ref.exact.generated.begin(), ref.exact.generated.end());
        GpuPass g = makeGpuPass(*device_, *m, static_cast<int>(ids.size()), 0);
        QVERIFY(g.fwd);
        std::vector<float> logits;
        const Status s = g.fwd->forward(ids, true, logits);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        const int V = m->desc().vocab;
        double worst = 0;
        for (const PromptLogits& pl : ref.exact.promptLogits)
            worst = std::max(worst, maxAbsDiff(&logits[static_cast<size_t>(pl.pos) * V], pl.logits));
        qInfo("%s: max |vulkan - float64 reference| = %.3g", qPrintable(json), worst);
        QVERIFY2(worst <= kTolExact, qPrintable(QString("logit error %1 > %2").arg(worst).arg(kTolExact)));
        QVERIFY(!ref.exact.steps.empty());
        for (const GenStep& st : ref.exact.steps) {
            const float* row = &logits[static_cast<size_t>(st.pos) * V];
            const int best = static_cast<int>(std::max_element(row, row + V) - row);
            // As the CPU test: a different argmax only inside the reference's own margin.
            if (best != st.token)
                QVERIFY2(st.margin < kTolExact, qPrintable(QString("position %1: argmax %2, reference %3 (margin %4)")
                                                               .arg(st.pos).arg(best).arg(st.token).arg(st.margin)));
        }
    }

    // Greedy decoding, 64 tokens, the GPU top-1 path against the CPU.
    void greedyMatchesCpuFor64Tokens_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("e2b-like") << "e2b-like.gguf";
        QTest::newRow("moe-like") << "moe-like.gguf";
        QTest::newRow("dense31b-like") << "dense31b-like.gguf";
    }
    void greedyMatchesCpuFor64Tokens() {
        QFETCH(QString, file);
        auto m = openModel(dataFile(file));
        QVERIFY(m);
        const std::vector<int> prompt = promptOf(12, m->desc().vocab, 3);
        GenerateOptions o;
        o.maxTokens = 64;
        o.sampling.temperature = 0;
        auto run = [&](ForwardPass& b) {
            std::vector<int> out;
            Generator gen(b);
            auto st = gen.generate(prompt, o, [&](int t) {
                out.push_back(t);
                return true;
            });
            if (!st.ok()) qWarning("%s", st.message().c_str());
            return out;
        };
        CpuBackend cpu(m->desc(), m->weights(), 128);
        GpuPass g = makeGpuPass(*device_, *m, 128, 0);
        QVERIFY(g.fwd);
        const std::vector<int> want = run(cpu), got = run(*g.fwd);
        QCOMPARE(static_cast<int>(want.size()), 64);
        QCOMPARE(got, want);
    }
};

QTEST_GUILESS_MAIN(TstVkForward)
#include "tst_vk_forward.moc"
