// mat_vec.comp against its CPU twin facet::cpu::matmul (house style rule 8):
// every weight type, random non-zero weights quantized with quantizeRow and
// random non-zero inputs, odd shapes, 1..8 vectors, row ranges not starting
// at 0, accumulate mode, subgroup and shared-memory reductions, weights split
// into row windows, workgroup shapes other than the device default (invocations,
// rows, unrolled groups, with rows whose groups are no multiple of the unroll),
// and both layouts: mat_vec.comp (groups) and mat_vec_lanes.comp (lanes, the
// CPU-device default, taken wherever every vector of x starts on 16 bytes;
// xGap 3, or float rows of odd width with several vectors, fall back to groups). Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_fixture.h"
#include "support/vk_op_test.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"
#include "vulkan/vk_upload.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// Bounds. The lanes shaders dequantize bit-exactly (dequant.glsl;
// tst_vk_get_rows checks it); the groups shader keeps quantized weights in
// their affine form (scale · Σ q·x + offset · Σ x per run of 4), which adds
// ~3 roundings per run of values of the same size. So the only difference
// from cpu::matmul (double accumulation, one rounding at the end) is fp32
// summation order: each invocation adds
// <= 1541/(8·64) + 1 = 4 groups of 8 products (dot() of vec4s, then a sum),
// then a reduction of depth <= 6 (64 invocations; subgroupAdd + subgroup
// partials are no deeper), ~k = 20 roundings of relative size u = 2^-24 on
// the way. Rounding errors are independent, so |gpu - ref| ≈ sqrt(k)·u·
// sqrt(Σ(w·x)²), and with random signs Σ(w·x)² ≈ |ref|² on average: NMSE ≈
// k·u² ≈ 20·3.6e-15 = 7e-14. The lanes layout adds a row's <= 193 groups one
// after another (no tree): k ≈ 200, NMSE ≈ 7e-13.
// kMaxNmse = 1e-10 leaves two orders of margin
// while a single wrong weight (error ≈ |w·x| ≈ 0.1 of a row sum of ~40
// terms) would give NMSE ≥ ~1e-4. Elementwise, the worst case is k·u·Σ|w·x|
// with |w|,|x| <= 1 over <= 1541 columns: 20·6e-8·1541 ≈ 1.8e-3; the observed
// and expected error is ~sqrt(k)·u·|y| ≈ 1e-5, so kMaxAbs = 1e-3.
constexpr double kMaxNmse = 1e-10;
constexpr double kMaxAbs = 1e-3;

}  // namespace

class TstVkMatVec : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<vk::Instance> instance_;
    // One device per (subgroups, binding limit), built on first use:
    // pipelines compile per device, slowly on llvmpipe.
    std::map<std::pair<bool, quint64>, std::unique_ptr<vk::Device>> devices_;

    vk::Device* device(bool subgroups, quint64 maxBindingBytes) {
        auto& d = devices_[{subgroups, maxBindingBytes}];
        if (!d) {
            vk::DeviceOptions o = plainOptions();
            o.noSubgroups = !subgroups;
            o.maxBindingBytes = maxBindingBytes;
            auto r = vk::Device::create(*instance_, o);
            if (!r.ok()) qWarning("%s", r.message().c_str());
            if (r.ok()) d = std::move(r).value();
        }
        return d.get();
    }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer (see the warning above)");
        QVERIFY2(device(true, 0), "no Vulkan device: these tests need one (lavapipe: mesa-vulkan-drivers)");
    }

    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

    void cleanupTestCase() {
        devices_.clear();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void matchesCpuTwin_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");  // columns: matVecTestCols(type, blocks), 0 = 1536
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("rowBegin");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<bool>("accumulate");
        QTest::addColumn<quint64>("maxBindingBytes");  // 0 = device limit; else rows are chosen to split
        QTest::addColumn<int>("lead");                 // byte offset of the tensor in its buffer
        // wg, rows, unroll, layout (0 default, 1 groups, 2 lanes, 3 blocks); zeros = the device default;
        // a fifth 1: no rows after the range, the weight buffer ends with them
        QTest::addColumn<QList<int>>("shape");
        QTest::addColumn<int>("xGap");                 // floats between vectors: 4 keeps them 16-byte aligned (vec4 loads)
        const QList<int> dflt{0, 0, 0, 0};

        for (GgmlType t : kShaderTypes) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s 1x1blk t1 subgroup", n)
                << t << 1 << 1 << 1 << 0 << true << false << quint64(0) << 0 << dflt << 4;
            QTest::addRow("%s 7x3blk t3 rows 5.. shared, lead 6", n)
                << t << 7 << 3 << 3 << 5 << false << false << quint64(0) << 6 << dflt << 3;
            QTest::addRow("%s 65x1536 t8 rows 3.. subgroup accumulate", n)
                << t << 65 << 0 << 8 << 3 << true << true << quint64(0) << 0 << dflt << 4;
            QTest::addRow("%s 257x1536 t1 shared", n)
                << t << 257 << 0 << 1 << 0 << false << false << quint64(0) << 0 << dflt << 4;
            QTest::addRow("%s split into 4 KiB bindings t3 rows 1.. subgroup accumulate, lead 2", n)
                << t << 0 << (typeInfo(t).blockElems == 256 ? 1 : 3) << 3 << 1 << true << true << quint64(4096) << 2
                << dflt << 3;
            QTest::addRow("%s 7x3blk t2 wg 32, 4 rows, unroll 4, subgroup", n)
                << t << 7 << 3 << 2 << 1 << true << false << quint64(0) << 0 << QList<int>{32, 4, 4, 1} << 4;
            QTest::addRow("%s 131x1536 t1 wg 128, 1 row, unroll 2, shared accumulate", n)
                << t << 131 << 0 << 1 << 0 << false << true << quint64(0) << 0 << QList<int>{128, 1, 2, 1} << 3;
            QTest::addRow("%s 65x1536 t8 groups, subgroup", n)
                << t << 65 << 0 << 8 << 3 << true << false << quint64(0) << 0 << QList<int>{0, 0, 0, 1} << 4;
            QTest::addRow("%s 65x1536 t8 rows 3.. blocks, subgroup accumulate", n)
                << t << 65 << 0 << 8 << 3 << true << true << quint64(0) << 0 << QList<int>{0, 0, 0, 3} << 4;
            QTest::addRow("%s 7x3blk t3 rows 5.. blocks wg 32, 1 row, shared, lead 6", n)
                << t << 7 << 3 << 3 << 5 << false << false << quint64(0) << 6 << QList<int>{32, 1, 0, 3} << 3;
            QTest::addRow("%s split into 4 KiB bindings t2 blocks, lead 2", n)
                << t << 0 << (typeInfo(t).blockElems == 256 ? 1 : 3) << 2 << 1 << true << false << quint64(4096) << 2
                << QList<int>{0, 0, 0, 3} << 4;
            QTest::addRow("%s 9x3blk t1 blocks asked, no word after the rows: groups", n)
                << t << 9 << 3 << 1 << 0 << true << false << quint64(0) << 0 << QList<int>{0, 0, 0, 3, 1} << 4;
            QTest::addRow("%s 7x3blk t3 lanes wg 8, 3 rows, lead 6", n)
                << t << 7 << 3 << 3 << 5 << false << false << quint64(0) << 6 << QList<int>{8, 3, 0, 2} << 4;
            QTest::addRow("%s 131x1536 t1 lanes wg 64, 1 row, accumulate", n)
                << t << 131 << 0 << 1 << 0 << true << true << quint64(0) << 0 << QList<int>{64, 1, 0, 2} << 4;
            QTest::addRow("%s split into 4 KiB views t2 lanes, accumulate, lead 2", n)
                << t << 0 << (typeInfo(t).blockElems == 256 ? 1 : 3) << 2 << 1 << false << true << quint64(4096) << 2
                << QList<int>{0, 0, 0, 2} << 4;
            QTest::addRow("%s 7x3blk t2 lanes asked, x off 16 bytes: groups", n)
                << t << 7 << 3 << 2 << 0 << true << false << quint64(0) << 0 << QList<int>{0, 0, 0, 2} << 3;
            QTest::addRow("%s 9x3blk t1 lanes asked, no word after the rows: groups", n)
                << t << 9 << 3 << 1 << 0 << true << false << quint64(0) << 0 << QList<int>{0, 0, 0, 2, 1} << 4;
            if (vk::matVecCanInterleave(t, 256) && t != GgmlType::Q6_K) {  // 16-byte texels (mat_vec_lanes_q4_0.comp, _q8_0.comp
                                                     // and _q4_k.comp): 256-value groups, aligned rows
                QTest::addRow("%s 37x16blk t5 lanes x16, rows 16.., 3 rows, accumulate", n)
                    << t << 37 << 16 << 5 << 16 << false << true << quint64(0) << 0 << QList<int>{16, 3, 0, 2} << 4;
                QTest::addRow("%s 9x8blk t1 lanes x16, no word after the rows", n)
                    << t << 9 << 8 << 1 << 0 << true << false << quint64(0) << 0 << QList<int>{0, 0, 0, 2, 1} << 4;
                QTest::addRow("%s split into 4 KiB views t2 lanes x16", n)
                    << t << 0 << int(256 / typeInfo(t).blockElems) << 2 << 0 << true << false << quint64(4096) << 0
                    << QList<int>{0, 0, 0, 2} << 4;
            }
        }
    }

    void matchesCpuTwin() {
        QFETCH(GgmlType, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        QFETCH(int, nTok);
        QFETCH(int, rowBegin);
        QFETCH(bool, subgroups);
        QFETCH(bool, accumulate);
        QFETCH(quint64, maxBindingBytes);
        QFETCH(int, lead);
        QFETCH(QList<int>, shape);
        QFETCH(int, xGap);

        vk::Device* dev = device(subgroups, maxBindingBytes);
        QVERIFY(dev);
        QCOMPARE(dev->caps().subgroupReduce(), subgroups);  // the path under test is the one used

        const int cols = matVecTestCols(type, blocks);
        const uint64_t rb = rowBytes(type, cols);
        QVERIFY(rb > 0);
        if (maxBindingBytes) rows = int(2 * (maxBindingBytes / rb) + 7);  // three windows at least
        const bool tight = shape.size() > 4 && shape[4] == 1;
        const int totalRows = rowBegin + rows + (tight ? 0 : 2);  // rows after the range are never read into y

        // Weights: random non-zero floats, quantized row by row.
        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols);
        const std::vector<float> wf = nonZero(size_t(totalRows) * cols, 0.05f, 1.0f, seed);
        const size_t wBytes = size_t(totalRows) * rb;
        std::vector<uint8_t> wq((lead + wBytes + 3) / 4 * 4, 0);  // padded to a whole word (shader reads words)
        for (int r = 0; r < totalRows; ++r)
            quantizeRow(type, wf.data() + size_t(r) * cols, wq.data() + lead + size_t(r) * rb, cols);

        const int xStride = cols + xGap, yStride = rows + 5;  // gaps between vectors
        const std::vector<float> x = nonZero(size_t(nTok) * xStride, 0.05f, 1.0f, seed + 1);
        const std::vector<float> y0 = nonZero(size_t(nTok) * yStride, 0.05f, 1.0f, seed + 2);

        TensorView W;
        W.name = "w";
        W.type = type;
        W.ne = {cols, totalRows, 1, 1};
        W.nDims = 2;
        W.data = wq.data() + lead;
        W.nbytes = wBytes;
        std::vector<float> ref(size_t(nTok) * yStride);
        cpu::matmul(W, rowBegin, rowBegin + rows, x.data(), nTok, xStride, ref.data(), yStride);
        if (accumulate)
            for (int t = 0; t < nTok; ++t)
                for (int r = 0; r < rows; ++r) ref[size_t(t) * yStride + r] += y0[size_t(t) * yStride + r];

        auto bw = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, wq.size(), "w");
        auto bx = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, x.size() * 4, "x");
        auto by = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, y0.size() * 4, "y");
        QVERIFY(bw.ok() && bx.ok() && by.ok());
        vk::UploaderOptions uo;
        uo.forceStaging = true;  // the copy path, as on a discrete GPU
        auto up = vk::Uploader::create(*dev, uo);
        QVERIFY(up.ok());
        const vk::UploadItem items[] = {{bw.value()->whole(), wq.data(), wq.size()},
                                        {bx.value()->whole(), x.data(), x.size() * 4},
                                        {by.value()->whole(), y0.data(), y0.size() * 4}};
        Status st = up.value()->upload(items);
        QVERIFY2(st.ok(), st.message().c_str());

        vk::MatVecArgs a;
        a.weight = bw.value()->slice(lead, wBytes);
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = uint32_t(rowBegin);
        a.rowEnd = uint32_t(rowBegin + rows);
        a.x = bx.value()->whole();
        a.y = by.value()->whole();
        a.xStride = uint32_t(xStride);
        a.yStride = uint32_t(yStride);
        a.nTok = uint32_t(nTok);
        a.accumulate = accumulate;
        a.shape = {uint32_t(shape[0]), uint32_t(shape[1]), uint32_t(shape[2]), vk::MatVecLayout(shape[3])};

        auto cmd = vk::Cmd::create(*dev, "mat_vec test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        st = vk::dispatchMatVec(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (maxBindingBytes) QVERIFY(cmd.value()->dispatches() > 2);  // really split
        // The layout under test is the one used: lanes where asked (or by
        // default on a CPU device) and x is 16-byte aligned.
        const bool cpuDefault = dev->caps().type == vk::DeviceType::Cpu && dev->caps().texelBuffers;
        const bool xAligned = xGap % 4 == 0 && (nTok == 1 || xStride % 4 == 0);
        // (and the weight buffer holds a word past the rows: DeviceWeights leaves one)
        const size_t rangeEnd = (lead + size_t(rowBegin + rows) * rb + 3) / 4 * 4;
        const bool wordPast = rangeEnd + 4 <= wq.size();
        // Q4_0, Q8_0, Q4_K and Q5_K rows of 256-value groups from a 16-byte start read
        // 16-byte texels and nothing past their rows.
        const bool x16 = vk::matVecCanInterleave(type, cols) && type != GgmlType::Q6_K &&  // (Q6_K: tiled only)
                         (lead + size_t(rowBegin) * rb) % 16 == 0;
        const bool wantLanes =
            (shape[3] == 2 || (shape[3] == 0 && cpuDefault)) && xAligned && (wordPast || x16);
        QCOMPARE(wordPast, !tight);
        QVERIFY(cmd.value()->bound());
        const QString used = QString::fromStdString(cmd.value()->bound()->name());
        QCOMPARE(used.startsWith("mat_vec_lanes_"), wantLanes);
        QCOMPARE(used == "mat_vec_lanes_" + QString(typeInfo(type).name).toLower() + "_x16", wantLanes && x16);
        // Blocks where asked for a quantized type and a word follows the rows.
        QCOMPARE(used.contains("_blocks"), shape[3] == 3 && !isFloatType(type) && wordPast);
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got(y0.size());
        st = up.value()->download(by.value()->whole(), got.data(), got.size() * 4);
        QVERIFY2(st.ok(), st.message().c_str());

        double num = 0, den = 0, maxAbs = 0;
        QString firstBad;
        for (int t = 0; t < nTok; ++t) {
            for (int r = 0; r < rows; ++r) {
                const double e = ref[size_t(t) * yStride + r], g = got[size_t(t) * yStride + r];
                const double d = std::abs(e - g);
                num += d * d;
                den += e * e;
                maxAbs = std::max(maxAbs, d);
                if (!(d <= kMaxAbs) && firstBad.isEmpty())
                    firstBad = QString("token %1 row %2: ref %3, got %4").arg(t).arg(r).arg(e, 0, 'g', 9).arg(g, 0, 'g', 9);
            }
            for (int r = rows; r < yStride && t + 1 < nTok; ++r)  // gaps untouched
                QCOMPARE(got[size_t(t) * yStride + r], y0[size_t(t) * yStride + r]);
        }
        const double nmse = den > 0 ? num / den : 0;
        qInfo("%d x %d, %d vectors: NMSE %.3g, max abs %.3g, %u dispatch(es)", rows, cols, nTok, nmse, maxAbs,
              cmd.value()->dispatches());
        QVERIFY2(firstBad.isEmpty(), qPrintable(firstBad));
        QVERIFY2(nmse <= kMaxNmse, qPrintable(QString("NMSE %1 > %2").arg(nmse).arg(kMaxNmse)));
    }

    void refusesBadArguments_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("weightBytes");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QList<int>>("shape");
        const QList<int> dflt{0, 0, 0, 0};
        QTest::newRow("unsupported type") << GgmlType::Q8_1 << 32 << 1 << 4096 << "has no shader" << dflt;
        QTest::newRow("columns not whole blocks") << GgmlType::Q4_0 << 40 << 1 << 4096 << "not a multiple" << dflt;
        QTest::newRow("too many vectors") << GgmlType::Q4_0 << 32 << 9 << 4096 << "expected 1..8" << dflt;
        QTest::newRow("weight too small") << GgmlType::Q6_K << 256 << 1 << 800 << "weight needs 840 bytes" << dflt;
        QTest::newRow("workgroup not a power of two")
            << GgmlType::Q4_0 << 32 << 1 << 4096 << "does not fit" << QList<int>{48, 2, 1, 1};
        QTest::newRow("unroll too large")
            << GgmlType::Q4_0 << 32 << 1 << 4096 << "unroll <= 8" << QList<int>{64, 2, 16, 1};
        QTest::newRow("lanes: too many rows") << GgmlType::Q4_0 << 32 << 1 << 4096 << "rows <= 8" << QList<int>{32, 9, 0, 2};
        QTest::newRow("lanes: unroll") << GgmlType::Q4_0 << 32 << 1 << 4096 << "unroll 1" << QList<int>{32, 2, 2, 2};
    }

    void refusesBadArguments() {
        QFETCH(GgmlType, type);
        QFETCH(int, cols);
        QFETCH(int, nTok);
        QFETCH(int, weightBytes);
        QFETCH(QString, error);
        QFETCH(QList<int>, shape);
        vk::Device* dev = device(true, 0);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, size_t(weightBytes), 65536, b));
        vk::MatVecArgs a;
        a.weight = b.w->whole();
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = 2;
        a.rowEnd = 4;
        a.x = b.x->whole();
        a.y = b.y->whole();
        a.nTok = uint32_t(nTok);
        a.shape = {uint32_t(shape[0]), uint32_t(shape[1]), uint32_t(shape[2]), vk::MatVecLayout(shape[3])};
        const Status st = vk::dispatchMatVec(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        QVERIFY(b.cmd->end().ok());
    }

    // FACET_VK_MATVEC_SHAPE reaches products that choose no shape (a shape
    // the device cannot run is refused with its numbers); a product's own
    // shape still wins.
    void takesShapeOverrideFromEnv() {
        ScopedEnv env("FACET_VK_MATVEC_SHAPE", "48x2x1");  // not a power of two
        vk::DeviceOptions o;  // with the environment
        o.noTexelBuffers = true;  // the groups layout, whatever the device
        auto dev = makeDevice(*instance_, o);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 4096, 4096, b));
        auto a = scratchArgs<vk::MatVecArgs>(b, 32, 8);
        const Status st = vk::dispatchMatVec(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("shape 48 invocations"), st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        a.shape = {32, 2, 1, vk::MatVecLayout::Groups};
        QVERIFY(vk::dispatchMatVec(*b.cmd, a).ok());
        QCOMPARE(b.cmd->dispatches(), 1u);
        QVERIFY(b.cmd->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkMatVec)
#include "tst_vk_mat_vec.moc"
