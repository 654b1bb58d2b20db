// The lanes GEMV on row-interleaved weights (MatVecArgs::tileRows, the storage
// DeviceWeights gives Q4_0/Q8_0/Q4_K/Q5_K/Q6_K matrices on CPU devices; row_interleave.h)
// against its CPU twins: facet::cpu::matmul on the same rows stored plainly,
// and cpu::geluTanh(gate) · up in both GLU modes. Random non-zero weights and
// inputs; row counts that leave the last tile partly padding; ranges that
// start inside a tile (rowShift); 1..8 vectors; tile sizes smaller and larger
// than one SIMD batch's rows; a workgroup that is no multiple of the SIMD
// width (lanes then own adjacent rows); weights written through the staging
// copy and the mapped path of the uploader. And the refusals: another layout,
// a type the texel shaders do not read, x off 16 bytes. Validation layer on;
// any message fails.
#include <QtTest>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/row_interleave.h"
#include "vulkan/vk_pipeline.h"
#include "vulkan/vk_upload.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// Bounds: the same products and epilogue as the plain lanes layout, in the
// same summation order (only the addresses differ), so tst_vk_mat_vec's and
// tst_vk_mat_vec_glu's bounds hold: NMSE <= 1e-10 for a product (1e-9 with
// the gelu epilogue), |error| <= 1e-3 per product output (checkProducts).
constexpr double kProductAbs = 1e-3;
constexpr double kMaxNmse = 1e-9;

}  // namespace

class TstVkMatVecTiled : public VkOpTestCase {
    Q_OBJECT

    // Uploads `rows` x rowBytes plain rows at byte `at` of `buf` as their
    // row-interleaved image.
    static Status uploadTiled(vk::Device& dev, const vk::Buffer& buf, uint64_t at, const std::vector<uint8_t>& plain,
                              const vk::RowInterleave& layout, bool staging) {
        vk::UploaderOptions uo;
        uo.forceStaging = staging;
        uo.chunkBytes = 4096 + 40;  // chunks that end inside a texel
        auto up = vk::Uploader::create(dev, uo);
        if (!up.ok()) return up.error();
        vk::UploadItem item{buf.slice(at, layout.imageBytes()), plain.data(), layout.imageBytes(), layout};
        return up.value()->upload(std::span<const vk::UploadItem>(&item, 1));
    }

private slots:
    void matchesCpuTwins_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");  // 256-value blocks per row
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("rowBegin");
        QTest::addColumn<int>("tileRows");
        QTest::addColumn<int>("glu");    // 0 plain, 1 up rows (pair), 2 up values
        QTest::addColumn<bool>("accumulate");
        QTest::addColumn<int>("wg");     // invocations per workgroup, 0 = default
        QTest::addColumn<bool>("staging");
        for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K}) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s 37 rows (padded tile) t1 tile 32", n) << t << 37 << 2 << 1 << 0 << 32 << 0 << false << 0 << true;
            QTest::addRow("%s 100 rows from 5 t5 tile 32 accumulate", n)
                << t << 100 << 1 << 5 << 5 << 32 << 0 << true << 0 << false;
            QTest::addRow("%s 70 rows from 9 t8 tile 8", n) << t << 70 << 3 << 8 << 9 << 8 << 0 << false << 0 << true;
            QTest::addRow("%s 130 rows t2 tile 64 wg 12 (lanes own adjacent rows)", n)
                << t << 130 << 1 << 2 << 0 << 64 << 0 << false << 12 << false;
            QTest::addRow("%s GLU pair 45 rows t3 tile 16", n) << t << 45 << 2 << 3 << 0 << 16 << 1 << false << 0 << true;
            QTest::addRow("%s GLU pair 64 rows from 3 t1 tile 32", n)
                << t << 64 << 1 << 1 << 3 << 32 << 1 << false << 0 << false;
            QTest::addRow("%s GLU values 33 rows from 2 t4 tile 32", n)
                << t << 33 << 2 << 4 << 2 << 32 << 2 << false << 0 << true;
        }
    }

    void matchesCpuTwins() {
        QFETCH(GgmlType, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        QFETCH(int, nTok);
        QFETCH(int, rowBegin);
        QFETCH(int, tileRows);
        QFETCH(int, glu);
        QFETCH(bool, accumulate);
        QFETCH(int, wg);
        QFETCH(bool, staging);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        if (!dev->caps().texelBuffers) QFAIL("the lanes layout needs texel buffers (lavapipe has them)");

        const int cols = 256 * blocks, totalRows = rowBegin + rows;
        const uint64_t rb = rowBytes(type, cols);
        QVERIFY(vk::matVecCanInterleave(type, cols));
        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols + tileRows);
        auto quantized = [&](uint32_t s) {
            const std::vector<float> f = nonZero(size_t(totalRows) * cols, 0.05f, 1.0f, s);
            std::vector<uint8_t> q(size_t(totalRows) * rb);
            for (int r = 0; r < totalRows; ++r) quantizeRow(type, f.data() + size_t(r) * cols, q.data() + r * rb, cols);
            return q;
        };
        const std::vector<uint8_t> gateQ = quantized(seed), upQ = quantized(seed + 1);
        // (Q6_K: blocks padded to 224 bytes)
        const vk::RowInterleave layout = vk::matVecTileLayout(type, cols, totalRows, uint32_t(tileRows));
        const uint64_t image = layout.imageBytes(), upAt = image;  // the up image right after the gate's
        QVERIFY(image >= uint64_t(totalRows) * rb && image % (tileRows * layout.rowBytes) == 0);

        const int xStride = cols + 4, yStride = rows + 3;
        const std::vector<float> x = nonZero(size_t(nTok) * xStride, 0.05f, 1.0f, seed + 2);
        const std::vector<float> y0 = nonZero(size_t(nTok) * yStride, 0.05f, 1.0f, seed + 3);
        const int uStride = rows + 1;
        const std::vector<float> uv = nonZero(size_t(nTok) * uStride, 0.05f, 1.0f, seed + 4);

        auto view = [&](const std::vector<uint8_t>& q) {
            TensorView v;
            v.name.assign(1, 'w');
            v.type = type;
            v.ne = {cols, totalRows, 1, 1};
            v.nDims = 2;
            v.data = q.data();
            v.nbytes = q.size();
            return v;
        };
        std::vector<float> g(size_t(nTok) * yStride), u(size_t(nTok) * yStride);
        cpu::matmul(view(gateQ), rowBegin, rowBegin + rows, x.data(), nTok, xStride, g.data(), yStride);
        if (glu == 1) cpu::matmul(view(upQ), rowBegin, rowBegin + rows, x.data(), nTok, xStride, u.data(), yStride);
        if (glu == 2)
            for (int t = 0; t < nTok; ++t)
                for (int r = 0; r < rows; ++r) u[size_t(t) * yStride + r] = uv[size_t(t) * uStride + r];

        auto bw = makeBuffer(*dev, nullptr, 2 * image + 4, "tiled weights");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, y0, "y");
        auto bu = makeBuffer(*dev, uv, "u");
        QVERIFY(bw && bx && by && bu);
        Status st = uploadTiled(*dev, *bw, 0, gateQ, layout, staging);
        QVERIFY2(st.ok(), st.message().c_str());
        st = uploadTiled(*dev, *bw, upAt, upQ, layout, staging);
        QVERIFY2(st.ok(), st.message().c_str());

        vk::MatVecArgs a;
        a.weight = bw->slice(0, image);
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = uint32_t(rowBegin);
        a.rowEnd = uint32_t(totalRows);
        a.x = bx->whole();
        a.y = by->whole();
        a.xStride = uint32_t(xStride);
        a.yStride = uint32_t(yStride);
        a.nTok = uint32_t(nTok);
        a.accumulate = accumulate;
        a.tileRows = uint32_t(tileRows);
        a.shape = {uint32_t(wg), 0, 0, vk::MatVecLayout::Lanes};
        if (glu == 1) a.pair = bw->slice(upAt, image);
        if (glu == 2) {
            a.upValues = bu->whole();
            a.upStride = uint32_t(uStride);
        }
        if (glu == 1) QVERIFY(vk::matVecCanPair(dev->caps(), a));

        auto cmd = vk::Cmd::create(*dev, "tiled mat_vec test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        st = vk::dispatchMatVec(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        QVERIFY(cmd.value()->bound());
        QCOMPARE(QString::fromStdString(cmd.value()->bound()->name()),
                 "mat_vec_lanes_" + QString(typeInfo(type).name).toLower() + "_x16");
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> got;
        QVERIFY(download(*dev, *by, got));

        const ProductCheck c = checkProducts(got, y0, g, u, nTok, rows, yStride, glu != 0, accumulate, kProductAbs);
        qInfo("%d x %d from row %d, tiles of %d, %d vectors: NMSE %.3g, worst error %.3g of its bound", rows, cols,
              rowBegin, tileRows, nTok, c.nmse, c.worst);
        QVERIFY2(c.firstBad.isEmpty(), qPrintable(c.firstBad));
        QVERIFY2(c.nmse <= kMaxNmse, qPrintable(QString("NMSE %1 > %2").arg(c.nmse).arg(kMaxNmse)));
    }

    void refusesWhatCannotReadTiles_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("error");
        QTest::newRow("groups layout") << "groups" << "lanes layout only";
        QTest::newRow("Q5_0 rows") << "q5_0" << "cannot be row-interleaved";
        QTest::newRow("x off 16 bytes") << "x" << "x on 16 bytes";
    }

    void refusesWhatCannotReadTiles() {
        QFETCH(QString, what);
        QFETCH(QString, error);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 64 * 1024, 16 * 1024, b));
        auto a = scratchArgs<vk::MatVecArgs>(b, 256, 32);
        a.type = what == "q5_0" ? GgmlType::Q5_0 : GgmlType::Q4_0;
        a.tileRows = 32;
        a.shape.layout = what == "groups" ? vk::MatVecLayout::Groups : vk::MatVecLayout::Lanes;
        if (what == "x") a.x = b.x->slice(4, 8192);
        const Status st = vk::dispatchMatVec(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
    }
};

QTEST_GUILESS_MAIN(TstVkMatVecTiled)
#include "tst_vk_mat_vec_tiled.moc"
