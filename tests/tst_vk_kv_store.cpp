// kv_store.comp against its CPU twin facet::cpu::kvStore (house style rule 8):
// K and V rows into f16 rings at (pos0 + t) % capacity, across the ring's end
// and at large positions, K only or K and V, strided sources; plus values at
// the edges of binary16 (ties to even, subnormals, 65504, overflow to inf,
// -0). The stored halves must equal floatToHalf(x) bit for bit, so reading
// them back gives halfToFloat(floatToHalf(x)) exactly; slots not written keep
// their previous words. Validation layer on; any message fails.
#include <QtTest>
#include <cstring>
#include <vector>

#include "cpu/elementwise.h"
#include "model/ggml_type.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/kv_store_op.h"

using namespace facet;
using namespace facet::test;

namespace {

// Values where a binary16 conversion is easy to get wrong.
std::vector<float> edgeValues() {
    std::vector<float> v = {1.0f + 1.0f / 2048,  // tie, rounds down to even (1.0)
                            1.0f + 3.0f / 2048,  // tie, rounds up to even
                            65504.0f,
                            65519.0f,  // max half; just below the overflow threshold
                            65520.0f,
                            1e6f,
                            -1e6f,          // -> ±inf
                            6.1035156e-5f,  // 2^-14, smallest normal
                            3.0e-5f,
                            -1.0e-6f,       // subnormal halves
                            5.9604645e-8f,  // 2^-24, smallest subnormal
                            2.9802322e-8f,  // 2^-25: tie, to 0
                            4.5e-8f,        // above the tie: smallest subnormal
                            1e-12f,
                            -0.0f,
                            0.0f,  // to ±0
                            0.33333334f,
                            -2.7182817f,
                            1234.5678f,
                            -0.0009765625f};
    return v;
}

}  // namespace

class TstVkKvStore : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwinExactly_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("width");  // nKv * headDim
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<bool>("withV");
        QTest::addColumn<int>("stride");  // source row stride; 0 = width
        QTest::newRow("1 tok, 2x16, at 0") << 1 << 32 << 20 << 0 << true << 0;
        QTest::newRow("3 tok, 1x256, across the ring end") << 3 << 256 << 20 << 18 << true << 0;
        QTest::newRow("17 tok, 2x512, at 100000") << 17 << 1024 << 512 << 100000 << true << 0;
        QTest::newRow("17 tok filling a 17-slot ring") << 17 << 32 << 17 << 5 << true << 40;
        QTest::newRow("3 tok, K only, strided") << 3 << 512 << 7 << 100000 << false << 515;
    }

    void matchesCpuTwinExactly() {
        QFETCH(int, nTok);
        QFETCH(int, width);
        QFETCH(int, capacity);
        QFETCH(int, pos0);
        QFETCH(bool, withV);
        QFETCH(int, stride);
        if (stride == 0) stride = width;
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);

        const size_t n = size_t(nTok - 1) * stride + width;
        std::vector<float> k = nonZero(n, 1e-3f, 8.0f, uint32_t(width + nTok));
        std::vector<float> v = nonZero(n, 1e-3f, 8.0f, uint32_t(width + nTok + 1));
        const std::vector<float> edge = edgeValues();
        for (size_t i = 0; i < edge.size() && i < size_t(width); ++i) {
            k[i] = edge[i];
            v[n - 1 - i] = edge[i];
        }

        // Both rings start as a pattern that no conversion produces twice in a row.
        const size_t words = size_t(capacity) * width / 2;
        const std::vector<uint32_t> sentinel(words, 0x7e017e02u);
        std::vector<uint16_t> refK(words * 2), refV(words * 2);
        std::memcpy(refK.data(), sentinel.data(), words * 4);
        std::memcpy(refV.data(), sentinel.data(), words * 4);
        cpu::kvStore(k.data(), nTok, width, stride, refK.data(), capacity, pos0);
        if (withV) cpu::kvStore(v.data(), nTok, width, stride, refV.data(), capacity, pos0);

        auto bk = makeBuffer(*dev, k, "k");
        auto bv = makeBuffer(*dev, v, "v");
        auto bkc = makeBuffer(*dev, sentinel, "k cache");
        auto bvc = makeBuffer(*dev, sentinel, "v cache");
        QVERIFY(bk && bv && bkc && bvc);
        QCOMPARE(bkc->size(), vk::kvCacheBytes(uint32_t(capacity), uint32_t(width)));
        vk::KvStoreArgs a;
        a.k = bk->whole();
        a.v = withV ? bv->whole() : vk::BufferSlice{};
        a.kCache = bkc->whole();
        a.vCache = bvc->whole();
        a.nTok = uint32_t(nTok);
        a.width = uint32_t(width);
        a.kStride = a.vStride = uint32_t(stride);
        a.capacity = uint32_t(capacity);
        a.pos0 = uint32_t(pos0);
        auto cmd = vk::Cmd::create(*dev, "kv_store test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchKvStore(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        for (int which = 0; which < 2; ++which) {
            std::vector<uint16_t> got;
            QVERIFY(download(*dev, which == 0 ? *bkc : *bvc, got));
            const std::vector<uint16_t>& ref = which == 0 ? refK : refV;
            QCOMPARE(got.size(), ref.size());
            for (size_t i = 0; i < ref.size(); ++i)
                if (got[i] != ref[i])
                    QFAIL(qPrintable(QString("%1 cache slot %2 value %3: ref 0x%4 (%5), got 0x%6 (%7)")
                                         .arg(which == 0 ? "k" : "v")
                                         .arg(i / width)
                                         .arg(i % width)
                                         .arg(ref[i], 4, 16, QChar('0'))
                                         .arg(halfToFloat(ref[i]), 0, 'g', 9)
                                         .arg(got[i], 4, 16, QChar('0'))
                                         .arg(halfToFloat(got[i]), 0, 'g', 9)));
        }
        // The read path's promise: a stored value is halfToFloat(floatToHalf(x)).
        const size_t slot0 = size_t(pos0 % capacity) * width;
        for (int i = 0; i < width; ++i) QCOMPARE(halfToFloat(refK[slot0 + i]), halfToFloat(floatToHalf(k[i])));
    }

    void refusesBadArguments() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto b = makeBuffer(*dev, std::vector<float>(256, 1.0f), "small");
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(b && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::KvStoreArgs a;
        a.k = a.kCache = b->whole();
        a.nTok = 3;
        a.width = 31;
        a.capacity = 4;
        Status st = vk::dispatchKvStore(*cmd.value(), a);
        QVERIFY2(!st.ok() && QString::fromStdString(st.message()).contains("odd"), st.message().c_str());
        a.width = 32;
        a.capacity = 2;  // 3 rows into 2 slots
        st = vk::dispatchKvStore(*cmd.value(), a);
        QVERIFY2(!st.ok() && QString::fromStdString(st.message()).contains("3 rows into a ring of 2"),
                 st.message().c_str());
        a.capacity = 100;  // 6400 bytes of ring in a 1024-byte buffer
        st = vk::dispatchKvStore(*cmd.value(), a);
        QVERIFY2(!st.ok() && QString::fromStdString(st.message()).contains("k cache needs 6400 bytes"),
                 st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkKvStore)
#include "tst_vk_kv_store.moc"
