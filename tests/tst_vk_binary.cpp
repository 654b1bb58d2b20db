// binary.comp and geglu.comp against their CPU twins facet::cpu::binary and
// facet::cpu::geglu (house style rule 8): the residual add, layer scalar, PLE
// gate and PLE mix, and GeGLU on separate and fused gate_up rows; odd sizes,
// 1..17 tokens, strides, offsets and in-place outputs. Validation layer on;
// any message fails.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "cpu/elementwise.h"
#include "cpu/ops.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/binary_op.h"
#include "vulkan/ops/geglu_op.h"

using namespace facet;
using namespace facet::test;

namespace {

// binary: each output is the same fp32 operations as the twin (one rounding
// per +/*, correctly rounded in Vulkan; no contraction possible), so the
// results must be bit-identical: bound 0.
//
// geglu: the shader's z / (1 + exp(-2y)) equals 0.5z(1 + tanh y). With
// |z| <= 4, |2y| <= 11; exp is within (3 + 2|x|) ulp = 25 ulp ≈ 1.5e-6
// relative (Vulkan precision table), which moves the result by at most that
// relative amount; y's own roundings (~3 ulp times |2y| <= 11) add ~2e-6
// absolute to exp's argument, i.e. 2e-6 relative. Per element <= ~4e-6
// relative of |out| <= 4·4 = 16: <= 6.4e-5; max abs 1e-4. NMSE
// <= (4e-6)² = 1.6e-11, bound 1e-10.
constexpr double kGegluMaxNmse = 1e-10;
constexpr double kGegluMaxAbs = 1e-4;

}  // namespace

class TstVkBinary : public VkOpTestCase {
    Q_OBJECT

    bool run(vk::Device& dev, const std::function<Status(vk::Cmd&)>& record) {
        auto cmd = vk::Cmd::create(dev, "binary test");
        if (!cmd.ok() || !cmd.value()->begin().ok()) return false;
        Status st = record(*cmd.value());
        if (st.ok()) st = cmd.value()->submitAndWait();
        if (!st.ok()) qWarning("%s", st.message().c_str());
        return st.ok();
    }

private slots:
    void binaryMatchesCpuTwinExactly_data() {
        QTest::addColumn<int>("op");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("n");
        QTest::addColumn<bool>("strided");  // row strides n + 3 and offsets
        QTest::addColumn<bool>("inPlace");  // out is a
        for (int op = 0; op < int(cpu::BinaryOp::Count); ++op)
            for (const auto& s : {std::pair{1, 2304}, std::pair{3, 257}, std::pair{17, 1536}})
                for (bool strided : {false, true})
                    QTest::addRow("%s %dx%d%s", cpu::binaryOpName(cpu::BinaryOp(op)), s.first, s.second,
                                  strided ? " strided, in place" : "")
                        << op << s.first << s.second << strided << strided;
    }

    void binaryMatchesCpuTwinExactly() {
        QFETCH(int, op);
        QFETCH(int, nTok);
        QFETCH(int, n);
        QFETCH(bool, strided);
        QFETCH(bool, inPlace);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const cpu::BinaryOp bop = cpu::BinaryOp(op);
        const int stride = strided ? n + 3 : n;
        const int first = strided ? 5 : 0;
        const size_t total = size_t(first) + size_t(nTok - 1) * stride + n;
        const uint32_t seed = uint32_t(op * 1000 + nTok * 31 + n);
        const std::vector<float> a = nonZero(total, 0.01f, 4.0f, seed);
        const std::vector<float> b = nonZero(total, 0.01f, 4.0f, seed + 1);
        const std::vector<float> s = nonZero(3, 0.1f, 2.0f, seed + 2);  // the scalar is s[2]
        std::vector<float> ref(total, -777.0f);
        if (inPlace) ref = a;
        for (int t = 0; t < nTok; ++t) {
            const size_t r = size_t(first) + size_t(t) * stride;
            cpu::binary(bop, &a[r], &b[r], s[2], &ref[r], n);
        }

        auto ba = makeBuffer(*dev, a, "a");
        auto bb = makeBuffer(*dev, b, "b");
        auto bs = makeBuffer(*dev, s, "scalar");
        auto bo = makeBuffer(*dev, std::vector<float>(total, -777.0f), "out");
        QVERIFY(ba && bb && bs && bo);
        vk::BinaryArgs args;
        args.op = bop;
        args.a = ba->whole();
        args.b = bb->whole();
        args.scalar = bs->whole();
        args.scalarFirst = 2;
        args.out = inPlace ? ba->whole() : bo->whole();
        args.nTok = uint32_t(nTok);
        args.n = uint32_t(n);
        args.aFirst = args.bFirst = args.outFirst = uint32_t(first);
        args.aStride = args.bStride = args.outStride = uint32_t(stride);
        QVERIFY(run(*dev, [&](vk::Cmd& c) { return vk::dispatchBinary(c, args); }));
        std::vector<float> got;
        QVERIFY(download(*dev, inPlace ? *ba : *bo, got));
        QCOMPARE(got.size(), ref.size());
        for (size_t i = 0; i < total; ++i)
            if (std::memcmp(&got[i], &ref[i], 4) != 0)
                QFAIL(qPrintable(
                    QString("index %1: ref %2, got %3").arg(i).arg(ref[i], 0, 'g', 9).arg(got[i], 0, 'g', 9)));
    }

    void gegluMatchesCpuTwin_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("n");
        QTest::addColumn<bool>("fusedGateUp");  // g and u are the halves of one [nTok][2n] buffer
        QTest::addColumn<bool>("inPlace");      // out overwrites g
        for (const auto& s : {std::pair{1, 6144}, std::pair{3, 257}, std::pair{17, 704}})
            for (bool fused : {false, true})
                QTest::addRow("%dx%d%s", s.first, s.second, fused ? " fused gate_up, in place" : "")
                    << s.first << s.second << fused << fused;
    }

    void gegluMatchesCpuTwin() {
        QFETCH(int, nTok);
        QFETCH(int, n);
        QFETCH(bool, fusedGateUp);
        QFETCH(bool, inPlace);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const uint32_t seed = uint32_t(nTok * 17 + n);
        // Fused: row t is [g(n) | u(n)]; separate: two [nTok][n] buffers.
        const std::vector<float> gu = nonZero(size_t(nTok) * 2 * n, 0.01f, 4.0f, seed);
        const std::vector<float> u2 = nonZero(size_t(nTok) * n, 0.01f, 2.0f, seed + 1);
        std::vector<float> ref(size_t(nTok) * n);
        std::vector<size_t> index;
        for (int t = 0; t < nTok; ++t) {
            const float* g = fusedGateUp ? &gu[size_t(t) * 2 * n] : &gu[size_t(t) * n];
            const float* u = fusedGateUp ? g + n : &u2[size_t(t) * n];
            cpu::geglu(g, u, &ref[size_t(t) * n], n);
        }

        auto bg = makeBuffer(*dev, gu, "gate_up");
        auto bu = makeBuffer(*dev, u2, "up");
        auto bo = makeBuffer(*dev, std::vector<float>(size_t(nTok) * n, -777.0f), "out");
        QVERIFY(bg && bu && bo);
        vk::GegluArgs a;
        a.nTok = uint32_t(nTok);
        a.n = uint32_t(n);
        a.g = bg->whole();
        if (fusedGateUp) {
            a.u = bg->whole();
            a.uFirst = uint32_t(n);
            a.gStride = a.uStride = uint32_t(2 * n);
        } else {
            a.u = bu->whole();
        }
        a.out = inPlace ? bg->whole() : bo->whole();
        a.outStride = inPlace ? a.gStride : 0;
        QVERIFY(run(*dev, [&](vk::Cmd& c) { return vk::dispatchGeglu(c, a); }));
        std::vector<float> got, flat(size_t(nTok) * n);
        QVERIFY(download(*dev, inPlace ? *bg : *bo, got));
        const int oStride = inPlace ? 2 * n : n;
        for (int t = 0; t < nTok; ++t)
            for (int i = 0; i < n; ++i) flat[size_t(t) * n + i] = got[size_t(t) * oStride + i];
        const Comparison c = compareFloats(ref, flat, kGegluMaxAbs);
        FACET_VERIFY_COMPARISON(c, kGegluMaxNmse);
        if (inPlace)  // the u halves are untouched
            for (int t = 0; t < nTok; ++t)
                for (int i = n; i < 2 * n; ++i) QCOMPARE(got[size_t(t) * 2 * n + i], gu[size_t(t) * 2 * n + i]);
    }

    void gegluSaturatesWithoutNan() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const std::vector<float> g = {-1e30f, -200.0f, -30.0f, 30.0f, 200.0f, 1e30f, 1e-30f, -1e-30f};
        const std::vector<float> u(g.size(), 1.0f);
        auto bg = makeBuffer(*dev, g, "g");
        auto bu = makeBuffer(*dev, u, "u");
        auto bo = makeBuffer(*dev, nullptr, g.size() * 4, "out");
        QVERIFY(bg && bu && bo);
        vk::GegluArgs a;
        a.g = bg->whole();
        a.u = bu->whole();
        a.out = bo->whole();
        a.nTok = 1;
        a.n = uint32_t(g.size());
        QVERIFY(run(*dev, [&](vk::Cmd& c) { return vk::dispatchGeglu(c, a); }));
        std::vector<float> got;
        QVERIFY(download(*dev, *bo, got));
        for (size_t i = 0; i < g.size(); ++i) {
            const float ref = cpu::geluTanh(g[i]);
            QVERIFY2(std::isfinite(got[i]) && std::abs(got[i] - ref) <= 1e-6f * std::abs(ref) + 1e-30f,
                     qPrintable(QString("gelu(%1): ref %2, got %3").arg(g[i]).arg(ref).arg(got[i])));
        }
    }

    void refusesBadArguments() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto b = makeBuffer(*dev, std::vector<float>(100, 1.0f), "small");
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(b && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::BinaryArgs a;
        a.op = cpu::BinaryOp::Scale;
        a.a = a.out = b->whole();
        a.nTok = 2;
        a.n = 50;
        Status st = vk::dispatchBinary(*cmd.value(), a);  // no scalar buffer
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("scale: no scalar buffer"), st.message().c_str());
        a.op = cpu::BinaryOp::Add;
        a.b = b->whole();
        a.n = 51;  // 102 floats > 100
        st = vk::dispatchBinary(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("add: a needs 408 bytes"), st.message().c_str());
        vk::GegluArgs g;
        g.g = g.u = g.out = b->whole();
        g.nTok = 1;
        g.n = 60;
        g.uFirst = 60;  // u past the end
        st = vk::dispatchGeglu(*cmd.value(), g);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("geglu: u needs 480 bytes"), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkBinary)
#include "tst_vk_binary.moc"
