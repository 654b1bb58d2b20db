// rms_norm.comp against its CPU twin facet::cpu::rmsNorm (house style rule 8):
// random non-zero inputs of odd shapes, weight on/off, fused residual on/off,
// fused layer scalar and next pre-norm on/off, subgroup and shared-memory
// reductions, bindings split into row windows, row strides and in-place
// outputs. Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "cpu/ops.h"
#include "support/vk_fixture.h"
#include "vulkan/ops/rms_norm_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_upload.h"

using namespace facet;
using namespace facet::test;

namespace {

// Bounds, derived for fp32 accumulation over n <= 5376 values:
// each invocation sums <= n/WG = 21 squares serially, then a tree (or
// subgroupAdd + a serial sum over <= 32 partials) of depth <= 32, so the sum
// of squares has relative error <= ~53·2^-24 ≈ 3.2e-6 in the worst case;
// the mean, eps add, sqrt and division add a few ulp, and the scale inherits
// half the sum's error (≈ 1.7e-6). Products with x and w and the residual add
// are one rounding each. Per element |gpu - ref| <= ~2e-6·|ref| + ulp(|out|),
// so NMSE = Σ(gpu-ref)² / Σref² <= (2e-6)² = 4e-12; 1e-10 leaves 25x margin
// for the worst-case alignment of errors. Elementwise: outputs are below ~10
// here (|x|<=2 normalized, |w|<=1.5, |residual|<=1), so 2e-6·10 = 2e-5; the
// max-abs bound is 1e-4.
constexpr double kMaxNmse = 1e-10;
constexpr double kMaxAbs = 1e-4;
constexpr float kEps = 1e-6f;

// Uniform in ±[lo, hi]: never zero, both signs.
std::vector<float> nonZero(size_t n, float lo, float hi, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> mag(lo, hi);
    std::bernoulli_distribution neg(0.5);
    std::vector<float> v(n);
    for (auto& x : v) x = neg(rng) ? -mag(rng) : mag(rng);
    return v;
}

struct Comparison {
    double nmse = 0, maxAbs = 0;
    QString firstBad;  // first element over kMaxAbs: "row r col c: ref X, got Y"
};

Comparison compare(const std::vector<float>& ref, const std::vector<float>& got, int rows, int cols, int stride) {
    Comparison c;
    double num = 0, den = 0;
    for (int r = 0; r < rows; ++r)
        for (int i = 0; i < cols; ++i) {
            const double a = ref[size_t(r) * cols + i], b = got[size_t(r) * stride + i];
            const double d = std::abs(a - b);
            num += d * d;
            den += a * a;
            if (d > c.maxAbs) c.maxAbs = d;
            if (d > kMaxAbs && c.firstBad.isEmpty())
                c.firstBad = QString("row %1 col %2: ref %3, got %4").arg(r).arg(i).arg(a, 0, 'g', 9).arg(b, 0, 'g', 9);
        }
    c.nmse = den > 0 ? num / den : 0;
    return c;
}

}  // namespace

class TstVkRmsNorm : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<vk::Instance> instance_;
    // One device per (subgroups, binding limit), built on first use: pipelines
    // compile per device, slowly on llvmpipe.
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
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<bool>("weight");
        QTest::addColumn<bool>("residual");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<quint64>("maxBindingBytes");  // 0 = device limit
        QTest::addColumn<int>("stride");               // row stride of x, residual and out; 0 = cols
        QTest::addColumn<bool>("inPlace");             // out is the residual (or x) buffer
        QTest::addColumn<bool>("scale");               // out *= a layer scalar
        QTest::addColumn<bool>("next");                // also next = rmsNorm(out) * w2
        QTest::addColumn<int>("invocations");          // per row; 0 = the device's (the other family's below)

        const int shapes[][2] = {{3, 64}, {5, 257}, {2, 1536}, {1, 5376}};
        for (const auto& s : shapes)
            for (bool sg : {true, false})
                for (bool w : {true, false})
                    for (bool res : {false, true})
                        QTest::addRow("%dx%d %s%s %s", s[0], s[1], w ? "weight" : "no-weight", res ? " +residual" : "",
                                      sg ? "subgroup" : "shared")
                            << s[0] << s[1] << w << res << sg << quint64(0) << 0 << false << false << false << 0;
        // Row windows: bindings of 4 KiB hold 3 rows of 257 floats, 2 of 300
        // (stride 301); window starts are not 16-byte aligned.
        QTest::newRow("37x257 split into 4 KiB bindings, subgroup")
            << 37 << 257 << true << true << true << quint64(4096) << 0 << false << false << false << 0;
        QTest::newRow("37x257 split into 4 KiB bindings, shared")
            << 37 << 257 << true << false << false << quint64(4096) << 0 << false << false << false << 0;
        QTest::newRow("11x300 stride 301 split, in place on residual")
            << 11 << 300 << true << true << true << quint64(4096) << 301 << true << false << false << 0;
        QTest::newRow("7x129 stride 136, in place on x")
            << 7 << 129 << false << false << true << quint64(0) << 136 << true << false << false << 0;
        QTest::newRow("70000x3 beyond 65535 workgroups in x")
            << 70000 << 3 << true << true << false << quint64(0) << 0 << false << false << false << 0;
        // Fused block ends (Gemma's post-norm + residual [+ layer scalar] +
        // the next pre-norm), in place on the residual as the forward pass runs them.
        for (const auto& s : shapes)
            for (bool sg : {true, false})
                for (bool scale : {false, true})
                    QTest::addRow("%dx%d post-norm +residual%s +next norm in place %s", s[0], s[1],
                                  scale ? " *scale" : "", sg ? "subgroup" : "shared")
                        << s[0] << s[1] << true << true << sg << quint64(0) << 0 << true << scale << true << 0;
        // The other family's workgroup: GPUs' 256 invocations per row where
        // the device is a CPU (lavapipe in CI), a CPU's 8 elsewhere.
        for (const auto& s : shapes)
            for (bool sg : {true, false})
                QTest::addRow("%dx%d post-norm +residual +next norm, other family's workgroup %s", s[0], s[1],
                              sg ? "subgroup" : "shared")
                    << s[0] << s[1] << true << true << sg << quint64(0) << 0 << true << true << true << -1;
        QTest::newRow("5x257 scale only")
            << 5 << 257 << true << true << true << quint64(0) << 0 << false << true << false << 0;
        QTest::newRow("11x300 stride 301 split, in place, scale and next")
            << 11 << 300 << true << true << true << quint64(4096) << 301 << true << true << true << 0;
        QTest::newRow("37x257 split, shared, next without scale")
            << 37 << 257 << true << true << false << quint64(4096) << 0 << false << false << true << 0;
    }

    void matchesCpuTwin() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(bool, weight);
        QFETCH(bool, residual);
        QFETCH(bool, subgroups);
        QFETCH(quint64, maxBindingBytes);
        QFETCH(int, stride);
        QFETCH(bool, inPlace);
        QFETCH(bool, scale);
        QFETCH(bool, next);
        QFETCH(int, invocations);
        if (stride == 0) stride = cols;

        vk::Device* dev = device(subgroups, maxBindingBytes);
        QVERIFY(dev);
        QCOMPARE(dev->caps().subgroupReduce(), subgroups);  // the path under test is the one used

        const size_t n = size_t(rows - 1) * stride + cols;
        const uint32_t seed = uint32_t(rows * 7919 + cols);
        const std::vector<float> x = nonZero(n, 0.05f, 2.0f, seed);
        const std::vector<float> w = nonZero(size_t(cols), 0.5f, 1.5f, seed + 1);
        const std::vector<float> res = nonZero(n, 0.01f, 1.0f, seed + 2);
        const std::vector<float> w2 = nonZero(size_t(cols), 0.5f, 1.5f, seed + 3);
        const float scalar = 0.71875f;

        // Reference: the CPU twin, then the residual added and the scalar
        // applied in float as the shader (and the CPU forward pass) does; the
        // next norm is the CPU twin again, on that result.
        std::vector<float> ref(size_t(rows) * cols), ref2(size_t(rows) * cols);
        for (int r = 0; r < rows; ++r) {
            float* o = ref.data() + size_t(r) * cols;
            cpu::rmsNorm(x.data() + size_t(r) * stride, weight ? w.data() : nullptr, o, cols, kEps);
            if (residual)
                for (int i = 0; i < cols; ++i) o[i] += res[size_t(r) * stride + i];
            if (scale)
                for (int i = 0; i < cols; ++i) o[i] *= scalar;
            if (next) cpu::rmsNorm(o, w2.data(), ref2.data() + size_t(r) * cols, cols, kEps);
        }

        const VkDeviceSize bytes = n * 4;
        auto bx = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, bytes, "x");
        auto bw = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, size_t(cols) * 4, "w");
        auto br = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, bytes, "residual");
        auto bo = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, bytes, "out");
        auto bs = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 4, "scale");
        auto bw2 = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, size_t(cols) * 4, "w2");
        auto bo2 = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, bytes, "next");
        QVERIFY(bx.ok() && bw.ok() && br.ok() && bo.ok() && bs.ok() && bw2.ok() && bo2.ok());
        vk::UploaderOptions uo;
        uo.forceStaging = true;  // the copy path, as on a discrete GPU
        auto up = vk::Uploader::create(*dev, uo);
        QVERIFY(up.ok());
        const std::vector<float> sentinel(n, -777.0f);  // gaps between strided rows must stay untouched
        const vk::UploadItem items[] = {{bx.value()->whole(), x.data(), bytes},
                                        {bw.value()->whole(), w.data(), size_t(cols) * 4},
                                        {br.value()->whole(), res.data(), bytes},
                                        {bo.value()->whole(), sentinel.data(), bytes},
                                        {bs.value()->whole(), &scalar, 4},
                                        {bw2.value()->whole(), w2.data(), size_t(cols) * 4},
                                        {bo2.value()->whole(), sentinel.data(), bytes}};
        Status st = up.value()->upload(items);
        QVERIFY2(st.ok(), st.message().c_str());

        const vk::Buffer& outBuf = inPlace ? (residual ? *br.value() : *bx.value()) : *bo.value();
        vk::RmsNormArgs a;
        a.x = bx.value()->whole();
        a.weight = weight ? bw.value()->whole() : vk::BufferSlice{};
        a.residual = residual ? br.value()->whole() : vk::BufferSlice{};
        a.out = outBuf.whole();
        a.rows = uint32_t(rows);
        a.cols = uint32_t(cols);
        a.then.scale = scale ? bs.value()->whole() : vk::BufferSlice{};
        a.then.nextWeight = next ? bw2.value()->whole() : vk::BufferSlice{};
        a.then.nextOut = next ? bo2.value()->whole() : vk::BufferSlice{};
        a.xStride = a.residualStride = a.outStride = a.then.nextOutStride = uint32_t(stride);
        a.eps = kEps;
        // -1: the other family's workgroup (GPUs' 256 on a CPU device, else a CPU's 8).
        if (invocations < 0) invocations = dev->caps().type == vk::DeviceType::Cpu ? 256 : 8;
        a.invocations = uint32_t(invocations);

        auto cmd = vk::Cmd::create(*dev, "rms_norm test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        st = vk::dispatchRmsNorm(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (maxBindingBytes) QVERIFY(cmd.value()->dispatches() > 1);  // really split
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got(n);
        st = up.value()->download(outBuf.whole(), got.data(), bytes);
        QVERIFY2(st.ok(), st.message().c_str());
        const Comparison c = compare(ref, got, rows, cols, stride);
        qInfo("NMSE %.3g, max abs %.3g", c.nmse, c.maxAbs);
        QVERIFY2(c.firstBad.isEmpty(), qPrintable(c.firstBad));
        QVERIFY2(c.nmse <= kMaxNmse, qPrintable(QString("NMSE %1 > %2").arg(c.nmse).arg(kMaxNmse)));
        if (stride > cols && !inPlace)
            for (int r = 0; r + 1 < rows; ++r)
                for (int i = cols; i < stride; ++i) QCOMPARE(got[size_t(r) * stride + i], -777.0f);
        if (!next) return;
        st = up.value()->download(bo2.value()->whole(), got.data(), bytes);
        QVERIFY2(st.ok(), st.message().c_str());
        const Comparison c2 = compare(ref2, got, rows, cols, stride);
        qInfo("next norm: NMSE %.3g, max abs %.3g", c2.nmse, c2.maxAbs);
        QVERIFY2(c2.firstBad.isEmpty(), qPrintable("next norm: " + c2.firstBad));
        QVERIFY2(c2.nmse <= kMaxNmse, qPrintable(QString("next norm: NMSE %1 > %2").arg(c2.nmse).arg(kMaxNmse)));
        if (stride > cols)
            for (int r = 0; r + 1 < rows; ++r)
                for (int i = cols; i < stride; ++i) QCOMPARE(got[size_t(r) * stride + i], -777.0f);
    }

    void refusesBadArguments_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("outFloats");
        QTest::addColumn<quint64>("maxBindingBytes");
        QTest::addColumn<QString>("error");
        QTest::newRow("output too small") << 4 << 100 << 399 << quint64(0) << "out needs 1600 bytes";
        QTest::newRow("row larger than a binding") << 1 << 2000 << 2000 << quint64(4096) << "does not fit";
        QTest::newRow("empty") << 0 << 100 << 100 << quint64(0) << "empty";
    }

    void refusesBadArguments() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, outFloats);
        QFETCH(quint64, maxBindingBytes);
        QFETCH(QString, error);
        vk::Device* dev = device(true, maxBindingBytes);
        QVERIFY(dev);
        auto in = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, size_t(std::max(rows, 1)) * cols * 4, "x");
        auto out = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, size_t(outFloats) * 4, "out");
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(in.ok() && out.ok() && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::RmsNormArgs a;
        a.x = in.value()->whole();
        a.out = out.value()->whole();
        a.rows = uint32_t(rows);
        a.cols = uint32_t(cols);
        const Status st = vk::dispatchRmsNorm(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }

    // The fused next norm must get both its weight and an output of its own
    // (it reads back out after writing it, so sharing would corrupt both).
    void refusesBadNextNorm() {
        vk::Device* dev = device(true, 0);
        QVERIFY(dev);
        auto x = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 4 * 64 * 4, "x");
        auto w = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 64 * 4, "w");
        auto cmd = vk::Cmd::create(*dev, "bad next");
        QVERIFY(x.ok() && w.ok() && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::RmsNormArgs a;
        a.x = x.value()->whole();
        a.out = x.value()->whole();
        a.weight = w.value()->whole();
        a.rows = 4;
        a.cols = 64;
        a.then.nextWeight = w.value()->whole();
        Status st = vk::dispatchRmsNorm(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("both its weight and its output"), st.message().c_str());
        a.then.nextOut = x.value()->slice(512, 512);
        st = vk::dispatchRmsNorm(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains("overlaps"), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkRmsNorm)
#include "tst_vk_rms_norm.moc"
