// mat_vec's closing norm (MatVecArgs::tail, issue 20 F3) against its CPU
// twins: facet::cpu::matmul for y, then facet::cpu::rmsNorm for the block's
// post-norm with the residual, layer scalar and next pre-norm. Random
// non-zero inputs; Q4_0, Q8_0, F32 and F16 weights; the groups (subgroup and
// shared-memory reductions), blocks and lanes layouts; 1, 3 and 8 vectors;
// row counts not a multiple of a workgroup's rows, 8192 rows in thousands of
// racing workgroups, three dispatches back to back on one counter (it goes
// back to 0); strides with gaps that must stay untouched; the refusals; the
// FACET_VK_NO_TAIL_FUSION switch; and the product log (no tail to replay).
// Validation layer (with synchronization validation) on; any message fails.
#include <QtTest>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/ops/product_log.h"
#include "vulkan/vk_pipeline.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// Bounds. y is mat_vec's plain product (tst_vk_mat_vec: |error| <= kProductAbs
// per output). The norm turns an error d in y into about d / rms(y) in
// norm(y) plus the same relative error of its scale, so per element
//   |Δx| <= |s| · |w| · (1 + |ŷ|) · kProductAbs / rms(y) + kNormAbs
// (ŷ = norm(y); kNormAbs: rms_norm's own rounding, tst_vk_rms_norm's max
// abs), and the next pre-norm likewise from x's worst error and rms(x). The
// NMSE of x and next inherits the product's relative error (tst_vk_mat_vec:
// <= 1e-10) with the norm's few ulp: tst_vk_mat_vec_glu's 1e-9 bound.
constexpr double kProductAbs = 1e-3;
constexpr double kNormAbs = 1e-4;
constexpr double kMaxNmse = 1e-9;
constexpr float kEps = 1e-6f;

double rms(const float* v, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += double(v[i]) * v[i];
    return std::sqrt(s / n + kEps);
}

// The tail's outputs against their references: nTok vectors of `rows` at
// `stride`, the gaps still holding `before`. Per-element bound as above.
struct TailCheck {
    double num = 0, den = 0, worstAbs = 0;
    QString firstBad;
    void add(const char* what, int t, int i, double ref, double got, double bound) {
        const double d = std::abs(got - ref);
        num += d * d;
        den += ref * ref;
        if (!(d <= worstAbs)) worstAbs = d;  // NaN sticks
        if (!(d <= bound) && firstBad.isEmpty())
            firstBad = QString("%1 token %2 [%3]: ref %4, got %5 (bound %6)")
                           .arg(what).arg(t).arg(i).arg(ref, 0, 'g', 9).arg(got, 0, 'g', 9).arg(bound, 0, 'g', 3);
    }
    void gap(const char* what, int t, int i, float got, float before) {
        if (got != before && firstBad.isEmpty())
            firstBad = QString("%1 token %2 gap %3 was written").arg(what).arg(t).arg(i);
    }
    double nmse() const { return den > 0 ? num / den : 0; }
};

}  // namespace

class TstVkMatVecTail : public VkOpTestCase {
    Q_OBJECT

private slots:
    void matchesCpuTwins_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("layout");  // 1 groups, 2 lanes, 3 blocks
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");  // columns: matVecTestCols(type, blocks); 8: 256 (Q4_0, Q8_0)
        QTest::addColumn<int>("nTok");
        QTest::addColumn<bool>("scale");
        QTest::addColumn<bool>("next");
        QTest::addColumn<int>("repeats");       // dispatches on one counter, a barrier between
        QTest::addColumn<int>("rowsPerGroup");  // 0: the default shape
        for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::F32, GgmlType::F16}) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s 203 rows t3 groups subgroup, scale, next", n)
                << t << 1 << true << 203 << 3 << 3 << true << true << 1 << 0;
            QTest::addRow("%s 64 rows t1 groups shared", n)
                << t << 1 << false << 64 << 1 << 1 << false << false << 1 << 0;
            QTest::addRow("%s 203 rows t8 lanes, scale, next", n)
                << t << 2 << true << 203 << 3 << 8 << true << true << 1 << 0;
            QTest::addRow("%s 96 rows t3 lanes, next (16-byte texels)", n)
                << t << 2 << true << 96 << 8 << 3 << false << true << 1 << 0;
            if (!isFloatType(t))
                QTest::addRow("%s 101 rows t3 blocks shared, next", n)
                    << t << 3 << false << 101 << 3 << 3 << false << true << 1 << 0;
        }
        QTest::newRow("q8_0 8192 rows t1 groups, a row per workgroup, scale, next")
            << GgmlType::Q8_0 << 1 << true << 8192 << 2 << 1 << true << true << 1 << 1;
        QTest::newRow("q4_0 8192 rows t1 lanes, a row per invocation, scale, next")
            << GgmlType::Q4_0 << 2 << true << 8192 << 8 << 1 << true << true << 1 << 1;
        QTest::newRow("q4_0 203 rows t8 groups subgroup, scale") << GgmlType::Q4_0 << 1 << true << 203 << 1 << 8 << true
                                                                << false << 1 << 0;
        QTest::newRow("q4_0 130 rows t3 groups, 3 dispatches on one counter")
            << GgmlType::Q4_0 << 1 << true << 130 << 1 << 3 << true << true << 3 << 0;
        QTest::newRow("f16 130 rows t3 lanes, 3 dispatches on one counter")
            << GgmlType::F16 << 2 << true << 130 << 3 << 3 << true << true << 3 << 0;
    }

    void matchesCpuTwins() {
        QFETCH(GgmlType, type);
        QFETCH(int, layout);
        QFETCH(bool, subgroups);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        QFETCH(int, nTok);
        QFETCH(bool, scale);
        QFETCH(bool, next);
        QFETCH(int, repeats);
        QFETCH(int, rowsPerGroup);

        vk::Device* dev = bench_.device(subgroups, 0);
        QVERIFY(dev);
        const int cols = matVecTestCols(type, blocks);
        const uint64_t rb = rowBytes(type, cols);
        std::vector<uint8_t> wq(size_t(rows) * rb + 8, 0);  // a spare word, as DeviceWeights leaves
        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols + nTok);
        const std::vector<float> wf = nonZero(size_t(rows) * cols, 0.05f, 1.0f, seed);
        for (int r = 0; r < rows; ++r)
            quantizeRow(type, wf.data() + size_t(r) * cols, wq.data() + size_t(r) * rb, cols);
        // Strides with gaps; the tail's vectors start off any alignment.
        const int xStride = (cols + 3) / 4 * 4 + 4, yStride = rows + 3, rStride = rows + 5, nStride = rows + 2;
        const int rOff = 3, nOff = 1;
        const std::vector<float> x = nonZero(size_t(nTok) * xStride, 0.05f, 1.0f, seed + 1);
        const std::vector<float> y0 = nonZero(size_t(nTok) * yStride, 0.05f, 1.0f, seed + 2);
        const std::vector<float> res0 = nonZero(size_t(rOff + nTok * rStride), 0.05f, 1.0f, seed + 3);
        const std::vector<float> next0 = nonZero(size_t(nOff + nTok * nStride), 0.05f, 1.0f, seed + 4);
        // norm weights: w at 0, w2 at rows + 1, the scale last
        std::vector<float> norms = nonZero(size_t(2 * rows + 2), 0.5f, 1.5f, seed + 5);
        const float s = scale ? 0.75f : 1.0f;
        norms.back() = s;
        const std::vector<uint32_t> counter0 = {7, 0, 9};  // the counter is word 1

        TensorView view;
        view.name.assign(1, 'w');
        view.type = type;
        view.ne = {cols, rows, 1, 1};
        view.nDims = 2;
        view.data = wq.data();
        view.nbytes = size_t(rows) * rb;
        std::vector<float> g(size_t(nTok) * yStride, 0.0f);
        cpu::matmul(view, 0, rows, x.data(), nTok, xStride, g.data(), yStride);
        std::vector<float> res = res0, nx = next0, tmp(rows);
        for (int k = 0; k < repeats; ++k)
            for (int t = 0; t < nTok; ++t) {
                cpu::rmsNorm(g.data() + size_t(t) * yStride, norms.data(), tmp.data(), rows, kEps);
                float* xr = res.data() + rOff + size_t(t) * rStride;
                for (int i = 0; i < rows; ++i) xr[i] = (tmp[i] + xr[i]) * s;
                if (next) cpu::rmsNorm(xr, norms.data() + rows + 1, nx.data() + nOff + size_t(t) * nStride, rows, kEps);
            }

        auto bw = makeBuffer(*dev, wq, "w");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, y0, "y");
        auto br = makeBuffer(*dev, res0, "residual");
        auto bn = makeBuffer(*dev, next0, "next");
        auto bnorm = makeBuffer(*dev, norms, "norms");
        auto bc = makeBuffer(*dev, counter0, "counter");
        QVERIFY(bw && bx && by && br && bn && bnorm && bc);
        vk::MatVecArgs a;
        a.weight = bw->slice(0, size_t(rows) * rb);
        a.type = type;
        a.cols = uint32_t(cols);
        a.rowEnd = uint32_t(rows);
        a.x = bx->whole();
        a.y = by->whole();
        a.xStride = uint32_t(xStride);
        a.yStride = uint32_t(yStride);
        a.nTok = uint32_t(nTok);
        a.shape.layout = vk::MatVecLayout(layout);
        if (rowsPerGroup) a.shape = {layout == 2 ? 8u : 16u, uint32_t(rowsPerGroup), 1, vk::MatVecLayout(layout)};
        a.tail.counter = bc->slice(4, 4);
        a.tail.weight = bnorm->slice(0, size_t(rows) * 4);
        a.tail.residual = br->slice(rOff * 4, (res0.size() - rOff) * 4);
        a.tail.residualStride = uint32_t(rStride);
        if (scale) a.tail.scale = bnorm->slice((norms.size() - 1) * 4, 4);
        if (next) {
            a.tail.nextWeight = bnorm->slice(size_t(rows + 1) * 4, size_t(rows) * 4);
            a.tail.nextOut = bn->slice(nOff * 4, (next0.size() - nOff) * 4);
            a.tail.nextOutStride = uint32_t(nStride);
        }
        a.tail.eps = kEps;
        QVERIFY(vk::matVecCanTail(*dev, a));

        auto cmd = vk::Cmd::create(*dev, "tail test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        for (int k = 0; k < repeats; ++k) {
            if (k > 0) cmd.value()->computeBarrier();
            const Status st = vk::dispatchMatVec(*cmd.value(), a);
            QVERIFY2(st.ok(), st.message().c_str());
        }
        QCOMPARE(cmd.value()->dispatches(), uint32_t(repeats));
        const QString used = QString::fromStdString(cmd.value()->bound()->name());
        QCOMPARE(used.startsWith("mat_vec_lanes_"), layout == 2);
        QCOMPARE(used.contains("_blocks"), layout == 3);
        QCOMPARE(used.endsWith("_x16"), layout == 2 && vk::matVecCanInterleave(type, cols));
        const Status st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> gotY, gotR, gotN;
        std::vector<uint32_t> gotC;
        QVERIFY(download(*dev, *by, gotY) && download(*dev, *br, gotR) && download(*dev, *bn, gotN) &&
                download(*dev, *bc, gotC));

        const ProductCheck py = checkProducts(gotY, y0, g, {}, nTok, rows, yStride, false, false, kProductAbs);
        QVERIFY2(py.firstBad.isEmpty(), qPrintable(py.firstBad));
        QVERIFY2(gotC == counter0, "the counter is back to 0, its neighbours untouched");

        TailCheck cx, cn;
        for (int t = 0; t < nTok; ++t) {
            const float* gt = g.data() + size_t(t) * yStride;
            const double ry = rms(gt, rows);
            double xWorst = 0;
            for (int i = 0; i < rStride; ++i) {
                const size_t at = rOff + size_t(t) * rStride + i;
                if (i >= rows) {
                    if (at < gotR.size()) cx.gap("x", t, i, gotR[at], res0[at]);
                    continue;
                }
                // (repeats: each pass adds the same norm(y)·w, its error repeats times, scaled down by s)
                const double bound =
                    repeats * (std::abs(s * norms[i]) * (1 + std::abs(gt[i]) / ry) * kProductAbs / ry + kNormAbs);
                xWorst = std::max(xWorst, bound);
                cx.add("x", t, i, res[at], gotR[at], bound);
            }
            if (!next) continue;
            const double rx = rms(res.data() + rOff + size_t(t) * rStride, rows);
            for (int i = 0; i < nStride; ++i) {
                const size_t at = nOff + size_t(t) * nStride + i;
                if (i >= rows) {
                    if (at < gotN.size()) cn.gap("next", t, i, gotN[at], next0[at]);
                    continue;
                }
                const double xi = res[rOff + size_t(t) * rStride + i];
                cn.add("next", t, i, nx[at], gotN[at],
                       std::abs(norms[rows + 1 + i]) * (1 + std::abs(xi) / rx) * xWorst / rx + kNormAbs);
            }
        }
        if (!next) QVERIFY2(gotN == next0, "no next pre-norm: its buffer untouched");
        qInfo("%s, %d x %d, %d vectors: y NMSE %.3g; x NMSE %.3g, max abs %.3g; next NMSE %.3g, max abs %.3g",
              qPrintable(used), rows, cols, nTok, py.nmse, cx.nmse(), cx.worstAbs, cn.nmse(), cn.worstAbs);
        QVERIFY2(cx.firstBad.isEmpty(), qPrintable(cx.firstBad));
        QVERIFY2(cn.firstBad.isEmpty(), qPrintable(cn.firstBad));
        QVERIFY2(cx.nmse() <= kMaxNmse, qPrintable(QString("x NMSE %1 > %2").arg(cx.nmse()).arg(kMaxNmse)));
        QVERIFY2(cn.nmse() <= kMaxNmse, qPrintable(QString("next NMSE %1 > %2").arg(cn.nmse()).arg(kMaxNmse)));
    }

    void refusesTailsItCannotRun_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("error");
        QTest::newRow("GLU pair") << "pair" << "not GLU mode";
        QTest::newRow("GLU up values") << "values" << "not GLU mode";
        QTest::newRow("accumulate") << "accumulate" << "or accumulate";
        QTest::newRow("no norm weight") << "no weight" << "needs its weight";
        QTest::newRow("next weight without output") << "half next" << "both its weight";
        QTest::newRow("residual too short") << "short" << "residual needs";
        QTest::newRow("residual stride under the rows") << "stride" << "strides";
        QTest::newRow("counter off a word") << "counter align" << "counter starts";
        QTest::newRow("residual overlapping y") << "res on y" << "overlaps";
        QTest::newRow("next out overlapping the residual") << "next on res" << "overlaps";
        QTest::newRow("counter inside x") << "counter on x" << "overlaps";
        QTest::newRow("negative eps") << "eps" << "eps";
        QTest::newRow("rows in two bindings") << "limit" << "one dispatch";
    }

    void refusesTailsItCannotRun() {
        QFETCH(QString, what);
        QFETCH(QString, error);
        // "limit": bindings of 4 KiB, the weights 36 x 144 bytes.
        vk::Device* dev = bench_.device(true, what == "limit" ? 4096 : 0);
        QVERIFY(dev);
        const uint32_t cols = 256, rows = what == "limit" ? 36 : 24, n = 3;  // Q4_0: 144 bytes a row
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 8192, 4096, b));
        auto state = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 4096, "state");
        QVERIFY(state.ok());
        vk::Buffer& st = *state.value();
        vk::MatVecArgs a = scratchArgs<vk::MatVecArgs>(b, cols, rows);
        a.type = GgmlType::Q4_0;
        a.nTok = n;
        a.y = b.y->slice(0, n * rows * 4);
        a.tail.counter = st.slice(0, 4);
        a.tail.weight = st.slice(256, rows * 4);
        a.tail.residual = st.slice(1024, n * rows * 4);
        a.tail.nextWeight = st.slice(512, rows * 4);
        a.tail.nextOut = st.slice(2048, n * rows * 4);
        QVERIFY(vk::matVecCanTail(*dev, a) == (what == "limit" ? false : true));
        if (what == "pair") a.pair = b.w->slice(4096, rows * 144);
        if (what == "values") a.upValues = b.x->slice(2048, n * rows * 4);
        a.accumulate = what == "accumulate";
        if (what == "no weight") a.tail.weight = {};
        if (what == "half next") a.tail.nextOut = {};
        if (what == "short") a.tail.residual = st.slice(1024, n * rows * 4 - 4);
        if (what == "stride") a.tail.residualStride = rows - 1;
        if (what == "counter align") a.tail.counter = st.slice(2, 4);
        if (what == "res on y") a.tail.residual = b.y->slice(64, n * rows * 4);
        if (what == "next on res") a.tail.nextOut = st.slice(1024 + 8, n * rows * 4);
        if (what == "counter on x") a.tail.counter = b.x->slice(8, 4);
        if (what == "eps") a.tail.eps = -1.0f;
        QVERIFY(!vk::matVecCanTail(*dev, a));
        const Status s = vk::dispatchMatVec(*b.cmd, a);
        QVERIFY(!s.ok());
        QVERIFY2(QString::fromStdString(s.message()).contains(error), s.message().c_str());
        QCOMPARE(b.cmd->dispatches(), 0u);
        QVERIFY(b.cmd->end().ok());
    }

    // The switch the forward reads (FACET_VK_NO_TAIL_FUSION, and NO_FUSION
    // for all): matVecCanTail says no; dispatchMatVec still does what it is asked.
    void switchTurnsTheTailOff() {
        {
            const ScopedEnv env("FACET_VK_NO_TAIL_FUSION", "1");
            auto o = vk::DeviceOptions{}.withEnv();
            QVERIFY(o.ok() && o.value().noTailFusion && !o.value().noRopeFusion);
        }
        {
            const ScopedEnv env("FACET_VK_NO_FUSION", "1");
            auto o = vk::DeviceOptions{}.withEnv();
            QVERIFY(o.ok() && o.value().noTailFusion);
        }
        QVERIFY(vk::DeviceOptions{}.withEnv().ok() && !vk::DeviceOptions{}.withEnv().value().noTailFusion);
        vk::DeviceOptions o = plainOptions();
        o.noTailFusion = true;
        auto dev = makeDevice(*bench_.instance(), o);
        QVERIFY(dev);
        QVERIFY(dev->tailFusionOff());
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 8192, 4096, b));
        vk::MatVecArgs a = scratchArgs<vk::MatVecArgs>(b, 16, 8);
        a.y = b.y->slice(0, 32);
        a.tail.counter = b.y->slice(256, 4);
        a.tail.weight = b.x->slice(256, 32);
        a.tail.residual = b.y->slice(512, 32);
        QVERIFY(!vk::matVecCanTail(*dev, a));
        QVERIFY(vk::matVecCanTail(*bench_.device(true, 0), a));
        QVERIFY(b.cmd->end().ok());
    }

    // The kernel tuner replays logged products many times over: a logged
    // product carries no tail (it would run the norm on x at every replay).
    void logsTheProductWithoutItsTail() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        ProductScratch b;
        QVERIFY(makeProductScratch(*dev, 8192, 4096, b));
        vk::ProductLog log;
        b.cmd->setProductLog(&log);
        vk::MatVecArgs a = scratchArgs<vk::MatVecArgs>(b, 16, 8);
        a.y = b.y->slice(0, 32);
        a.tail.counter = b.y->slice(256, 4);
        a.tail.weight = b.x->slice(256, 32);
        a.tail.residual = b.y->slice(512, 32);
        const Status st = vk::dispatchMatVec(*b.cmd, a);
        QVERIFY2(st.ok(), st.message().c_str());
        QCOMPARE(log.matVec.size(), size_t(1));
        QVERIFY(log.matVec[0].tail.empty());
        QCOMPARE(log.matVec[0].rowEnd, 8u);
        QVERIFY(b.cmd->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkMatVecTail)
#include "tst_vk_mat_vec_tail.moc"
