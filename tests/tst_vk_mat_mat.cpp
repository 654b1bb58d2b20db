// mat_mat.comp against its CPU twin facet::cpu::matmul (house style rule 8):
// every weight type, random non-zero weights quantized with quantizeRow and
// random non-zero inputs; odd shapes that leave partial row and token tiles,
// 1..512 tokens, row ranges not starting at 0, accumulate mode, strides
// larger than the sizes, tensors not at offset 0, weights split into row
// windows and prompts split into token windows, rows long enough to trip
// llvmpipe's loop limit; both tiles: the device's own (on lavapipe the CPU
// tile, weights dequantized into registers) and the GPU tile (a weight tile
// in shared memory), forced through MatMatArgs::tile. Validation layer on;
// any message fails.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/mat_mat_op.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// Bounds. The shader dequantizes bit-exactly (dequant.glsl; tst_vk_get_rows
// checks it), so the only difference from cpu::matmul (double accumulation,
// one rounding at the end) is fp32 summation: each output is one running sum
// over the row of partial sums of 4 or 8 products (dot()), plus y0 when
// accumulating. Each addition rounds the running sum S_i by <= u|S_i|,
// u = 2^-24; with random signs |S_i| ≈ sqrt(i)·s (s² the mean square of a
// term) and independent errors the total error has variance
// ≈ (u²/3)·Σ_i i·s² ≈ u²m²s²/6 over m additions, against |y|² ≈ m·s²: NMSE
// ≈ u²·m/6 <= 3.6e-15·24579/6 ≈ 1.5e-11 even counting every product as an
// addition at the longest row (measured over all types and both tiles:
// <= 2.1e-12).
// kMaxNmse = 1e-9 leaves two orders of margin, while a single wrong weight
// or a dropped K step (error ≈ |w·x|, one term of >= 5 with |y| ≈
// sqrt(n)·0.33) gives NMSE >= ~1e-4.
// Elementwise the same estimate gives |err| ≈ u·m·s/sqrt(6), relative to
// |y| ≈ sqrt(m)·s that is u·sqrt(m/6) <= 3.8e-6 at m = 24579, and the
// largest of ~10^4 outputs is ~4 times the typical one, against max |y| ~4
// times the typical |y|: max|err| / max|y| ≈ 4e-6 at worst (measured
// <= 3.4e-6), bound kMaxRel = 2e-5. The worst-case bound
// m·u·Σ|w·x| / |y| is far looser and never approached with random signs.
constexpr double kMaxNmse = 1e-9;
constexpr double kMaxRel = 2e-5;



// `blocks` (1 or 3) blocks of the type, 0: the model width 1536, -1: 24576,
// long enough that a loop inside the K loop that fails to unroll trips
// llvmpipe's limit of 65535 loop iterations per invocation, which silently
// cut a 16 x 16 register tile's sums short from ~12K columns. Float types
// get widths that are not a multiple of the shader's virtual block of 8
// (the tail path) or of its K step.
int colsOf(GgmlType t, int blocks) {
    if (isFloatType(t)) return blocks == 1 ? 5 : blocks == 3 ? 97 : blocks == 0 ? 1539 : 24579;
    return blocks == 0 ? 1536 : blocks < 0 ? 24576 : int(typeInfo(t).blockElems) * blocks;
}

// The tile a GPU gets for long prompts (a 64 x 64 weight tile in shared
// memory), within this device's limits; one token-tile size keeps the number
// of pipelines to compile down (16 and 32 differ only in a spec constant).
vk::MatMatTile gpuTile(const vk::DeviceCaps& caps) {
    vk::DeviceCaps gpu = caps;
    gpu.type = vk::DeviceType::Discrete;
    return vk::matMatTile(gpu, 64);
}

}  // namespace

class TstVkMatMat : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwin_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");  // columns: colsOf(type, blocks), 0 = 1536, -1 = 24576
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("rowBegin");
        QTest::addColumn<bool>("accumulate");
        QTest::addColumn<quint64>("maxBindingBytes");  // 0 = device limit
        QTest::addColumn<bool>("splitRows");           // rows chosen for >= 3 row windows
        QTest::addColumn<int>("lead");                 // byte offset of the tensor in its buffer
        QTest::addColumn<bool>("gpu");                 // force the GPU tile

        // Partial tiles: 67 and 130 rows end inside a row tile of 64, 5, 33
        // and 70 tokens inside a token tile of 8 or 64. The device's own tile
        // (lavapipe: the CPU tile) on the plain device, then the GPU tile
        // there and on a device with 4 KiB bindings (one pipeline per device
        // and tile: llvmpipe compiles each in 0.3-3.5 s).
        for (GgmlType t : kShaderTypes) {
            const char* n = typeInfo(t).name;
            const int kq = typeInfo(t).blockElems == 256 ? 1 : 3;  // blocks for the split rows (small weights)
            QTest::addRow("%s 67x1blk t1", n) << t << 67 << 1 << 1 << 0 << false << quint64(0) << false << 0 << false;
            QTest::addRow("%s 67x3blk t5 rows 3.. accumulate, lead 6", n)
                << t << 67 << 3 << 5 << 3 << true << quint64(0) << false << 6 << false;
            QTest::addRow("%s 67x3blk t33 rows 1..", n)
                << t << 67 << 3 << 33 << 1 << false << quint64(0) << false << 0 << false;
            QTest::addRow("%s 130x1536 t70 rows 2.. accumulate", n)
                << t << 130 << 0 << 70 << 2 << true << quint64(0) << false << 0 << false;
            QTest::addRow("%s 9x1blk t512", n) << t << 9 << 1 << 512 << 0 << false << quint64(0) << false << 0 << false;
            QTest::addRow("%s 9x24576 t5", n) << t << 9 << -1 << 5 << 0 << false << quint64(0) << false << 0 << false;
            QTest::addRow("%s gpu tile 67x3blk t5 rows 3.. accumulate, lead 6", n)
                << t << 67 << 3 << 5 << 3 << true << quint64(0) << false << 6 << true;
            QTest::addRow("%s gpu tile 130x1536 t70 rows 2..", n)
                << t << 130 << 0 << 70 << 2 << false << quint64(0) << false << 0 << true;
            QTest::addRow("%s gpu tile 9x24576 t33", n)
                << t << 9 << -1 << 33 << 0 << false << quint64(0) << false << 0 << true;
            // x of 3 tokens fits 4 KiB; the weight is >= 2 windows + 7 rows.
            QTest::addRow("%s gpu tile, row windows of 4 KiB t3 rows 1.. accumulate, lead 2", n)
                << t << 0 << kq << 3 << 1 << true << quint64(4096) << true << 2 << true;
            // x of 70 tokens is 27..72 KiB: >= 7 token windows (F32 rows split too).
            QTest::addRow("%s gpu tile, token windows of 4 KiB 67x%dblk t70 rows 4.. accumulate", n, kq)
                << t << 67 << kq << 70 << 4 << true << quint64(4096) << false << 0 << true;
        }
    }

    void matchesCpuTwin() {
        QFETCH(GgmlType, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        QFETCH(int, nTok);
        QFETCH(int, rowBegin);
        QFETCH(bool, accumulate);
        QFETCH(quint64, maxBindingBytes);
        QFETCH(bool, splitRows);
        QFETCH(int, lead);
        QFETCH(bool, gpu);

        vk::Device* dev = bench_.device(true, maxBindingBytes);
        QVERIFY(dev);

        const int cols = colsOf(type, blocks);
        const uint64_t rb = rowBytes(type, cols);
        QVERIFY(rb > 0);
        if (splitRows) rows = int(2 * (maxBindingBytes / rb) + 7);  // three windows at least
        const int totalRows = rowBegin + rows + 2;                   // rows after the range are never read into y

        // Weights: random non-zero floats, quantized row by row.
        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols * 17 + nTok);
        const std::vector<float> wf = nonZero(size_t(totalRows) * cols, 0.05f, 1.0f, seed);
        const size_t wBytes = size_t(totalRows) * rb;
        std::vector<uint8_t> wq((lead + wBytes + 3) / 4 * 4, 0);  // padded to a whole word (shader reads words)
        for (int r = 0; r < totalRows; ++r)
            quantizeRow(type, wf.data() + size_t(r) * cols, wq.data() + lead + size_t(r) * rb, cols);

        const int xStride = cols + 3, yStride = rows + 5;  // gaps between vectors
        const std::vector<float> x = nonZero(size_t(nTok) * xStride, 0.05f, 1.0f, seed + 1);
        const std::vector<float> y0 = nonZero(size_t(nTok) * yStride, 0.05f, 1.0f, seed + 2);

        TensorView W;
        W.name = "w";
        W.type = type;
        W.ne = {cols, totalRows, 1, 1};
        W.nDims = 2;
        W.data = wq.data() + lead;
        W.nbytes = wBytes;
        std::vector<float> ref = y0;  // the gaps keep y0, as the device's must
        cpu::matmul(W, rowBegin, rowBegin + rows, x.data(), nTok, xStride, ref.data(), yStride);
        if (accumulate)
            for (int t = 0; t < nTok; ++t)
                for (int r = 0; r < rows; ++r) ref[size_t(t) * yStride + r] += y0[size_t(t) * yStride + r];

        auto bw = makeBuffer(*dev, wq, "w");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, y0, "y");
        QVERIFY(bw && bx && by);

        vk::MatMatArgs a;
        a.weight = bw->slice(lead, wBytes);
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = uint32_t(rowBegin);
        a.rowEnd = uint32_t(rowBegin + rows);
        a.x = bx->whole();
        a.y = by->whole();
        a.xStride = uint32_t(xStride);
        a.yStride = uint32_t(yStride);
        a.nTok = uint32_t(nTok);
        a.accumulate = accumulate;
        if (gpu) a.tile = gpuTile(dev->caps());
        const vk::MatMatTile tile = gpu ? a.tile : vk::matMatTile(dev->caps(), uint32_t(nTok));

        auto cmd = vk::Cmd::create(*dev, "mat_mat test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchMatMat(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (maxBindingBytes) QVERIFY(cmd.value()->dispatches() > 2);  // really split
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got;
        QVERIFY(download(*dev, *by, got));
        QCOMPARE(got.size(), ref.size());

        std::vector<size_t> inRange;
        double maxY = 0;
        for (int t = 0; t < nTok; ++t)
            for (int r = 0; r < rows; ++r) {
                inRange.push_back(size_t(t) * yStride + r);
                maxY = std::max(maxY, std::abs(double(ref[inRange.back()])));
            }
        const Comparison c = compareFloats(ref, got, kMaxRel * maxY, inRange);
        qInfo("%s %d x %d, %d tokens, tile %ux%u/%ux%u%s: NMSE %.3g, max abs %.3g = %.3g of max |y| %.3g, "
              "%u dispatch(es)",
              typeInfo(type).name, rows, cols, nTok, tile.bm, tile.bn, tile.tm, tile.tn, tile.directW ? " direct" : "",
              c.nmse, c.maxAbs, c.maxAbs / maxY, maxY, cmd.value()->dispatches());
        QVERIFY2(c.firstBad.isEmpty(), qPrintable(c.firstBad));
        QVERIFY2(c.nmse <= kMaxNmse, qPrintable(QString("NMSE %1 > %2").arg(c.nmse).arg(kMaxNmse)));
        // The gaps between vectors are never written.
        for (int t = 0; t + 1 < nTok; ++t)
            for (int r = rows; r < yStride; ++r) QCOMPARE(got[size_t(t) * yStride + r], y0[size_t(t) * yStride + r]);
    }

    void refusesBadArguments_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("weightBytes");
        QTest::addColumn<int>("xStride");
        QTest::addColumn<bool>("yIsX");
        QTest::addColumn<int>("tileBk");  // 0: automatic tile; else a 64 x 16 tile with this K step
        QTest::addColumn<QString>("error");
        QTest::newRow("unsupported type") << GgmlType::Q8_1 << 32 << 1 << 4096 << 0 << false << 0 << "has no shader";
        QTest::newRow("columns not whole blocks")
            << GgmlType::Q4_0 << 40 << 1 << 4096 << 0 << false << 0 << "not a multiple";
        QTest::newRow("no vectors") << GgmlType::Q4_0 << 32 << 0 << 4096 << 0 << false << 0 << "expected at least 1";
        QTest::newRow("weight too small")
            << GgmlType::Q6_K << 256 << 1 << 800 << 0 << false << 0 << "weight needs 840 bytes";
        QTest::newRow("x stride below columns")
            << GgmlType::F32 << 32 << 2 << 4096 << 31 << false << 0 << "x stride 31";
        QTest::newRow("x too small") << GgmlType::F32 << 32 << 600 << 16384 << 0 << false << 0 << "x needs";
        QTest::newRow("in place") << GgmlType::F32 << 32 << 4 << 4096 << 0 << true << 0 << "overlaps";
        QTest::newRow("K step not whole groups") << GgmlType::F32 << 32 << 4 << 4096 << 0 << false << 12 << "malformed";
        QTest::newRow("tile beyond shared memory")
            << GgmlType::F32 << 32 << 4 << 4096 << 0 << false << 4096 << "bytes of shared memory";
    }

    void refusesBadArguments() {
        QFETCH(GgmlType, type);
        QFETCH(int, cols);
        QFETCH(int, nTok);
        QFETCH(int, weightBytes);
        QFETCH(int, xStride);
        QFETCH(bool, yIsX);
        QFETCH(int, tileBk);
        QFETCH(QString, error);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, size_t(weightBytes), 65536, b));
        vk::MatMatArgs a;
        a.weight = b.w->whole();
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowBegin = 2;
        a.rowEnd = 4;
        a.x = b.x->whole();
        a.y = yIsX ? b.x->whole() : b.y->whole();
        a.xStride = uint32_t(xStride);
        a.nTok = uint32_t(nTok);
        if (tileBk) a.tile = vk::MatMatTile{64, 16, uint32_t(tileBk), 4, 4, false};
        const Status st = vk::dispatchMatMat(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        QVERIFY(b.cmd->end().ok());
    }

    // FACET_VK_MATMAT_TILE reaches products that choose no tile: one the
    // device cannot run is refused with its numbers (nothing recorded), an
    // explicit tile still wins.
    void takesTileOverrideFromEnv() {
        ScopedEnv env("FACET_VK_MATMAT_TILE", "512x512x16x2x2");  // 65536 invocations
        vk::DeviceOptions o;  // with the environment
        auto dev = makeDevice(*bench_.instance(), o);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 4096, 4096, b));
        auto a = scratchArgs<vk::MatMatArgs>(b, 32, 8);
        a.nTok = 4;
        const Status st = vk::dispatchMatMat(*b.cmd, a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("512x512") &&
                     QString::fromStdString(st.message()).contains("65536 invocations"),
                 st.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        a.tile = vk::matMatTile(dev->caps(), 4);
        QVERIFY(vk::dispatchMatMat(*b.cmd, a).ok());
        QVERIFY(b.cmd->dispatches() > 0u);
        QVERIFY(b.cmd->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkMatMat)
#include "tst_vk_mat_mat.moc"
