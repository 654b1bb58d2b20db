// The vision tower's own shaders against their CPU twins (house style rule 8):
// clamp.comp (the clamped linears' bounds) and vision_pool.comp (k×k average
// pooling, ×√E, standardization), whose twins live here, written as
// vision_forward.cpp computes the same step, and attention_lanes.comp
// against facet::cpu::attendHead. Random non-zero inputs of odd sizes,
// strides, offsets, in-place outputs, one-sided bounds, several workgroups
// per row, GQA, head dims 16..256, key counts past llvmpipe's loop limit.
// Validation layer on; any message fails.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "cpu/attention.h"
#include "vulkan/ops/attention_lanes_op.h"
#include "vulkan/ops/clamp_op.h"
#include "vulkan/ops/vision_pool_op.h"

using namespace facet;
using namespace facet::test;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// CPU twin of clamp.comp: vision_forward.cpp's clampTo over one row.
void clampRows(const float* x, float lo, float hi, float* out, int n) {
    for (int i = 0; i < n; ++i) out[i] = std::min(std::max(x[i], lo), hi);
}

// CPU twin of vision_pool.comp: encodeImageCpu's pooling (double sums, then
// × √E/k²) and standardization, for a [gridRows][gridCols][width] grid.
void poolRows(const float* x, int gridCols, int gridRows, int k, int width, double scale, const float* bias,
              const float* stdScale, float* out) {
    const int outCols = gridCols / k, outRows = gridRows / k;
    for (int oy = 0; oy < outRows; ++oy)
        for (int ox = 0; ox < outCols; ++ox)
            for (int e = 0; e < width; ++e) {
                double s = 0;
                for (int dy = 0; dy < k; ++dy)
                    for (int dx = 0; dx < k; ++dx) s += x[(size_t(oy * k + dy) * gridCols + ox * k + dx) * width + e];
                float v = static_cast<float>(s * scale);
                if (bias) v = (v - bias[e]) * stdScale[e];
                out[(size_t(oy) * outCols + ox) * width + e] = v;
            }
}

// clamp: min and max are exact, so the shader and its twin agree bit for bit: bound 0.
//
// vision_pool: the shader sums k² values |x| <= 4 in float32, an error of
// <= (k² − 1)·2^-24·Σ|x|: 1.7e-5 for k = 3 (Σ|x| <= 36), 5.7e-5 for k = 4
// (Σ|x| <= 64). × scale (3.08 for w768 k3, 1.08 for w300 k4) and × stdScale
// (|s| <= 2) scale it to <= 1.2e-4, and three roundings of |out| <= 222 add
// <= 4.5e-5: max abs 2e-4. Relative to |out| the error is ~k²·2^-24 when
// the values do not cancel: NMSE <= (16·6e-8)² ≈ 1e-12, bound 1e-11.
// attention_lanes: the bounds of tst_vk_bidir_attention (same inputs, same
// derivation: fp32 dots of ≤ 256 products of |q·scale| ≲ 0.25, |k| ≤ 1, exp()
// turning a score error into a relative weight error, outputs convex
// combinations of |v| ≤ 1): max abs 1e-4, NMSE 1e-8.
constexpr double kAttnMaxAbs = 1e-4;
constexpr double kAttnMaxNmse = 1e-8;
constexpr double kPoolMaxAbs = 2e-4;
constexpr double kPoolMaxNmse = 1e-11;

}  // namespace

class TstVkVisionOps : public VkOpTestCase {
    Q_OBJECT

    bool run(vk::Device& dev, const std::function<Status(vk::Cmd&)>& record) {
        auto cmd = vk::Cmd::create(dev, "vision ops test");
        if (!cmd.ok() || !cmd.value()->begin().ok()) return false;
        Status st = record(*cmd.value());
        if (st.ok()) st = cmd.value()->submitAndWait();
        if (!st.ok()) qWarning("%s", st.message().c_str());
        return st.ok();
    }

private slots:
    void clampMatchesCpuTwinExactly_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("n");
        QTest::addColumn<float>("lo");
        QTest::addColumn<float>("hi");
        QTest::addColumn<bool>("strided");  // row strides n + 3, offsets, and in place
        for (const auto& s : {std::pair{1, 3072}, std::pair{7, 48}, std::pair{17, 257}})
            for (bool strided : {false, true}) {
                const char* how = strided ? ", strided, in place" : "";
                QTest::addRow("%dx%d [-1.5, 2]%s", s.first, s.second, how) << s.first << s.second << -1.5f << 2.0f << strided;
                QTest::addRow("%dx%d [-inf, 0.5]%s", s.first, s.second, how) << s.first << s.second << -kInf << 0.5f << strided;
                QTest::addRow("%dx%d [-3, inf]%s", s.first, s.second, how) << s.first << s.second << -3.0f << kInf << strided;
                QTest::addRow("%dx%d [1, -1]%s", s.first, s.second, how) << s.first << s.second << 1.0f << -1.0f << strided;
            }
    }
    void clampMatchesCpuTwinExactly() {
        QFETCH(int, nTok);
        QFETCH(int, n);
        QFETCH(float, lo);
        QFETCH(float, hi);
        QFETCH(bool, strided);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const int stride = strided ? n + 3 : n, first = strided ? 5 : 0;
        const size_t total = size_t(first) + size_t(nTok - 1) * stride + n;
        const std::vector<float> x = nonZero(total, 0.01f, 4.0f, uint32_t(nTok * 131 + n));
        std::vector<float> ref = strided ? x : std::vector<float>(total, -777.0f);
        for (int t = 0; t < nTok; ++t) clampRows(&x[first + size_t(t) * stride], lo, hi, &ref[first + size_t(t) * stride], n);
        auto bx = makeBuffer(*dev, x, "x");
        auto bo = makeBuffer(*dev, std::vector<float>(total, -777.0f), "out");
        QVERIFY(bx && bo);
        vk::ClampArgs a;
        a.x = bx->whole();
        a.out = strided ? bx->whole() : bo->whole();
        a.lo = lo;
        a.hi = hi;
        a.nTok = uint32_t(nTok);
        a.n = uint32_t(n);
        a.xFirst = a.outFirst = uint32_t(first);
        a.xStride = a.outStride = uint32_t(stride);
        QVERIFY(run(*dev, [&](vk::Cmd& c) { return vk::dispatchClamp(c, a); }));
        std::vector<float> got;
        QVERIFY(download(*dev, strided ? *bx : *bo, got));
        QCOMPARE(got.size(), ref.size());
        int changed = 0;
        for (size_t i = 0; i < total; ++i) {
            if (std::memcmp(&got[i], &ref[i], 4) != 0)
                QFAIL(qPrintable(QString("index %1: ref %2, got %3").arg(i).arg(ref[i], 0, 'g', 9).arg(got[i], 0, 'g', 9)));
            changed += got[i] != x[i];
        }
        QVERIFY2(changed > 0, "no value was clamped: the row does not test the bounds");
    }

    void poolMatchesCpuTwin_data() {
        QTest::addColumn<int>("gridCols");
        QTest::addColumn<int>("gridRows");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("standardize");
        for (bool std : {false, true}) {
            const char* how = std ? ", standardized" : "";
            QTest::addRow("9x6 k3 w37%s", how) << 9 << 6 << 3 << 37 << std;
            QTest::addRow("39x30 k3 w768%s", how) << 39 << 30 << 3 << 768 << std;  // a 624x480 picture, E2B
            QTest::addRow("8x4 k4 w300%s", how) << 8 << 4 << 4 << 300 << std;
            QTest::addRow("5x5 k1 w3%s", how) << 5 << 5 << 1 << 3 << std;
        }
    }
    void poolMatchesCpuTwin() {
        QFETCH(int, gridCols);
        QFETCH(int, gridRows);
        QFETCH(int, k);
        QFETCH(int, width);
        QFETCH(bool, standardize);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const uint32_t seed = uint32_t(gridCols * 1000 + width * 7 + k);
        const std::vector<float> x = nonZero(size_t(gridCols) * gridRows * width, 0.01f, 4.0f, seed);
        const std::vector<float> bias = nonZero(size_t(width), 0.01f, 0.5f, seed + 1);
        const std::vector<float> sc = nonZero(size_t(width), 0.5f, 2.0f, seed + 2);
        const int nOut = (gridCols / k) * (gridRows / k);
        const double scale = std::sqrt(double(width)) / (k * k);
        std::vector<float> ref(size_t(nOut) * width);
        poolRows(x.data(), gridCols, gridRows, k, width, scale, standardize ? bias.data() : nullptr, sc.data(), ref.data());

        auto bx = makeBuffer(*dev, x, "x");
        auto bb = makeBuffer(*dev, bias, "bias");
        auto bs = makeBuffer(*dev, sc, "std scale");
        auto bo = makeBuffer(*dev, std::vector<float>(ref.size(), -777.0f), "out");
        QVERIFY(bx && bb && bs && bo);
        vk::VisionPoolArgs a;
        a.x = bx->whole();
        a.out = bo->whole();
        if (standardize) {
            a.bias = bb->whole();
            a.stdScale = bs->whole();
        }
        a.gridCols = uint32_t(gridCols);
        a.gridRows = uint32_t(gridRows);
        a.k = uint32_t(k);
        a.width = uint32_t(width);
        a.scale = float(scale);
        QVERIFY(run(*dev, [&](vk::Cmd& c) { return vk::dispatchVisionPool(c, a); }));
        std::vector<float> got;
        QVERIFY(download(*dev, *bo, got));
        const Comparison c = compareFloats(ref, got, kPoolMaxAbs);
        FACET_VERIFY_COMPARISON(c, kPoolMaxNmse);
    }

    void attentionLanesMatchesCpuTwin_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("nKeys");  // the first nTok keys' rows are the queries' tokens
        QTest::addColumn<int>("nHeads");
        QTest::addColumn<int>("nKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("pad");          // floats of row padding (strides)
        QTest::addColumn<int>("invocations");  // 0: the device's
        QTest::newRow("v-tiny: 5 tokens, 3 heads x 16") << 5 << 5 << 3 << 3 << 16 << 0 << 0;
        QTest::newRow("37 tokens, GQA 4/2 x 72, padded") << 37 << 37 << 4 << 2 << 72 << 4 << 0;
        QTest::newRow("9 queries of 300 keys, 2 x 256, 64 per group") << 9 << 300 << 2 << 2 << 256 << 0 << 64;
        QTest::newRow("E2B head, 1170 keys") << 11 << 1170 << 2 << 2 << 64 << 0 << 0;
        // 8 keys per chunk: a loop over single keys or dims would pass llvmpipe's 65535 iterations here.
        QTest::newRow("70000 keys") << 3 << 70000 << 1 << 1 << 16 << 0 << 0;
    }
    void attentionLanesMatchesCpuTwin() {
        QFETCH(int, nTok);
        QFETCH(int, nKeys);
        QFETCH(int, nHeads);
        QFETCH(int, nKv);
        QFETCH(int, headDim);
        QFETCH(int, pad);
        QFETCH(int, invocations);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const int qStride = nHeads * headDim + pad, kvStride = nKv * headDim + pad;
        const float scale = 1.0f / std::sqrt(float(headDim));
        const uint32_t seed = uint32_t(nKeys * 7 + headDim);
        const std::vector<float> q = nonZero(size_t(nTok) * qStride, 0.01f, 1.0f, seed);
        const std::vector<float> k = nonZero(size_t(nKeys) * kvStride, 0.01f, 1.0f, seed + 1);
        const std::vector<float> v = nonZero(size_t(nKeys) * kvStride, 0.01f, 1.0f, seed + 2);
        std::vector<float> ref(size_t(nTok) * qStride, 0.0f), qs(headDim);
        std::vector<size_t> index;
        for (int t = 0; t < nTok; ++t)
            for (int h = 0; h < nHeads; ++h) {
                const int kvCol = (h / (nHeads / nKv)) * headDim;
                for (int d = 0; d < headDim; ++d) qs[d] = q[size_t(t) * qStride + h * headDim + d] * scale;
                cpu::attendHead(
                    qs.data(), headDim, 0, nKeys - 1, [&](int j) { return &k[size_t(j) * kvStride + kvCol]; },
                    [&](int j) { return &v[size_t(j) * kvStride + kvCol]; }, &ref[size_t(t) * qStride + h * headDim]);
                for (int d = 0; d < headDim; ++d) index.push_back(size_t(t) * qStride + h * headDim + d);
            }
        auto bq = makeBuffer(*dev, q, "q");
        auto bk = makeBuffer(*dev, k, "k");
        auto bv = makeBuffer(*dev, v, "v");
        auto bo = makeBuffer(*dev, std::vector<float>(ref.size(), -777.0f), "out");
        QVERIFY(bq && bk && bv && bo);
        vk::AttentionLanesArgs a;
        a.q = bq->whole();
        a.k = bk->whole();
        a.v = bv->whole();
        a.out = bo->whole();
        a.nTok = uint32_t(nTok);
        a.nKeys = uint32_t(nKeys);
        a.nHeads = uint32_t(nHeads);
        a.nKvHeads = uint32_t(nKv);
        a.headDim = uint32_t(headDim);
        a.qStride = a.outStride = uint32_t(qStride);
        a.kvStride = uint32_t(kvStride);
        a.scale = scale;
        a.invocations = uint32_t(invocations);
        QVERIFY(run(*dev, [&](vk::Cmd& c) { return vk::dispatchAttentionLanes(c, a); }));
        std::vector<float> got;
        QVERIFY(download(*dev, *bo, got));
        const Comparison c = compareFloats(ref, got, kAttnMaxAbs, index);
        FACET_VERIFY_COMPARISON(c, kAttnMaxNmse);
        for (size_t i = 0; i < got.size(); ++i)  // the padding is untouched
            if (size_t(i % qStride) >= size_t(nHeads * headDim)) QCOMPARE(got[i], -777.0f);
    }

    void refusesBadArguments() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto b = makeBuffer(*dev, std::vector<float>(100, 1.0f), "small");
        auto o = makeBuffer(*dev, std::vector<float>(100, 1.0f), "other");
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(b && o && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        auto expect = [&](const Status& st, const char* text) {
            QVERIFY(!st.ok());
            QVERIFY2(QString::fromStdString(st.message()).contains(text), st.message().c_str());
        };
        vk::ClampArgs c;
        c.x = c.out = b->whole();
        c.nTok = 2;
        c.n = 50;
        c.lo = std::nanf("");
        c.hi = 1.0f;
        expect(vk::dispatchClamp(*cmd.value(), c), "clamp: bounds [nan, 1] must be numbers or infinities");
        c.lo = -1.0f;
        c.n = 51;  // 102 floats > 100
        expect(vk::dispatchClamp(*cmd.value(), c), "clamp: x needs 408 bytes");
        vk::VisionPoolArgs p;
        p.x = b->whole();
        p.out = o->whole();
        p.gridCols = 5;
        p.gridRows = 3;
        p.k = 3;
        p.width = 4;
        expect(vk::dispatchVisionPool(*cmd.value(), p), "does not pool by 3");
        p.gridCols = 6;  // 18 patches x 4 = 72 floats: fits; 2 pooled x 4 out
        p.bias = b->whole();
        expect(vk::dispatchVisionPool(*cmd.value(), p), "needs both bias and scale");
        p.bias = {};
        p.width = 6;  // 108 floats > 100
        expect(vk::dispatchVisionPool(*cmd.value(), p), "vision_pool: x needs 432 bytes");
        p.width = 4;
        p.out = b->whole();
        expect(vk::dispatchVisionPool(*cmd.value(), p), "out overlaps x");
        vk::AttentionLanesArgs at;
        at.q = at.k = at.v = b->whole();
        at.out = o->whole();
        at.nTok = at.nKeys = 2;
        at.nHeads = at.nKvHeads = 1;
        at.headDim = 18;
        expect(vk::dispatchAttentionLanes(*cmd.value(), at), "multiples of 4 floats");
        at.headDim = 40;
        at.nHeads = 3;
        at.nKvHeads = 2;
        expect(vk::dispatchAttentionLanes(*cmd.value(), at), "3 heads are not a multiple of 2 kv heads");
        at.nHeads = at.nKvHeads = 1;
        at.nTok = 3;  // 120 floats > 100
        expect(vk::dispatchAttentionLanes(*cmd.value(), at), "attention_lanes: q needs 480 bytes");
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkVisionOps)
#include "tst_vk_vision_ops.moc"
