// logits.comp against its CPU twins facet::cpu::softcap and facet::cpu::topK
// (house style rule 8): final-logit softcap in place, greedy argmax and top-k
// (k <= 64) per token over vocabularies of 618 to 262144 values, with ties
// constructed across workgroup chunks (lowest id wins), chunks holding fewer
// than k values, and token windows forced by a small binding limit.
// Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <vector>

#include "cpu/elementwise.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/logits_op.h"

using namespace facet;
using namespace facet::test;

namespace {

// Softcap: the shader's tanh(y) = 1 - 2/(exp(2y) + 1) with |2y| <= 4 here
// (|x| <= 60, cap 30): exp within (3 + 2·4) ulp = 11 ulp, which moves t by
// <= 2·e/(e + 1)²·11·2^-23 <= 0.5·1.3e-6 = 6.6e-7, plus ~2 roundings of
// values <= 1 (1.2e-7): |Δt| <= ~8e-7, times cap 30 = 2.4e-5 absolute. Max
// abs 5e-5; NMSE over values of RMS ~15 <= (2.4e-5/15)² ≈ 3e-12, bound 1e-10.
// Top-k: selection only, so ids and values must equal the twin's on the
// values the GPU wrote (bit for bit).
constexpr double kSoftcapMaxAbs = 5e-5;
constexpr double kSoftcapMaxNmse = 1e-10;

}  // namespace

class TstVkLogits : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwin_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("vocab");
        QTest::addColumn<int>("k");
        QTest::addColumn<float>("cap");
        QTest::addColumn<bool>("ties");  // the maximum repeated at ids across chunks, and k-th place ties
        QTest::addColumn<quint64>("maxBindingBytes");
        QTest::newRow("argmax 262144, 1 tok, softcap 30") << 1 << 262144 << 1 << 30.0f << false << quint64(0);
        QTest::newRow("argmax 262144, 3 tok, ties, no cap") << 3 << 262144 << 1 << 0.0f << true << quint64(0);
        QTest::newRow("argmax 618, 17 tok, ties, softcap") << 17 << 618 << 1 << 30.0f << true << quint64(0);
        QTest::newRow("top-64 262144, 3 tok, ties") << 3 << 262144 << 64 << 30.0f << true << quint64(0);
        QTest::newRow("top-40 2058: a 10-value chunk") << 3 << 2058 << 40 << 0.0f << true << quint64(0);
        QTest::newRow("top-5 618 in 4 KiB windows") << 3 << 618 << 5 << 30.0f << true << quint64(4096);
        QTest::newRow("top-64 of 64") << 1 << 64 << 64 << 0.0f << true << quint64(0);
        QTest::newRow("softcap only 618 x17") << 17 << 618 << 0 << 30.0f << false << quint64(0);
    }

    void matchesCpuTwin() {
        QFETCH(int, nTok);
        QFETCH(int, vocab);
        QFETCH(int, k);
        QFETCH(float, cap);
        QFETCH(bool, ties);
        QFETCH(quint64, maxBindingBytes);
        vk::Device* dev = bench_.device(true, maxBindingBytes);
        QVERIFY(dev);

        const size_t n = size_t(nTok) * vocab;
        std::vector<float> x = nonZero(n, 0.01f, 60.0f, uint32_t(vocab + nTok * 7 + k));
        if (ties)
            for (int t = 0; t < nTok; ++t) {
                float* row = &x[size_t(t) * vocab];
                // A run of equal values around the k-th place, then the
                // maximum at ids in late, middle and early chunks.
                for (int j = 0; j < std::min(vocab / 4, 2 * k + 4); ++j) row[(j * 97 + t) % vocab] = 70.0f;
                const int ids[] = {vocab - 1, vocab / 2 + t, vocab / 3, 3 + t};
                for (int id : ids) row[id] = 75.0f;
            }
        std::vector<float> ref = x;
        for (int t = 0; t < nTok; ++t) cpu::softcap(&ref[size_t(t) * vocab], vocab, cap);

        auto bl = makeBuffer(*dev, x, "logits");
        auto bs = makeBuffer(*dev, nullptr,
                             std::max<size_t>(vk::logitsScratchBytes(uint32_t(nTok), uint32_t(vocab), uint32_t(k)), 4),
                             "scratch");
        auto bi = makeBuffer(*dev, nullptr, std::max(size_t(nTok) * k, size_t(1)) * 4, "ids");
        auto bv = makeBuffer(*dev, nullptr, std::max(size_t(nTok) * k, size_t(1)) * 4, "values");
        QVERIFY(bl && bs && bi && bv);
        vk::LogitsArgs a;
        a.logits = bl->whole();
        a.scratch = bs->whole();
        a.ids = bi->whole();
        a.values = bv->whole();
        a.nTok = uint32_t(nTok);
        a.vocab = uint32_t(vocab);
        a.k = uint32_t(k);
        a.cap = cap;
        auto cmd = vk::Cmd::create(*dev, "logits test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchLogits(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (maxBindingBytes) QVERIFY(cmd.value()->dispatches() > 2);  // really in windows
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> capped;
        QVERIFY(download(*dev, *bl, capped));
        if (cap == 0.0f) {
            QVERIFY(std::memcmp(capped.data(), x.data(), n * 4) == 0);  // untouched
        } else {
            const Comparison c = compareFloats(ref, capped, kSoftcapMaxAbs);
            FACET_VERIFY_COMPARISON(c, kSoftcapMaxNmse);
        }
        if (k == 0) return;
        std::vector<uint32_t> ids;
        std::vector<float> vals;
        QVERIFY(download(*dev, *bi, ids));
        QVERIFY(download(*dev, *bv, vals));
        for (int t = 0; t < nTok; ++t) {
            const std::vector<cpu::Candidate> want = cpu::topK(&capped[size_t(t) * vocab], vocab, k);
            for (int r = 0; r < k; ++r) {
                const size_t i = size_t(t) * k + r;
                if (ids[i] != want[r].id || std::memcmp(&vals[i], &want[r].value, 4) != 0)
                    QFAIL(qPrintable(QString("token %1 rank %2: ref id %3 (%4), got id %5 (%6)")
                                         .arg(t)
                                         .arg(r)
                                         .arg(want[r].id)
                                         .arg(want[r].value, 0, 'g', 9)
                                         .arg(ids[i])
                                         .arg(vals[i], 0, 'g', 9)));
            }
            if (ties) QCOMPARE(ids[size_t(t) * k], uint32_t(std::min(3 + t, vocab / 3)));  // lowest id of the maxima
        }
    }

    void nanAndInfinityRankLast() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        std::vector<float> x = nonZero(64, 0.5f, 9.0f, 64);
        for (int i : {3, 40}) x[i] = NAN;
        for (int i : {7, 12}) x[i] = -INFINITY;
        x[20] = INFINITY;
        auto bl = makeBuffer(*dev, x, "logits");
        auto bs = makeBuffer(*dev, nullptr, vk::logitsScratchBytes(1, 64, 64), "scratch");
        auto bi = makeBuffer(*dev, nullptr, 64 * 4, "ids");
        auto bv = makeBuffer(*dev, nullptr, 64 * 4, "values");
        QVERIFY(bl && bs && bi && bv);
        vk::LogitsArgs a;
        a.logits = bl->whole();
        a.scratch = bs->whole();
        a.ids = bi->whole();
        a.values = bv->whole();
        a.nTok = 1;
        a.vocab = 64;
        a.k = 64;
        auto cmd = vk::Cmd::create(*dev, "logits nan");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        Status st = vk::dispatchLogits(*cmd.value(), a);
        if (st.ok()) st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<uint32_t> ids;
        std::vector<float> vals;
        QVERIFY(download(*dev, *bi, ids) && download(*dev, *bv, vals));
        const std::vector<cpu::Candidate> want = cpu::topK(x.data(), 64, 64);
        QCOMPARE(ids[0], 20u);                   // +inf first
        const uint32_t last[] = {3, 7, 12, 40};  // -inf and NaN, by id
        for (int r = 0; r < 64; ++r) {
            QVERIFY2(ids[r] == want[r].id && std::memcmp(&vals[r], &want[r].value, 4) == 0,
                     qPrintable(QString("rank %1: ref id %2 (%3), got id %4 (%5)")
                                    .arg(r)
                                    .arg(want[r].id)
                                    .arg(want[r].value)
                                    .arg(ids[r])
                                    .arg(vals[r])));
            if (r >= 60) QCOMPARE(ids[r], last[r - 60]);
        }
    }

    void refusesBadArguments() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto b = makeBuffer(*dev, std::vector<float>(1000, 1.0f), "small");
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(b && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::LogitsArgs a;
        a.logits = a.scratch = a.ids = a.values = b->whole();
        a.nTok = 1;
        a.vocab = 1000;
        a.k = 65;
        Status st = vk::dispatchLogits(*cmd.value(), a);
        QVERIFY(!st.ok() && QString::fromStdString(st.message()).contains("top-k 65 > 64"));
        a.k = 1;
        a.nTok = 2;  // 8000 bytes of logits in a 4000-byte buffer
        st = vk::dispatchLogits(*cmd.value(), a);
        QVERIFY2(!st.ok() && QString::fromStdString(st.message()).contains("logits needs 8000 bytes"),
                 st.message().c_str());
        a.nTok = 1;
        a.k = 0;  // nothing asked for
        st = vk::dispatchLogits(*cmd.value(), a);
        QVERIFY(!st.ok() && QString::fromStdString(st.message()).contains("neither"));
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkLogits)
#include "tst_vk_logits.moc"
