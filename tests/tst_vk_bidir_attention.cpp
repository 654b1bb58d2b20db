// attention_bidir.comp against its CPU twin facet::cpu::attendHead on
// q · scale (house style rule 8): random non-zero q, K and V of a packed batch
// of sequences with odd lengths, full and sliding (|i − j| ≤ halfWindow)
// masks, GQA ratios, head dims 16..256. Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <vector>

#include "cpu/attention.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/bidir_attention_op.h"
#include "vulkan/vk_device.h"

using namespace facet;
using namespace facet::test;

namespace {

// Bounds: scores are fp32 dots of ≤ 256 products of |q·scale| ≲ 0.25, |k| ≤ 1
// (error ≲ 256·2^-24·Σ|q||k| ≈ 1e-5 absolute); exp() turns a score error δ
// into a relative weight error δ, and the output is a convex combination of
// |v| ≤ 1, so |gpu − ref| ≲ 3e-5; the online rescaling adds a few ulp per
// block. Max abs 1e-4; NMSE ≤ (1e-4)² = 1e-8. A wrong mask or range moves
// outputs by ~1e-1.
constexpr double kMaxAbs = 1e-4;
constexpr double kMaxNmse = 1e-8;

}  // namespace

class TstVkBidirAttention : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwin_data() {
        QTest::addColumn<QList<int>>("lengths");  // sequences packed in this order
        QTest::addColumn<int>("nHeads");
        QTest::addColumn<int>("nKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<bool>("sliding");
        QTest::addColumn<int>("halfWindow");
        QTest::newRow("one sequence, full, hd32 4q/2kv") << QList<int>{13} << 4 << 2 << 32 << false << 0;
        QTest::newRow("three sequences, full, hd16 8q/4kv") << QList<int>{5, 1, 9} << 8 << 4 << 16 << false << 0;
        QTest::newRow("three sequences, sliding 2, hd32") << QList<int>{7, 3, 11} << 4 << 2 << 32 << true << 2;
        // Keys of one workgroup span more than one block of 128: the online
        // softmax's rescaling and the window's edges inside a long sequence.
        QTest::newRow("long and short, sliding 70, hd256 3q/1kv")
            << QList<int>{301, 4, 150} << 3 << 1 << 256 << true << 70;
        QTest::newRow("long and short, full, hd256 3q/1kv") << QList<int>{301, 4, 150} << 3 << 1 << 256 << false << 0;
    }

    void matchesCpuTwin() {
        QFETCH(QList<int>, lengths);
        QFETCH(int, nHeads);
        QFETCH(int, nKv);
        QFETCH(int, headDim);
        QFETCH(bool, sliding);
        QFETCH(int, halfWindow);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        std::vector<int> starts = {0};
        int longest = 0;
        for (int len : lengths) {
            starts.push_back(starts.back() + len);
            longest = std::max(longest, len);
        }
        const int n = starts.back(), qW = nHeads * headDim, kvW = nKv * headDim;
        const float scale = 1.0f / std::sqrt(float(headDim));
        const uint32_t seed = uint32_t(n * 31 + headDim * 7 + (sliding ? 1 : 0));
        // q after its RMS norm has |q| ~ 1; the scale brings scores to a few units.
        const std::vector<float> q = nonZero(size_t(n) * qW, 0.01f, 2.0f, seed);
        const std::vector<float> k = nonZero(size_t(n) * kvW, 0.01f, 1.0f, seed + 1);
        const std::vector<float> v = nonZero(size_t(n) * kvW, 0.01f, 1.0f, seed + 2);

        std::vector<float> ref(size_t(n) * qW), qs(headDim);
        const int group = nHeads / nKv;
        for (size_t s = 0; s + 1 < starts.size(); ++s)
            for (int t = starts[s]; t < starts[s + 1]; ++t) {
                const int first = sliding ? std::max(starts[s], t - halfWindow) : starts[s];
                const int last = sliding ? std::min(starts[s + 1] - 1, t + halfWindow) : starts[s + 1] - 1;
                for (int h = 0; h < nHeads; ++h) {
                    for (int c = 0; c < headDim; ++c) qs[c] = q[size_t(t) * qW + h * headDim + c] * scale;
                    const size_t off = size_t(h / group) * headDim;
                    cpu::attendHead(qs.data(), headDim, first, last, [&](int j) { return &k[size_t(j) * kvW + off]; },
                                    [&](int j) { return &v[size_t(j) * kvW + off]; }, &ref[size_t(t) * qW + h * headDim]);
                }
            }

        const std::vector<uint32_t> bounds = vk::sequenceBounds(starts);
        QCOMPARE(bounds.size(), size_t(2 * n));
        auto bq = makeBuffer(*dev, q, "q");
        auto bk = makeBuffer(*dev, k, "k");
        auto bv = makeBuffer(*dev, v, "v");
        auto bb = makeBuffer(*dev, bounds, "bounds");
        auto bo = makeBuffer(*dev, std::vector<float>(ref.size(), 7.0f), "out");
        QVERIFY(bq && bk && bv && bb && bo);
        vk::BidirAttentionArgs a;
        a.q = bq->whole();
        a.k = bk->whole();
        a.v = bv->whole();
        a.bounds = bb->whole();
        a.out = bo->whole();
        a.nTok = uint32_t(n);
        a.nHeads = uint32_t(nHeads);
        a.nKvHeads = uint32_t(nKv);
        a.headDim = uint32_t(headDim);
        a.sliding = sliding;
        a.halfWindow = uint32_t(halfWindow);
        a.scale = scale;
        a.maxKeys = uint32_t(sliding ? std::min(longest, 2 * halfWindow + 1) : longest);
        auto cmd = vk::Cmd::create(*dev, "bidir attention test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchBidirAttention(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 1u);
        st = cmd.value()->end();
        QVERIFY2(st.ok(), st.message().c_str());
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> got;
        QVERIFY(download(*dev, *bo, got));
        const Comparison c = compareFloats(ref, got, kMaxAbs);
        FACET_VERIFY_COMPARISON(c, kMaxNmse);
    }

    // The bounds are the packed indices of each token's sequence, inclusive.
    void boundsFollowStarts() {
        const std::vector<uint32_t> b = vk::sequenceBounds({0, 2, 3, 6});
        const std::vector<uint32_t> want = {0, 1, 0, 1, 2, 2, 3, 5, 3, 5, 3, 5};
        QCOMPARE(b, want);
    }

    void rejectsBadShapes() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto buf = makeBuffer(*dev, nullptr, 1 << 16, "buf");
        auto cmd = vk::Cmd::create(*dev, "bad");
        QVERIFY(buf && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::BidirAttentionArgs a;
        a.q = a.k = a.v = a.bounds = a.out = buf->whole();
        a.nTok = 4, a.nHeads = 3, a.nKvHeads = 2, a.headDim = 16, a.maxKeys = 4;
        Status st = vk::dispatchBidirAttention(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("not a multiple of 2 kv heads") != std::string::npos, st.message().c_str());
        a.nHeads = 4;
        a.maxKeys = 0;
        st = vk::dispatchBidirAttention(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("keys per token not given") != std::string::npos, st.message().c_str());
        a.maxKeys = 4;
        a.nTok = 4096;  // q needs 4096 · 64 floats: more than the buffer
        st = vk::dispatchBidirAttention(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("q needs") != std::string::npos, st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkBidirAttention)
#include "tst_vk_bidir_attention.moc"
