// mat_vec's GLU mode (a GeGLU's gate and up products in one dispatch,
// MatVecArgs::pair; or the gate product times given up values,
// MatVecArgs::upValues, the PLE gate) against its CPU twins: facet::cpu::matmul
// for both products, then facet::cpu::geluTanh(gate) · up. Every weight type, random
// non-zero weights and inputs, odd shapes, 1..8 vectors, row ranges not
// starting at 0; both layouts (groups with subgroup and shared-memory
// reductions, lanes with its per-type decoders, 16-byte texels where the up
// rows keep the 16-byte alignment, the word decoder where they do not); and
// the refusals (up rows in another buffer, before the gate, out of one
// binding, accumulate; up values too short, overlapping y or with rows).
// Up values also run split into 4 KiB bindings (each row window reads its
// own part of u). Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_pipeline.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// Bounds. Each product is mat_vec's plain product (tst_vk_mat_vec: NMSE
// <= 1e-10, |error| <= kProductAbs = 1e-3 per output), then the epilogue's
// gelu, whose exp form is within ~4e-6 relative (tst_vk_binary's geglu
// bound). gelu' is within [-0.17, 1.13], so per element
//   |got - ref| <= kProductAbs · (1.13 |u| + |gelu(g)|) + 4e-6 |ref|,
// and the NMSE, from the same relative errors, stays under 1e-9.
constexpr double kProductAbs = 1e-3;
constexpr double kMaxNmse = 1e-9;

}  // namespace

class TstVkMatVecGlu : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwins_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");  // columns: matVecTestCols(type, blocks), 0 = 1536
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("rowBegin");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("layout");  // 0 default, 1 groups, 2 lanes, 3 blocks
        QTest::addColumn<int>("gap");     // bytes between the gate's rows and the up tensor
        QTest::addColumn<bool>("values"); // up values (MatVecArgs::upValues) instead of up rows
        QTest::addColumn<int>("limit");   // binding limit in bytes (0: the device's)
        for (GgmlType t : kShaderTypes) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s 7x3blk t3 rows 2.. groups subgroup, values", n)
                << t << 7 << 3 << 3 << 2 << true << 1 << 0 << true << 0;
            QTest::addRow("%s 200x3blk t1 rows 1.. groups shared, values split into 4 KiB", n)
                << t << 200 << 3 << 1 << 1 << false << 1 << 0 << true << 4096;
            QTest::addRow("%s 9x3blk t8 rows 1.. lanes, values", n) << t << 9 << 3 << 8 << 1 << true << 2 << 0 << true << 0;
            QTest::addRow("%s 33x1536 t2 blocks shared, values", n) << t << 33 << 0 << 2 << 0 << false << 3 << 0 << true << 0;
            QTest::addRow("%s 7x3blk t3 rows 2.. blocks subgroup, gap 20", n)
                << t << 7 << 3 << 3 << 2 << true << 3 << 20 << false << 0;
            QTest::addRow("%s 200x3blk t1 lanes, values split into 4 KiB", n)
                << t << 200 << 3 << 1 << 0 << true << 2 << 0 << true << 4096;
            QTest::addRow("%s 7x3blk t3 rows 2.. groups subgroup, gap 20", n)
                << t << 7 << 3 << 3 << 2 << true << 1 << 20 << false << 0;
            QTest::addRow("%s 65x1536 t1 groups shared", n) << t << 65 << 0 << 1 << 0 << false << 1 << 16 << false << 0;
            QTest::addRow("%s 65x1536 t1 default", n) << t << 65 << 0 << 1 << 0 << true << 0 << 16 << false << 0;
            QTest::addRow("%s 9x3blk t8 rows 1.. lanes, gap 4", n) << t << 9 << 3 << 8 << 1 << true << 2 << 4 << false << 0;
            if (t == GgmlType::Q4_0 || t == GgmlType::Q4_K)  // 16-byte texels only where the up rows stay aligned
                QTest::addRow("%s 37x8blk t2 lanes, gap 36 (word decoder)", n)
                    << t << 37 << 8 << 2 << 0 << true << 2 << 36 << false << 0;
        }
    }

    void matchesCpuTwins() {
        QFETCH(GgmlType, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        QFETCH(int, nTok);
        QFETCH(int, rowBegin);
        QFETCH(bool, subgroups);
        QFETCH(int, layout);
        QFETCH(int, gap);
        QFETCH(bool, values);
        QFETCH(int, limit);

        vk::Device* dev = bench_.device(subgroups, quint64(limit));
        QVERIFY(dev);
        const int cols = matVecTestCols(type, blocks);
        const uint64_t rb = rowBytes(type, cols);
        const int totalRows = rowBegin + rows + 1;  // a row after the range, never read into y
        const size_t tensorBytes = size_t(totalRows) * rb;
        // gate | gap | up | a spare word (DeviceWeights leaves one after every tensor)
        const size_t upAt = (tensorBytes + size_t(gap) + 3) / 4 * 4;
        std::vector<uint8_t> wq(upAt + tensorBytes + 8, 0);
        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols + gap);
        const std::vector<float> gf = nonZero(size_t(totalRows) * cols, 0.05f, 1.0f, seed);
        const std::vector<float> uf = nonZero(size_t(totalRows) * cols, 0.05f, 1.0f, seed + 1);
        for (int r = 0; r < totalRows; ++r) {
            quantizeRow(type, gf.data() + size_t(r) * cols, wq.data() + size_t(r) * rb, cols);
            quantizeRow(type, uf.data() + size_t(r) * cols, wq.data() + upAt + size_t(r) * rb, cols);
        }
        const int xStride = (cols + 3) / 4 * 4 + 4, yStride = rows + 3;  // vectors on 16 bytes: lanes stays lanes
        const std::vector<float> x = nonZero(size_t(nTok) * xStride, 0.05f, 1.0f, seed + 2);
        const std::vector<float> y0 = nonZero(size_t(nTok) * yStride, 0.05f, 1.0f, seed + 3);

        auto view = [&](size_t at) {
            TensorView v;
            v.name.assign(1, 'w');  // (not = "w": a g++ 12 -Wrestrict false positive)
            v.type = type;
            v.ne = {cols, totalRows, 1, 1};
            v.nDims = 2;
            v.data = wq.data() + at;
            v.nbytes = tensorBytes;
            return v;
        };
        std::vector<float> g(size_t(nTok) * yStride), u(size_t(nTok) * yStride);
        cpu::matmul(view(0), rowBegin, rowBegin + rows, x.data(), nTok, xStride, g.data(), yStride);
        // Up values: u[t][r] at float uOff + t * uStride + r of their own buffer.
        const int uOff = 3, uStride = rows + 5;
        const std::vector<float> uv = nonZero(size_t(uOff + nTok * uStride), 0.05f, 1.0f, seed + 4);
        if (values) {
            for (int t = 0; t < nTok; ++t)
                for (int r = 0; r < rows; ++r) u[size_t(t) * yStride + r] = uv[size_t(uOff + t * uStride + r)];
        } else {
            cpu::matmul(view(upAt), rowBegin, rowBegin + rows, x.data(), nTok, xStride, u.data(), yStride);
        }

        auto bw = makeBuffer(*dev, wq, "gate+up");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, y0, "y");
        auto bu = makeBuffer(*dev, uv, "u");
        QVERIFY(bw && bx && by && bu);
        vk::MatVecArgs a;
        a.weight = bw->slice(0, tensorBytes);
        if (values) {
            a.upValues = bu->slice(uOff * 4, (uv.size() - uOff) * 4);
            a.upStride = uint32_t(uStride);
        } else {
            a.pair = bw->slice(upAt, tensorBytes);
        }
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = uint32_t(rowBegin);
        a.rowEnd = uint32_t(rowBegin + rows);
        a.x = bx->whole();
        a.y = by->whole();
        a.xStride = uint32_t(xStride);
        a.yStride = uint32_t(yStride);
        a.nTok = uint32_t(nTok);
        a.shape.layout = vk::MatVecLayout(layout);
        if (!values) QVERIFY(vk::matVecCanPair(dev->caps(), a));

        auto cmd = vk::Cmd::create(*dev, "glu test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        Status st = vk::dispatchMatVec(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (limit == 0) QCOMPARE(cmd.value()->dispatches(), 1u);
        else QVERIFY2(cmd.value()->dispatches() > 1u, "the 4 KiB bindings split the rows");
        // The path under test is the one used.
        const QString used = QString::fromStdString(cmd.value()->bound()->name());
        const bool lanes = layout == 2 || (layout == 0 && vk::defaultMatVecLayout(dev->caps()) == vk::MatVecLayout::Lanes);
        QCOMPARE(used.startsWith("mat_vec_lanes_"), lanes);
        const bool x16 = vk::matVecCanInterleave(type, cols) && type != GgmlType::Q6_K &&  // (Q6_K: tiled only)
                         (values || upAt % 16 == 0);
        QCOMPARE(used.endsWith("_x16"), lanes && x16);
        QCOMPARE(used.contains("_blocks"), layout == 3 && !isFloatType(type));
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> got;
        QVERIFY(download(*dev, *by, got));

        const ProductCheck c = checkProducts(got, y0, g, u, nTok, rows, yStride, true, false, kProductAbs);
        qInfo("%s, %d x %d, %d vectors: NMSE %.3g, worst error %.3g of its bound", qPrintable(used), rows, cols, nTok,
              c.nmse, c.worst);
        QVERIFY2(c.firstBad.isEmpty(), qPrintable(c.firstBad));
        QVERIFY2(c.nmse <= kMaxNmse, qPrintable(QString("NMSE %1 > %2").arg(c.nmse).arg(kMaxNmse)));
    }

    void refusesPairsItCannotBind_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("error");
        QTest::newRow("up in another buffer") << "other buffer" << "GLU mode needs";
        QTest::newRow("up before the gate") << "before" << "GLU mode needs";
        QTest::newRow("up overlapping the gate") << "overlap" << "GLU mode needs";
        QTest::newRow("accumulate") << "accumulate" << "GLU mode needs";
        QTest::newRow("up range too short") << "short" << "weight needs";
        QTest::newRow("beyond one binding") << "limit" << "GLU mode needs";
        QTest::newRow("up values too short") << "values short" << "up values need";
        QTest::newRow("up values with accumulate") << "values accumulate" << "up values need";
        QTest::newRow("up values overlapping y") << "values overlap" << "overlap y";
        QTest::newRow("up values and up rows") << "values and pair" << "not both";
    }

    void refusesPairsItCannotBind() {
        QFETCH(QString, what);
        QFETCH(QString, error);
        // "limit": a device whose bindings hold 4 KiB, gate and up 3 KiB each.
        vk::Device* dev = bench_.device(true, what == "limit" ? 4096 : 0);
        QVERIFY(dev);
        const uint32_t cols = 256, rows = 96;  // Q4_0: 144 bytes a row, 13824 bytes a tensor
        const uint64_t tb = uint64_t(rows) * rowBytes(GgmlType::Q4_0, cols);
        const uint32_t useRows = what == "limit" ? 21 : rows;  // 21 rows: 3024 bytes
        auto w = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 4 * tb, "w");
        auto other = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 4 * tb, "other");
        auto io = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 65536, "x");
        auto out = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 65536, "y");
        QVERIFY(w.ok() && other.ok() && io.ok() && out.ok());
        vk::MatVecArgs a;
        a.weight = w.value()->slice(tb, tb);
        a.pair = w.value()->slice(2 * tb, tb);
        if (what == "other buffer") a.pair = other.value()->slice(2 * tb, tb);
        if (what == "before") a.pair = w.value()->slice(0, tb);
        if (what == "overlap") a.pair = w.value()->slice(tb + 144, tb);
        if (what == "short") a.pair = w.value()->slice(2 * tb, tb - 144);
        if (what == "limit") a.pair = w.value()->slice(tb + 3072, tb);
        a.accumulate = what == "accumulate" || what == "values accumulate";
        if (what.startsWith("values")) {
            if (what != "values and pair") a.pair = {};
            a.upValues = io.value()->slice(0, what == "values short" ? useRows * 4 - 4 : useRows * 4);
            if (what == "values overlap") a.upValues = out.value()->slice(64, useRows * 4);
        }
        a.type = GgmlType::Q4_0;
        a.cols = cols;
        a.rowBegin = 0;
        a.rowEnd = useRows;
        a.x = io.value()->whole();
        a.y = out.value()->whole();
        if (what != "values and pair") QCOMPARE(vk::matVecCanPair(dev->caps(), a), false);
        auto cmd = vk::Cmd::create(*dev, "bad pair");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        const Status st = vk::dispatchMatVec(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkMatVecGlu)
#include "tst_vk_mat_vec_glu.moc"
