// mat_vec_dot.comp (the int8 dot-product decode GEMV) and quantize_act.comp:
//  - quantize_act bit for bit against its CPU twin here (quants, scales, sums);
//  - the GEMV against the same quantized activations computed on the CPU, where
//    only fp32 rounding of per-block terms and their sum may differ (exact for
//    one-block rows), and against facet::cpu::matmul on the float input, where
//    the activations' 8-bit rounding adds a bounded error;
//  - Q4_0 and Q8_0, 1/2/3/5/8 vectors, 32..6144 columns, row counts not a multiple
//    of the rows per workgroup, row ranges not at 0, subgroup and shared-memory
//    reductions, weights split into row windows, quantization in the same call
//    or shared from a separate dispatch; refusals (no integer dot product,
//    other types, bad sizes). Validation layer (with synchronization) on.
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "cpu/ops.h"
#include "model/ggml_type.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/mat_vec_dot_twin.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/mat_vec_dot_op.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// Bounds against cpu::matmul (float x). Quantizing x to q·d per block of 32
// with d = max|x|/127 leaves e = x - q·d, |e| <= d/2, close to uniform: the
// product's error Σ w·e has variance Σ w²·d²/12. Inputs here are ±[0.05, 1]
// (so d <= 1/127; E[w²] ≈ E[x²] ≈ 0.35), which gives
//   NMSE ≈ (cols·0.35·d²/12) / (cols·0.35·0.35) = d²/4.2 ≈ 1.5e-5,
// independent of cols; kMaxNmse = 1e-4 leaves ~7x, while a wrong block per row
// (|error| ~ |y|·sqrt(32/cols)) would give >= 5e-3 at 6144 columns.
// Per element, 6σ: 6·sqrt(cols·0.35/12)/127 ≈ sqrt(cols)/122 (sqrt(cols)/100 used).
// fp32 rounding (~1e-7 relative) is far below both.
constexpr double kMaxNmse = 1e-4;
double maxAbsBound(int cols) { return std::sqrt(double(cols)) / 100.0; }

}  // namespace

class TstVkMatVecDot : public VkOpTestCase {
    Q_OBJECT

private slots:
    void lavapipeHasIntegerDot() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        // These tests need the shader path; lavapipe (Mesa >= 22) reports the feature.
        QVERIFY2(dev->caps().integerDotProduct, "the test device has no shaderIntegerDotProduct");
        QVERIFY(vk::matVecDotSupports(dev->caps(), GgmlType::Q4_0, 4096));
        QVERIFY(vk::matVecDotSupports(dev->caps(), GgmlType::Q8_0, 32));
        QVERIFY(!vk::matVecDotSupports(dev->caps(), GgmlType::Q4_K, 4096));
        QVERIFY(!vk::matVecDotSupports(dev->caps(), GgmlType::Q4_0, 48));
    }

    void matchesCpu_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("rowBegin");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<quint64>("maxBindingBytes");  // 0 = device limit; else rows are chosen to split
        QTest::addColumn<int>("lead");                 // byte offset of the tensor in its buffer (even)
        QTest::addColumn<QList<int>>("shape");         // wg, rows per workgroup; zeros = the default
        QTest::addColumn<bool>("separate");            // quantize in its own dispatch, x empty in the args
        const QList<int> dflt{0, 0};
        for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q8_0}) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s 37x256 t1 subgroup", n) << t << 37 << 256 << 1 << 0 << true << quint64(0) << 0 << dflt
                                                      << false;
            QTest::addRow("%s 9x32 t3 one block: exact", n)
                << t << 9 << 32 << 3 << 2 << true << quint64(0) << 2 << dflt << false;
            QTest::addRow("%s 101x1536 t2 rows 5.. shared, lead 6, separate: block pairs and a tail", n)
                << t << 101 << 1536 << 2 << 5 << false << quint64(0) << 6 << dflt << true;
            QTest::addRow("%s 19x6144 t8 subgroup", n)
                << t << 19 << 6144 << 8 << 0 << true << quint64(0) << 0 << dflt << false;
            QTest::addRow("%s 23x4096 t5 wg 128, 3 rows, shared", n)
                << t << 23 << 4096 << 5 << 1 << false << quint64(0) << 2 << QList<int>{128, 3} << false;
            QTest::addRow("%s 30x2048 t1 wg 32, 4 rows, subgroup", n)
                << t << 30 << 2048 << 1 << 3 << true << quint64(0) << 0 << QList<int>{32, 4} << true;
            QTest::addRow("%s 11x1024 t3 wg 8, 4 rows, shared: more sums than invocations", n)
                << t << 11 << 1024 << 3 << 0 << false << quint64(0) << 0 << QList<int>{8, 4} << false;
            QTest::addRow("%s 13x4096 t3 wg 8, 1 row, subgroup", n)
                << t << 13 << 4096 << 3 << 0 << true << quint64(0) << 0 << QList<int>{8, 1} << false;
            QTest::addRow("%s split into 4 KiB bindings t3 rows 1.., lead 2", n)
                << t << 0 << 256 << 3 << 1 << true << quint64(4096) << 2 << dflt << false;
        }
    }

    void matchesCpu() {
        QFETCH(GgmlType, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, nTok);
        QFETCH(int, rowBegin);
        QFETCH(bool, subgroups);
        QFETCH(quint64, maxBindingBytes);
        QFETCH(int, lead);
        QFETCH(QList<int>, shape);
        QFETCH(bool, separate);

        vk::Device* dev = bench_.device(subgroups, maxBindingBytes);
        QVERIFY(dev);
        QCOMPARE(dev->caps().subgroupReduce(), subgroups);
        const uint64_t rb = rowBytes(type, cols);
        if (maxBindingBytes) rows = int(2 * (maxBindingBytes / rb) + 7);  // three windows at least
        const int totalRows = rowBegin + rows + 1;

        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols + nTok);
        const std::vector<float> wf = nonZero(size_t(totalRows) * cols, 0.05f, 1.0f, seed);
        std::vector<uint8_t> wq((lead + totalRows * rb + 3) / 4 * 4, 0);
        for (int r = 0; r < totalRows; ++r)
            quantizeRow(type, wf.data() + size_t(r) * cols, wq.data() + lead + r * rb, cols);
        const int xStride = cols + 3, yStride = rows + 5;
        const std::vector<float> x = nonZero(size_t(nTok) * xStride, 0.05f, 1.0f, seed + 1);
        const std::vector<float> y0 = nonZero(size_t(nTok) * yStride, 0.05f, 1.0f, seed + 2);
        const size_t scratchAt = 32;  // a scratch not at its buffer's start
        const size_t scratchBytes = vk::quantizedActivationBytes(uint32_t(cols), uint32_t(nTok));

        auto bw = makeBuffer(*dev, wq, "w");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, y0, "y");
        auto bs = makeBuffer(*dev, nullptr, scratchAt + scratchBytes, "quantized x");
        QVERIFY(bw && bx && by && bs);

        vk::MatVecDotArgs a;
        a.weight = bw->slice(lead, totalRows * rb);
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = uint32_t(rowBegin);
        a.rowEnd = uint32_t(rowBegin + rows);
        a.x = bx->whole();
        a.y = by->whole();
        a.xStride = uint32_t(xStride);
        a.yStride = uint32_t(yStride);
        a.nTok = uint32_t(nTok);
        a.quantized = bs->slice(scratchAt, scratchBytes);
        a.shape = {uint32_t(shape[0]), uint32_t(shape[1])};

        auto cmd = vk::Cmd::create(*dev, "mat_vec_dot test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        Status st;
        if (separate) {
            st = vk::dispatchQuantizeActivations(*cmd.value(), a.x, a.cols, a.nTok, a.xStride, a.quantized);
            QVERIFY2(st.ok(), st.message().c_str());
            cmd.value()->computeBarrier();
            a.x = {};
        }
        st = vk::dispatchMatVecDot(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        const QString want = QString("mat_vec_dot_%1%2").arg(QString(typeInfo(type).name).toLower(),
                                                              subgroups ? "_subgroup" : "");
        QCOMPARE(QString::fromStdString(cmd.value()->bound()->name()), want);
        if (maxBindingBytes) QVERIFY(cmd.value()->dispatches() > 3);  // quantize + 3 windows at least
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got;
        std::vector<uint8_t> scratch;
        QVERIFY(download(*dev, *by, got) && download(*dev, *bs, scratch));

        // 1. The quantization, bit for bit.
        const QuantAct twin = quantizeTwin(x, cols, nTok, xStride);
        const QuantAct gpu = parseScratch(scratch, scratchAt, cols, nTok);
        QVERIFY(twin.q == gpu.q);
        QVERIFY(twin.d == gpu.d);
        QVERIFY(twin.sum == gpu.sum);

        // 2. The product over those quantized activations: per-block terms are
        // formed as the shader does; the n = cols/32 terms are summed in an
        // order of the GPU's choosing, and any order of n terms is within
        // (n - 1)·u·Σ|term| of the exact sum (u = 2^-24); one-block rows exactly.
        const Twin dt = dotTwin(wq.data() + lead, rb, type, cols, rowBegin, rows, twin, nTok);
        const int blocks = cols / 32;
        double worst = 0;
        for (int t = 0; t < nTok; ++t)
            for (int r = 0; r < rows; ++r) {
                const size_t i = size_t(t) * rows + r;
                const float g = got[size_t(t) * yStride + r];
                if (blocks == 1) {
                    QCOMPARE(std::bit_cast<uint32_t>(g), std::bit_cast<uint32_t>(dt.oneTerm[i]));
                    continue;
                }
                const double bound = (blocks - 1) * std::ldexp(1.0, -24) * dt.absSum[i] + 1e-30;
                worst = std::max(worst, std::abs(g - dt.y[i]) / bound);
                if (!(std::abs(g - dt.y[i]) <= bound))
                    QFAIL(qPrintable(QString("token %1 row %2: twin %3, got %4 (fp32 bound %5)")
                                         .arg(t).arg(r).arg(dt.y[i], 0, 'g', 9).arg(g, 0, 'g', 9).arg(bound)));
            }

        // 3. Against the float product (cpu::matmul): the 8-bit activations' error.
        TensorView W;
        W.name = std::string("w");  // (assigning the literal trips GCC 12 -Wrestrict, bug 105329)
        W.type = type;
        W.ne = {cols, totalRows, 1, 1};
        W.nDims = 2;
        W.data = wq.data() + lead;
        W.nbytes = totalRows * rb;
        std::vector<float> ref(y0);
        cpu::matmul(W, rowBegin, rowBegin + rows, x.data(), nTok, xStride, ref.data(), yStride);
        const ProductCheck c = checkProducts(got, y0, ref, {}, nTok, rows, yStride, false, false, maxAbsBound(cols));
        qInfo("%d x %d, %d vectors: NMSE %.3g vs float x, fp32 error <= %.2f of its bound, %u dispatch(es)", rows, cols,
              nTok, c.nmse, worst, cmd.value()->dispatches());
        QVERIFY2(c.firstBad.isEmpty(), qPrintable(c.firstBad));
        QVERIFY2(c.nmse <= kMaxNmse, qPrintable(QString("NMSE %1 > %2").arg(c.nmse).arg(kMaxNmse)));
    }

    // quantize_act at the edges of its integer rounding, bit for bit with the
    // twin: a zero block, exact .5 ties (rounded away from zero), values too
    // small to reach 1/2 step (the shift > 8 path), subnormal blocks, and
    // blocks spanning 2^-140..2^20.
    void quantizesEdgeCases() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const int cols = 160, nTok = 2;
        std::vector<float> x(size_t(nTok) * cols, 0.0f);  // block 0 of token 0: zeros
        const float ties[] = {127.0f, 0.5f, -2.5f, 1.5f, 126.5f, 0.49f, 1e-30f, -1e-30f, -127.0f, 63.5f};
        const int tieQ[] = {127, 1, -3, 2, 127, 0, 0, 0, -127, 64};
        for (int i = 0; i < 10; ++i) x[32 + i] = ties[i];
        for (int i = 0; i < 32; ++i) {
            x[64 + i] = std::ldexp(float(i + 1) * (i % 2 ? -1.0f : 1.0f), -140);  // subnormal
            x[96 + i] = std::ldexp(float(3 * i + 1), -120 - i);                    // crossing into subnormals
            x[128 + i] = std::ldexp(i % 3 ? 1.0f : -1.0f, 20 - 5 * i);              // 2^20 .. 2^-135
        }
        std::mt19937 rng(5);
        std::uniform_int_distribution<int> ex(-140, 20);
        std::uniform_real_distribution<float> m(-1.0f, 1.0f);
        for (int i = cols; i < 2 * cols; ++i) x[i] = std::ldexp(m(rng), ex(rng));
        const size_t bytes = vk::quantizedActivationBytes(cols, nTok);
        auto bx = makeBuffer(*dev, x, "x");
        auto bs = makeBuffer(*dev, nullptr, bytes, "quantized x");
        QVERIFY(bx && bs);
        auto cmd = vk::Cmd::create(*dev, "quantize_act test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        Status st = vk::dispatchQuantizeActivations(*cmd.value(), bx->whole(), cols, nTok, 0, bs->whole());
        QVERIFY2(st.ok(), st.message().c_str());
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<uint8_t> scratch;
        QVERIFY(download(*dev, *bs, scratch));
        const QuantAct gpu = parseScratch(scratch, 0, cols, nTok);
        const QuantAct twin = quantizeTwin(x, cols, nTok, cols);
        for (int i = 0; i < 10; ++i) QCOMPARE(int(twin.q[32 + i]), tieQ[i]);
        QCOMPARE(twin.d[0], 0u);
        for (size_t i = 0; i < twin.q.size(); ++i)
            if (twin.q[i] != gpu.q[i]) QFAIL(qPrintable(QString("q[%1]: twin %2, got %3").arg(i).arg(twin.q[i]).arg(gpu.q[i])));
        QVERIFY(twin.d == gpu.d);
        QVERIFY(twin.sum == gpu.sum);
    }

    void refusesBadArguments_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("scratchOffset");
        QTest::addColumn<int>("scratchBytes");  // 0 = what the shape needs
        QTest::addColumn<QString>("error");
        QTest::newRow("unsupported type") << GgmlType::Q4_K << 256 << 1 << 0 << 0 << "have no shader";
        QTest::newRow("F32 weights") << GgmlType::F32 << 32 << 1 << 0 << 0 << "have no shader";
        QTest::newRow("columns not whole blocks") << GgmlType::Q4_0 << 40 << 1 << 0 << 0 << "not a multiple";
        QTest::newRow("too many vectors") << GgmlType::Q8_0 << 32 << 9 << 0 << 0 << "expected 1..8";
        QTest::newRow("scratch too small") << GgmlType::Q4_0 << 64 << 2 << 0 << 150 << "need 160 bytes";
        QTest::newRow("scratch off 16 bytes") << GgmlType::Q4_0 << 64 << 1 << 8 << 0 << "not on 16 bytes";
    }

    void refusesBadArguments() {
        QFETCH(GgmlType, type);
        QFETCH(int, cols);
        QFETCH(int, nTok);
        QFETCH(int, scratchOffset);
        QFETCH(int, scratchBytes);
        QFETCH(QString, error);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 4096, 65536, b));
        vk::MatVecDotArgs a;
        a.weight = b.w->whole();
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = 2;
        a.rowEnd = 4;
        a.x = b.x->whole();
        a.y = b.y->slice(0, 1024);
        a.nTok = uint32_t(nTok);
        const uint64_t need = vk::quantizedActivationBytes(uint32_t(cols), uint32_t(std::min(nTok, 8)));
        a.quantized = b.y->slice(4096 + scratchOffset, scratchBytes ? scratchBytes : need);
        const Status st = vk::dispatchMatVecDot(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        QVERIFY(b.cmd->end().ok());
    }

    // A device without integer dot products (DeviceOptions::noIntDot, or
    // FACET_VK_NO_INT_DOT=1) does not enable the feature and refuses the op.
    void refusesWithoutIntegerDot() {
        vk::DeviceOptions o = plainOptions();
        o.noIntDot = true;
        auto dev = makeDevice(*bench_.instance(), o);
        QVERIFY(dev);
        QVERIFY(!dev->caps().integerDotProduct);
        QVERIFY(std::find(dev->caps().switchedOff.begin(), dev->caps().switchedOff.end(), "integer dot product") !=
                dev->caps().switchedOff.end());
        QVERIFY(!vk::matVecDotSupports(dev->caps(), GgmlType::Q4_0, 256));
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 4096, 4096, b));
        vk::MatVecDotArgs a;
        a.weight = b.w->whole();
        a.cols = 32;
        a.rowEnd = 4;
        a.x = b.x->whole();
        a.y = b.y->whole();
        a.quantized = b.y->slice(1024, 512);
        const Status st = vk::dispatchMatVecDot(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("no integer dot products"), st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        QVERIFY(b.cmd->end().ok());

        ScopedEnv env("FACET_VK_NO_INT_DOT", "1");
        vk::DeviceOptions withEnv;  // useEnv
        auto merged = withEnv.withEnv();
        QVERIFY(merged.ok() && merged.value().noIntDot);
    }

    // Time on the test device (not asserted: lavapipe emulates the dot
    // products, so only GPU numbers mean anything): the dot GEMV with its
    // quantization against mat_vec over the same Q4_0 weights.
    void timesAgainstMatVec() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const int rows = 512, cols = 4096, reps = 3;
        const uint64_t rb = rowBytes(GgmlType::Q4_0, cols);
        const std::vector<float> wf = nonZero(size_t(rows) * cols, 0.05f, 1.0f, 7);
        std::vector<uint8_t> wq((rows * rb + 3) / 4 * 4 + 4, 0);
        for (int r = 0; r < rows; ++r) quantizeRow(GgmlType::Q4_0, wf.data() + size_t(r) * cols, wq.data() + r * rb, cols);
        const std::vector<float> x = nonZero(cols, 0.05f, 1.0f, 8);
        auto bw = makeBuffer(*dev, wq, "w");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, nullptr, rows * 4, "y");
        auto bs = makeBuffer(*dev, nullptr, vk::quantizedActivationBytes(cols, 1), "quantized x");
        QVERIFY(bw && bx && by && bs);
        double ms[2] = {0, 0};
        for (int which = 0; which < 2; ++which)
            for (int rep = 0; rep <= reps; ++rep) {  // rep 0 compiles the pipelines
                auto cmd = vk::Cmd::create(*dev, "timing");
                QVERIFY(cmd.ok() && cmd.value()->begin().ok());
                Status st;
                if (which == 0) {
                    vk::MatVecDotArgs a;
                    a.weight = bw->whole();
                    a.cols = cols;
                    a.rowEnd = rows;
                    a.x = bx->whole();
                    a.y = by->whole();
                    a.quantized = bs->whole();
                    st = vk::dispatchMatVecDot(*cmd.value(), a);
                } else {
                    vk::MatVecArgs a;
                    a.weight = bw->whole();
                    a.type = GgmlType::Q4_0;
                    a.cols = cols;
                    a.rowEnd = rows;
                    a.x = bx->whole();
                    a.y = by->whole();
                    st = vk::dispatchMatVec(*cmd.value(), a);
                }
                QVERIFY2(st.ok(), st.message().c_str());
                QElapsedTimer timer;
                timer.start();
                st = cmd.value()->submitAndWait();
                QVERIFY2(st.ok(), st.message().c_str());
                if (rep > 0) ms[which] += timer.nsecsElapsed() / 1e6 / reps;
            }
        qInfo("%s, Q4_0 %d x %d, one vector: mat_vec_dot (with quantize) %.2f ms, mat_vec %.2f ms",
              dev->caps().name.c_str(), rows, cols, ms[0], ms[1]);
    }
};

QTEST_GUILESS_MAIN(TstVkMatVecDot)
#include "tst_vk_mat_vec_dot.moc"
