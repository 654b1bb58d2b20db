// rope.comp against its CPU twins facet::cpu::rmsNorm + facet::cpu::rope
// (house style rule 8), as the forward uses them per head: q/k (norm with
// weight, then rotation), v (weightless norm, no rotation), rotation alone.
// Head dims 16..512, sliding (base 1e4) and proportional full-layer θ
// (factors 1e30 past pair 64), positions up to 2^24 - 1, from pos0 or a
// buffer, fused-QKV strides, subgroup and shared-memory reductions; and the
// rows stored into an f16 KV ring as they finish (RopeArgs::cache): every
// stored half is floatToHalf of the row rope wrote, bit for bit, at slot
// (pos0 + t) % capacity, wrapping; other slots keep their contents. And a
// layer's q, k and v in one dispatch (RopeArgs::nKvHeads), V from K or its own.
// Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/ggml_type.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/kv_store_op.h"
#include "vulkan/ops/rope_op.h"

using namespace facet;
using namespace facet::test;

namespace {

// Bounds. Norm: as tst_vk_rms_norm, the per-head scale is within ~2e-6
// relative (fp32 sum of <= 512 squares). Angle (rope.comp): the four 12-bit
// products are exact and their fractions truncate to 2^-32 turn (<= 4 units),
// pos·τ3 (< 0.16 turn) rounds to 2^-24 relative (1e-8 turn); the float of the
// quadrant remainder and the 2π/2^32 scale add ~5e-8 rad: <= ~1.5e-7 rad in
// all, for any pos < 2^24 (the CPU's double φ is exact to ~1e-9 there). The
// Taylor series truncate below 1e-11 and round ~3 ulp: sin and cos within
// ~3e-7 absolute. An output a·c - b·s then errs by <= (|a| + |b|)·3e-7 + ulp;
// with normed values |a|, |b| <= ~8 (|x| <= 2 over an RMS >= ~0.6, weight
// <= 1.5) that is <= 5e-6, plus <= 2e-6 from the norm: max abs 2e-5 (a 3x
// margin over the worst case). NMSE: per element ~4e-7 relative typical,
// (4e-7)² ≈ 2e-13; bound 1e-10.
constexpr double kMaxNmse = 1e-10;
constexpr double kMaxAbs = 2e-5;
constexpr float kEps = 1e-6f;

enum class Mode { QK, V, RotateOnly };

std::vector<double> thetas(int headDim, double base, bool proportional) {
    std::vector<double> t(headDim / 2);
    for (int j = 0; j < headDim / 2; ++j) {
        t[j] = std::pow(base, -2.0 * j / headDim);  // spec §2.6; as facet::ropeTheta
        if (proportional && j >= 64) t[j] /= 1e30;  // rope_freqs: [1.0]x64 ++ [1e30]x...
    }
    return t;
}

}  // namespace

class TstVkRope : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwin_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("nHeads");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<bool>("proportional");  // full layer: base 1e6, 64 rotated pairs
        QTest::addColumn<bool>("positionBuffer");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<bool>("fused");  // heads inside a wider QKV row (strides + offset)
        QTest::addColumn<int>("capacity");  // > 0: also store into a KV ring of this many slots
        QTest::addColumn<bool>("otherWorkgroup");  // the other family's invocations (GPUs' 64 on a CPU device)

        struct Row {
            Mode m;
            int hd, nh, nt, pos;
            bool prop, pbuf, sg, fused;
            const char* name;
            int capacity = 0;
        };
        const Row rows[] = {
            {Mode::QK, 256, 8, 3, 0, false, false, true, false, "q sliding 256 x8, 3 tok at 0"},
            {Mode::QK, 256, 2, 17, 100000, false, false, false, false, "k sliding 256, 17 tok at 100000, shared"},
            {Mode::QK, 512, 4, 3, 100000, true, false, true, false, "q full 512 proportional at 100000"},
            {Mode::QK, 512, 1, 1, 16777215 - 1, true, false, false, false, "k full 512 at 2^24-2, shared"},
            {Mode::QK, 16, 3, 17, 99991, false, true, true, false, "q 16 x3 positions from a buffer"},
            {Mode::QK, 32, 5, 3, 123457, false, false, true, true, "q 32 fused QKV strides"},
            {Mode::V, 256, 2, 17, 0, false, false, true, false, "v 256 weightless norm"},
            {Mode::V, 512, 1, 3, 0, false, false, false, true, "v 512 fused, shared"},
            {Mode::RotateOnly, 256, 4, 3, 100000, false, false, true, false, "rotate only 256 at 100000"},
            {Mode::RotateOnly, 16, 1, 1, 1, false, false, true, false, "rotate only 16 at 1"},
            {Mode::QK, 256, 2, 17, 100005, false, false, true, false, "k 256 x2 stored, 17 tok wrap a 20-slot ring", 20},
            {Mode::QK, 512, 1, 3, 7, true, false, false, true, "k 512 fused stored, shared", 5},
            {Mode::V, 256, 2, 9, 0, false, false, true, false, "v 256 stored into 9 slots", 9},
            {Mode::V, 512, 1, 1, 511, false, false, false, false, "v 512 stored at slot 511, shared", 512},
        };
        for (bool other : {false, true})
            for (const Row& r : rows)
                QTest::addRow("%s%s", r.name, other ? ", other family's workgroup" : "")
                    << int(r.m) << r.hd << r.nh << r.nt << r.pos << r.prop << r.pbuf << r.sg << r.fused << r.capacity
                    << other;
    }

    void matchesCpuTwin() {
        QFETCH(int, mode);
        QFETCH(int, headDim);
        QFETCH(int, nHeads);
        QFETCH(int, nTok);
        QFETCH(int, pos0);
        QFETCH(bool, proportional);
        QFETCH(bool, positionBuffer);
        QFETCH(bool, subgroups);
        QFETCH(bool, fused);
        QFETCH(int, capacity);
        QFETCH(bool, otherWorkgroup);
        const Mode m = Mode(mode);
        const bool norm = m != Mode::RotateOnly, rotate = m != Mode::V, weight = m == Mode::QK;

        vk::Device* dev = bench_.device(subgroups, 0);
        QVERIFY(dev);
        QCOMPARE(dev->caps().subgroupReduce(), subgroups);

        // Fused: the heads sit at float 3 + 5 of a row of 2 extra heads plus
        // padding, as Q inside a QKV projection output.
        const int headStride = fused ? headDim + 4 : headDim;
        const int xFirst = fused ? 8 : 0;
        const int tokStride = fused ? (nHeads + 2) * headStride + 3 : nHeads * headStride;
        const size_t n = size_t(xFirst) + size_t(nTok - 1) * tokStride + size_t(nHeads - 1) * headStride + headDim;
        const uint32_t seed = uint32_t(headDim * 131 + nTok * 7 + nHeads);
        const std::vector<float> x = nonZero(n, 0.05f, 2.0f, seed);
        const std::vector<float> w = nonZero(size_t(headDim), 0.5f, 1.5f, seed + 1);
        const std::vector<double> th = thetas(headDim, proportional ? 1e6 : 1e4, proportional);
        std::vector<int32_t> positions(static_cast<size_t>(nTok));
        for (int t = 0; t < nTok; ++t) positions[t] = positionBuffer ? pos0 + 37 * t * t : pos0 + t;

        std::vector<float> ref = x;
        std::vector<size_t> index;  // the elements the op owns
        for (int t = 0; t < nTok; ++t)
            for (int h = 0; h < nHeads; ++h) {
                const size_t b = size_t(xFirst) + size_t(t) * tokStride + size_t(h) * headStride;
                if (norm) cpu::rmsNorm(&ref[b], weight ? w.data() : nullptr, &ref[b], headDim, kEps);
                if (rotate) cpu::rope(&ref[b], headDim, positions[t], th.data());
                for (int i = 0; i < headDim; ++i) index.push_back(b + i);
            }

        auto bx = makeBuffer(*dev, x, "x");
        auto bw = makeBuffer(*dev, w, "q_norm");
        auto bt = makeBuffer(*dev, vk::ropeThetaTable(th), "theta");
        auto bp = makeBuffer(*dev, positions, "positions");
        // The ring starts 3 words into its buffer, every word a sentinel.
        const size_t words = size_t(nHeads) * headDim / 2, ringWords = size_t(std::max(capacity, 1)) * words;
        const std::vector<uint32_t> ring0(ringWords + 3, 0xDEADBEEFu);
        auto bc = makeBuffer(*dev, ring0, "k cache");
        QVERIFY(bx && bw && bt && bp && bc);

        vk::RopeArgs a;
        a.x = bx->slice(size_t(xFirst) * 4, (n - xFirst) * 4);
        a.weight = weight ? bw->whole() : vk::BufferSlice{};
        a.theta = bt->whole();
        a.positions = positionBuffer ? bp->whole() : vk::BufferSlice{};
        a.nTok = uint32_t(nTok);
        a.nHeads = uint32_t(nHeads);
        a.headDim = uint32_t(headDim);
        a.tokStride = uint32_t(tokStride);
        a.headStride = uint32_t(headStride);
        a.pos0 = pos0;
        a.norm = norm;
        a.rotate = rotate;
        a.eps = kEps;
        if (otherWorkgroup) a.invocations = dev->caps().type == vk::DeviceType::Cpu ? 64 : 8;
        if (capacity > 0) {
            a.cache = bc->slice(12, vk::kvCacheBytes(uint32_t(capacity), uint32_t(nHeads * headDim)));
            a.capacity = uint32_t(capacity);
        }

        auto cmd = vk::Cmd::create(*dev, "rope test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchRope(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got;
        QVERIFY(download(*dev, *bx, got));
        const Comparison c = compareFloats(ref, got, kMaxAbs, index);
        FACET_VERIFY_COMPARISON(c, kMaxNmse);
        // Everything outside the heads (fused padding, other heads) is untouched.
        std::vector<bool> owned(n, false);
        for (size_t i : index) owned[i] = true;
        for (size_t i = 0; i < n; ++i)
            if (!owned[i]) QCOMPARE(got[i], x[i]);

        // The ring: token t's heads side by side at slot (pos0 + t) % capacity,
        // each half floatToHalf of what rope wrote to x; untouched slots (and
        // the 3 words before the ring) keep the sentinel.
        std::vector<uint32_t> ring;
        QVERIFY(download(*dev, *bc, ring));
        std::vector<uint32_t> want = ring0;
        for (int t = 0; capacity > 0 && t < nTok; ++t) {
            const size_t slot = size_t(pos0 + t) % size_t(capacity);
            for (int h = 0; h < nHeads; ++h) {
                const size_t b = size_t(xFirst) + size_t(t) * tokStride + size_t(h) * headStride;
                for (int i = 0; i < headDim / 2; ++i)
                    want[3 + slot * words + size_t(h) * headDim / 2 + i] =
                        uint32_t(floatToHalf(got[b + 2 * i])) | uint32_t(floatToHalf(got[b + 2 * i + 1])) << 16;
            }
        }
        for (size_t i = 0; i < want.size(); ++i)
            if (ring[i] != want[i])
                QFAIL(qPrintable(QString("cache word %1: 0x%2, expected 0x%3").arg(i).arg(ring[i], 8, 16, QChar('0'))
                                     .arg(want[i], 8, 16, QChar('0'))));
    }

    // One dispatch for a layer's q, k and v (RopeArgs::nKvHeads): q normed
    // with q_norm, rotated, written back; k with k_norm, rotated, and v
    // weightless, both only stored into their rings (x keeps them raw). The
    // ring halves are checked against the CPU's rows within the bounds plus
    // the half's rounding (x carries no finished k to compare bit for bit).
    void qkvInOneDispatch_data() {
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("nHeads");
        QTest::addColumn<int>("nKv");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<bool>("vFromK");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<bool>("otherWorkgroup");
        QTest::newRow("E2B sliding 256: 8 q, 1 kv, decode") << 256 << 8 << 1 << 1 << 5 << 512 << false << true << false;
        QTest::newRow("E2B full 512: 8 q, 1 kv, 3 tok") << 512 << 8 << 1 << 3 << 100000 << 4096 << false << false
                                                         << false;
        QTest::newRow("2 kv heads, 17 tok wrap a 20-slot ring") << 64 << 4 << 2 << 17 << 100005 << 20 << false
                                                                << true << true;
        QTest::newRow("V is K (k_eq_v), 4 kv heads") << 128 << 8 << 4 << 3 << 7 << 9 << true << true << false;
        QTest::newRow("V is K, other family's workgroup") << 512 << 4 << 1 << 2 << 0 << 8 << true << false << true;
    }

    void qkvInOneDispatch() {
        QFETCH(int, headDim);
        QFETCH(int, nHeads);
        QFETCH(int, nKv);
        QFETCH(int, nTok);
        QFETCH(int, pos0);
        QFETCH(int, capacity);
        QFETCH(bool, vFromK);
        QFETCH(bool, subgroups);
        QFETCH(bool, otherWorkgroup);
        vk::Device* dev = bench_.device(subgroups, 0);
        QVERIFY(dev);
        QCOMPARE(dev->caps().subgroupReduce(), subgroups);

        // A token's row: q heads, k heads, v heads (none with vFromK), 4 floats of padding.
        const int rowHeads = nHeads + (vFromK ? 1 : 2) * nKv;
        const int tokStride = rowHeads * headDim + 4;
        const size_t n = size_t(nTok) * tokStride;
        const uint32_t seed = uint32_t(headDim * 17 + nKv * 5 + nTok);
        const std::vector<float> x = nonZero(n, 0.05f, 2.0f, seed);
        const std::vector<float> wq = nonZero(size_t(headDim), 0.5f, 1.5f, seed + 1);
        const std::vector<float> wk = nonZero(size_t(headDim), 0.5f, 1.5f, seed + 2);
        const std::vector<double> th = thetas(headDim, 1e4, false);

        std::vector<float> ref = x;
        std::vector<size_t> qIndex;
        // The CPU's finished k and v rows: [t][h][i].
        std::vector<float> kRef(size_t(nTok) * nKv * headDim), vRef(kRef.size());
        for (int t = 0; t < nTok; ++t) {
            const size_t row = size_t(t) * tokStride;
            for (int h = 0; h < nHeads; ++h) {
                const size_t b = row + size_t(h) * headDim;
                cpu::rmsNorm(&ref[b], wq.data(), &ref[b], headDim, kEps);
                cpu::rope(&ref[b], headDim, pos0 + t, th.data());
                for (int i = 0; i < headDim; ++i) qIndex.push_back(b + i);
            }
            for (int h = 0; h < nKv; ++h) {
                const size_t kb = row + size_t(nHeads + h) * headDim;
                const size_t vb = vFromK ? kb : row + size_t(nHeads + nKv + h) * headDim;
                float* k = &kRef[(size_t(t) * nKv + h) * headDim];
                float* v = &vRef[(size_t(t) * nKv + h) * headDim];
                cpu::rmsNorm(&x[kb], wk.data(), k, headDim, kEps);
                cpu::rope(k, headDim, pos0 + t, th.data());
                cpu::rmsNorm(&x[vb], nullptr, v, headDim, kEps);
            }
        }

        auto bx = makeBuffer(*dev, x, "qkv");
        auto bwq = makeBuffer(*dev, wq, "q_norm");
        auto bwk = makeBuffer(*dev, wk, "k_norm");
        auto bt = makeBuffer(*dev, vk::ropeThetaTable(th), "theta");
        const size_t words = size_t(nKv) * headDim / 2, ringWords = size_t(capacity) * words;
        const std::vector<uint32_t> ring0(2 * ringWords + 3, 0xDEADBEEFu);
        auto bc = makeBuffer(*dev, ring0, "kv rings");  // k ring 3 words in, v ring right after it
        QVERIFY(bx && bwq && bwk && bt && bc);

        vk::RopeArgs a;
        a.x = bx->whole();
        a.weight = bwq->whole();
        a.kWeight = bwk->whole();
        a.theta = bt->whole();
        a.nTok = uint32_t(nTok);
        a.nHeads = uint32_t(nHeads);
        a.nKvHeads = uint32_t(nKv);
        a.vFromK = vFromK;
        a.headDim = uint32_t(headDim);
        a.tokStride = uint32_t(tokStride);
        a.pos0 = pos0;
        a.eps = kEps;
        a.capacity = uint32_t(capacity);
        a.cache = bc->slice(12, ringWords * 4);
        a.vCache = bc->slice(12 + ringWords * 4, ringWords * 4);
        if (otherWorkgroup) a.invocations = dev->caps().type == vk::DeviceType::Cpu ? 64 : 8;

        auto cmd = vk::Cmd::create(*dev, "rope qkv test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchRope(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 1u);
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got;
        QVERIFY(download(*dev, *bx, got));
        const Comparison c = compareFloats(ref, got, kMaxAbs, qIndex);
        FACET_VERIFY_COMPARISON(c, kMaxNmse);
        std::vector<bool> isQ(n, false);
        for (size_t i : qIndex) isQ[i] = true;
        for (size_t i = 0; i < n; ++i)  // raw k and v, and the padding, untouched
            if (!isQ[i]) QCOMPARE(got[i], x[i]);

        std::vector<uint32_t> ring;
        QVERIFY(download(*dev, *bc, ring));
        std::vector<bool> written(ring.size(), false);
        for (int t = 0; t < nTok; ++t) {
            const size_t slot = size_t(pos0 + t) % size_t(capacity);
            for (int which = 0; which < 2; ++which)
                for (int h = 0; h < nKv; ++h)
                    for (int i = 0; i < headDim / 2; ++i) {
                        const size_t word = 3 + size_t(which) * ringWords + slot * words + size_t(h) * headDim / 2 + i;
                        const float* want = &(which ? vRef : kRef)[(size_t(t) * nKv + h) * headDim + 2 * i];
                        for (int half = 0; half < 2; ++half) {
                            const float v = halfToFloat(uint16_t(ring[word] >> (16 * half)));
                            const double bound = kMaxAbs + std::fabs(want[half]) * std::ldexp(1.0, -11);
                            if (std::fabs(double(v) - want[half]) > bound)
                                QFAIL(qPrintable(QString("%1 ring, token %2, head %3, value %4: %5, expected %6")
                                                     .arg(which ? "v" : "k").arg(t).arg(h).arg(2 * i + half)
                                                     .arg(double(v)).arg(double(want[half]))));
                        }
                        written[word] = true;
                    }
        }
        for (size_t i = 0; i < ring.size(); ++i)  // other slots (and the 3 words before) keep the sentinel
            if (!written[i]) QCOMPARE(ring[i], 0xDEADBEEFu);
    }

    void qkvRefusesMissingParts() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const std::vector<float> x(4096, 1.0f);
        auto bx = makeBuffer(*dev, x, "x");
        auto bc = makeBuffer(*dev, nullptr, 4096, "cache");
        auto cmd = vk::Cmd::create(*dev, "bad qkv");
        QVERIFY(bx && bc && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::RopeArgs a;
        a.x = a.weight = a.theta = bx->whole();
        a.cache = bc->whole();  // no k weight, no v ring
        a.capacity = 4;
        a.nTok = 1;
        a.nHeads = 2;
        a.nKvHeads = 1;
        a.headDim = 16;
        const Status st = vk::dispatchRope(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("both KV rings"), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }

    void refusesBadArguments_data() {
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("pos0");
        QTest::addColumn<int>("xFloats");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("capacity");  // > 0: store into a ring of this many slots
        QTest::addColumn<bool>("positionBuffer");
        QTest::newRow("odd head dim") << 15 << 0 << 1000 << "odd" << 0 << false;
        QTest::newRow("x too small") << 16 << 0 << 31 << "x needs 128 bytes" << 0 << false;
        QTest::newRow("position past 2^24") << 16 << 16777215 << 1000 << "outside [0, 2^24)" << 0 << false;
        QTest::newRow("negative position") << 16 << -1 << 1000 << "outside [0, 2^24)" << 0 << false;
        QTest::newRow("store: more tokens than slots") << 16 << 0 << 1000 << "KV ring needs" << 1 << false;
        QTest::newRow("store: positions from a buffer") << 16 << 0 << 1000 << "KV ring needs" << 4 << true;
        QTest::newRow("store: head dim over 512") << 514 << 0 << 2000 << "KV ring needs" << 4 << false;
        QTest::newRow("store: ring too small") << 16 << 0 << 1000 << "cache needs" << 40 << false;
    }

    void refusesBadArguments() {
        QFETCH(int, headDim);
        QFETCH(int, pos0);
        QFETCH(int, xFloats);
        QFETCH(QString, error);
        QFETCH(int, capacity);
        QFETCH(bool, positionBuffer);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const std::vector<float> x(size_t(xFloats), 1.0f), th(512, 0.5f);
        auto bx = makeBuffer(*dev, x, "x");
        auto bt = makeBuffer(*dev, th, "theta");
        auto bc = makeBuffer(*dev, nullptr, 1024, "cache");  // 1 KiB: 32 slots of 16 values
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(bx && bt && bc && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::RopeArgs a;
        a.x = bx->whole();
        a.theta = bt->whole();
        a.nTok = 2;
        a.nHeads = 1;
        a.headDim = uint32_t(headDim);
        a.pos0 = pos0;
        if (capacity > 0) {
            a.cache = bc->whole();
            a.capacity = uint32_t(capacity);
        }
        if (positionBuffer) a.positions = bx->whole();
        const Status st = vk::dispatchRope(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkRope)
#include "tst_vk_rope.moc"
