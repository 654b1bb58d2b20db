// VisionVulkan against its oracle encodeImageCpu and the references in
// tests/data/vision (the cases tst_vision_forward uses): both projectors (f32
// and f16 weights) on both pictures, the float64 and llama.cpp soft tokens, a
// wrong activation and skipped clamps told apart, clamp bounds that differ
// per linear, out_scale, a bigger random tower (f16, q8_0 in weight pieces,
// and the GPUs' path: the GEMM and attention_bidir), pictures of several
// sizes on one tower, and the errors: bad pictures, the binding limit, the
// memory limit, a lost device. Validation layer on; any message fails.
#include <QtTest>

#include <QImage>
#include <QTemporaryDir>
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "support/test_paths.h"
#include "support/vision_input.h"
#include "support/vision_reference.h"
#include "support/vk_fixture.h"
#include "vision/projector_maker.h"
#include "vision/vision_forward.h"
#include "vision/vision_model.h"
#include "vision/vision_vulkan.h"
#include "vulkan/vk_pipeline.h"

using namespace facet;
using namespace facet::test;

namespace {

// Against encodeImageCpu on the same weights: both float32, the CPU summing in
// double, the GPU in float32 trees and blocks (products over ≤ 96 values,
// attention over ≤ 576 keys, norms over ≤ 96): a few ulp per stage, ~1e-7
// relative, through 2 layers, the pooling and the projection onto values of
// |v| ≤ 6: observed ≤ 1.9e-6 on lavapipe. 2e-5 leaves 10x for other devices'
// orders (subgroup sums, fused multiply-adds) and is still far below a wrong
// stage (gelu_quick moves the soft tokens by ≥ 2.6e-2, skipped clamps by 0.77).
constexpr double kCpuMaxAbs = 2e-5;
// The bigger tower (width 192, head dim 64, 280 patches, q8_0 and f16): sums
// over up to 384 values and 280 keys, sharper softmaxes; observed ≤ 1.8e-5. Bound 1e-4.
constexpr double kBigCpuMaxAbs = 1e-4;
// Against the float64 NumPy tower: the CPU reference lands ≤ 1e-6 from it
// (the JSON's rounding), the GPU adds its ≤ kCpuMaxAbs (observed ≤ 1.7e-6 in
// all). The README suggests 1e-3 for an f32 engine; 1e-4 is tst_vision_forward's bound.
constexpr double kExactMaxAbs = 1e-4;
// Against llama.cpp: its f16 im2col and GELU table put it ~2e-3 from exact
// math (README, "Measured agreement"); the README's bound.
constexpr double kLlamaMaxAbs = 5e-3;
// A different computation must move the soft tokens by at least this much.
constexpr double kWrongMinAbs = 1e-3;

QString vdata(const QString& name) { return dataFile("vision/" + name); }

using Scalars = std::map<std::string, float>;

}  // namespace

Q_DECLARE_METATYPE(Scalars)

class TstVkVision : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    QTemporaryDir dir_;

    struct Opened {
        std::unique_ptr<VisionModel> model;
        std::unique_ptr<VisionVulkan> gpu;
    };
    // The projector and its tower on `dev` (the test's device by default); null after a failure.
    Opened open(const QString& path, const VisionVulkanOptions& o = {}, vk::Device* dev = nullptr) {
        Opened r;
        auto m = VisionModel::open(path.toStdString());
        if (!m.ok()) {
            qWarning("%s", m.message().c_str());
            return r;
        }
        r.model = std::move(m).value();
        auto g = VisionVulkan::create(dev ? *dev : *device_, *r.model, o);
        if (!g.ok()) qWarning("%s", g.message().c_str());
        if (g.ok()) r.gpu = std::move(g).value();
        return r;
    }

    // Soft tokens of `input` on the GPU and the CPU; false after a failure.
    static bool both(const Opened& o, const std::vector<float>& input, int w, int h, SoftTokens& gpu, SoftTokens& cpu) {
        auto g = o.gpu->encode(input, w, h);
        auto c = encodeImageCpu(*o.model, input, w, h);
        if (!g.ok()) qWarning("%s", g.message().c_str());
        if (!g.ok() || !c.ok()) return false;
        gpu = std::move(g).value();
        cpu = std::move(c).value();
        return gpu.cols == cpu.cols && gpu.rows == cpu.rows && gpu.width == cpu.width;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
        device_ = makeDevice(*instance_, plainOptions());
        QVERIFY2(device_, "no Vulkan device");
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void softTokensMatchCpuAndReferences_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mmproj");
        QTest::addColumn<QString>("picture");
        QTest::newRow("f32 gradient") << "e2b-like-vis.gradient.json" << "mmproj-v-tiny.gguf" << "gradient-96x96.v-tiny.preproc.png";
        QTest::newRow("f32 rings") << "e2b-like-vis.rings.json" << "mmproj-v-tiny.gguf" << "rings-60x40.v-tiny.preproc.png";
        QTest::newRow("f16 gradient") << "dense31b-like-vis.f16.gradient.json" << "mmproj-v-tiny.f16.gguf"
                                      << "gradient-96x96.v-tiny.preproc.png";
        QTest::newRow("f16 rings") << "dense31b-like-vis.f16.rings.json" << "mmproj-v-tiny.f16.gguf" << "rings-60x40.v-tiny.preproc.png";
    }
    void softTokensMatchCpuAndReferences() {
        QFETCH(QString, json);
        QFETCH(QString, mmproj);
        QFETCH(QString, picture);
        const VisionReference ref = loadVisionReference(json);
        QVERIFY(ref.tokens > 0 && ref.numpy.size() == ref.llamacpp.size());
        Opened o = open(vdata(mmproj));
        QVERIFY(o.gpu);
        const QImage img(vdata(picture));
        QVERIFY(!img.isNull());
        const std::vector<float> input = encoderInputOf(img);
        SoftTokens gpu, cpu;
        QVERIFY(both(o, input, img.width(), img.height(), gpu, cpu));
        QCOMPARE(gpu.count(), ref.tokens);
        expectClose(cpu.values, gpu.values, kCpuMaxAbs, "vs CPU reference");
        expectClose(ref.numpy, gpu.values, kExactMaxAbs, "vs float64");
        expectClose(ref.llamacpp, gpu.values, kLlamaMaxAbs, "vs llama.cpp");
        // The activation matters: the tower with gelu_quick is far outside the tolerance.
        VisionOptions quick;
        quick.geluQuick = true;
        auto wrong = encodeImageCpu(*o.model, input, img.width(), img.height(), quick);
        QVERIFY(wrong.ok());
        const double moved = diffOf(wrong.value().values, gpu.values).maxAbs;
        qInfo("gelu_quick is %.3g away", moved);
        QVERIFY2(moved >= kWrongMinAbs, qPrintable(QString::number(moved)));
    }

    // The v-tiny files clamp every layer-0 linear: without the clamps the soft
    // tokens move well beyond the tolerance, so the comparisons above see them.
    void clampsAreApplied() {
        Opened o = open(vdata("mmproj-v-tiny.gguf"));
        VisionVulkanOptions skip;
        skip.skipClamps = true;
        Opened unclamped = open(vdata("mmproj-v-tiny.gguf"), skip);
        QVERIFY(o.gpu && unclamped.gpu);
        const QImage img(vdata("gradient-96x96.v-tiny.preproc.png"));
        const std::vector<float> input = encoderInputOf(img);
        auto a = o.gpu->encode(input, img.width(), img.height());
        auto b = unclamped.gpu->encode(input, img.width(), img.height());
        QVERIFY(a.ok() && b.ok());
        const double moved = diffOf(a.value().values, b.value().values).maxAbs;
        qInfo("without the clamps the soft tokens move by %.3g", moved);
        QVERIFY2(moved >= kWrongMinAbs, qPrintable(QString::number(moved)));
    }

    // Bounds that differ per linear (a copy per bound set, outputs clamped
    // before the activation), bounds shared by q, k, v and by gate, up (one
    // copy, the GLU product), and out_scale: each as encodeImageCpu, each
    // moving the soft tokens.
    void clampVariantsMatchCpu_data() {
        QTest::addColumn<Scalars>("scalars");
        QTest::addColumn<bool>("clamps");  // false: compare with the file as it is, not with skipClamps
        // Layer 1's bounds {in min, in max, out min, out max}; infinite ones are left out.
        auto bounds = [](Scalars& s, const char* linear, std::array<float, 4> b) {
            const char* keys[] = {".input_min", ".input_max", ".output_min", ".output_max"};
            for (int i = 0; i < 4; ++i)
                if (std::isfinite(b[i])) s[std::string("v.blk.1.") + linear + keys[i]] = b[i];
        };
        const float inf = INFINITY;
        Scalars distinct, shared;
        bounds(distinct, "attn_q", {-0.8f, 0.9f, -inf, inf});
        bounds(distinct, "attn_k", {-1.2f, 0.7f, -inf, inf});
        bounds(distinct, "attn_v", {-0.6f, 1.1f, -inf, inf});
        bounds(distinct, "attn_out", {-0.2f, 0.25f, -0.5f, 0.6f});
        bounds(distinct, "ffn_gate", {-0.9f, 0.8f, -0.6f, 0.7f});
        bounds(distinct, "ffn_up", {-0.7f, 1.0f, -inf, 0.5f});
        bounds(distinct, "ffn_down", {-0.15f, 0.2f, -1.0f, 0.8f});
        for (const char* linear : {"attn_q", "attn_k", "attn_v"}) bounds(shared, linear, {-0.7f, 0.8f, -inf, inf});
        for (const char* linear : {"ffn_gate", "ffn_up"}) bounds(shared, linear, {-0.9f, 0.9f, -inf, inf});
        QTest::newRow("bounds per linear") << distinct << true;
        QTest::newRow("bounds shared by q, k, v and gate, up") << shared << true;
        QTest::newRow("out_scale") << Scalars{{"v.blk.0.out_scale.weight", 0.5f}, {"v.blk.1.out_scale.weight", 1.75f}}
                                   << false;
    }
    void clampVariantsMatchCpu() {
        QFETCH(Scalars, scalars);
        QFETCH(bool, clamps);
        const QString path = dir_.filePath(QTest::currentDataTag() + QString(".gguf"));
        const Status st = writeWithScalars(vdata("mmproj-v-tiny.gguf").toStdString(), path.toStdString(), scalars);
        QVERIFY2(st.ok(), st.ok() ? "" : st.message().c_str());
        Opened o = open(path);
        VisionVulkanOptions skip;
        skip.skipClamps = true;
        Opened other = clamps ? open(path, skip) : open(vdata("mmproj-v-tiny.gguf"));
        QVERIFY(o.gpu && other.gpu);
        const QImage img(vdata("rings-60x40.v-tiny.preproc.png"));
        const std::vector<float> input = encoderInputOf(img);
        SoftTokens gpu, cpu;
        QVERIFY(both(o, input, img.width(), img.height(), gpu, cpu));
        expectClose(cpu.values, gpu.values, kCpuMaxAbs, "vs CPU reference");
        auto base = other.gpu->encode(input, img.width(), img.height());
        QVERIFY(base.ok());
        const double moved = diffOf(base.value().values, gpu.values).maxAbs;
        qInfo("the variant moves the soft tokens by %.3g", moved);
        QVERIFY2(moved >= kWrongMinAbs, qPrintable(QString::number(moved)));
    }

    // A bigger random tower: head dim 64, 280 patches (3 blocks of attention
    // keys, several workgroups per row), clamps and standardization; q8_0
    // weights split into pieces (no GLU pairing); and the GPUs' path on
    // lavapipe (no texel buffers: the GEMM for products, geglu apart;
    // attention_bidir instead of attention_lanes).
    void biggerTowerMatchesCpu_data() {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("pieceBytes");
        QTest::addColumn<bool>("gemm");
        QTest::newRow("f16") << int(GgmlType::F16) << 0 << false;
        QTest::newRow("q8_0 in pieces") << int(GgmlType::Q8_0) << (32 << 10) << false;
        QTest::newRow("f16 through the GEMM") << int(GgmlType::F16) << 0 << true;
    }
    void biggerTowerMatchesCpu() {
        QFETCH(int, type);
        QFETCH(int, pieceBytes);
        QFETCH(bool, gemm);
        VisionDesc shape;
        shape.layers = 2, shape.width = 192, shape.heads = 3, shape.headDim = 64, shape.ffn = 384, shape.textWidth = 320;
        shape.patchSize = 8, shape.poolKernel = 2, shape.positionRows = 32;
        ProjectorOptions po;
        po.weightType = GgmlType(type);
        po.clamps = po.standardize = true;
        po.seed = 5;
        const QString path = dir_.filePath(QString("big-%1.gguf").arg(type));
        QVERIFY(writeRandomProjector(shape, po, path.toStdString()).ok());
        std::unique_ptr<vk::Device> gemmDevice;
        if (gemm) {
            vk::DeviceOptions d = plainOptions();
            d.noTexelBuffers = true;
            gemmDevice = makeDevice(*instance_, d);
            QVERIFY(gemmDevice);
        }
        VisionVulkanOptions vo;
        vo.upload.maxPieceBytes = uint64_t(pieceBytes);
        vo.bidirAttention = gemm;
        Opened o = open(path, vo, gemmDevice.get());
        QVERIFY(o.gpu);
        SoftTokens gpu, cpu;
        QVERIFY(both(o, syntheticInput(160, 112), 160, 112, gpu, cpu));
        QCOMPARE(gpu.count(), 10 * 7);
        expectClose(cpu.values, gpu.values, kBigCpuMaxAbs, "vs CPU reference");
        // The paths this row is for ran.
        const std::vector<std::string> ran = (gemm ? *gemmDevice : *device_).pipelines().shaderNames();
        for (const char* shader : gemm ? std::vector<const char*>{"mat_mat_f16", "geglu", "attention_bidir"}
                                       : std::vector<const char*>{"attention_lanes"})
            QVERIFY2(std::find(ran.begin(), ran.end(), shader) != ran.end(), shader);
    }

    // One tower, pictures of three sizes in turn (the activations grow, then
    // are reused): each as encodeImageCpu, the repeat bit for bit as the first.
    void picturesOfDifferentSizesShareOneTower() {
        Opened o = open(vdata("mmproj-v-tiny.f16.gguf"));
        QVERIFY(o.gpu);
        const int sizes[][2] = {{48, 36}, {96, 96}, {48, 36}};
        std::vector<float> first;
        for (const auto& s : sizes) {
            SoftTokens gpu, cpu;
            QVERIFY(both(o, syntheticInput(s[0], s[1]), s[0], s[1], gpu, cpu));
            expectClose(cpu.values, gpu.values, kCpuMaxAbs, qPrintable(QString("%1x%2").arg(s[0]).arg(s[1])));
            if (first.empty()) first = gpu.values;
        }
        auto again = o.gpu->encode(syntheticInput(48, 36), 48, 36);
        QVERIFY(again.ok());
        QVERIFY(again.value().values == first);
    }

    // The same checks and messages as encodeImageCpu.
    void badPicturesAreClearErrors() {
        Opened o = open(vdata("mmproj-v-tiny.gguf"));
        QVERIFY(o.gpu);
        const int cases[][3] = {{50, 48, 3 * 50 * 48}, {48, 48, 10}, {264, 12, 3 * 264 * 12}, {0, 12, 0}};
        for (const auto& c : cases) {
            const std::vector<float> input(size_t(c[2]), 0.5f);
            auto gpu = o.gpu->encode(input, c[0], c[1]);
            auto cpu = encodeImageCpu(*o.model, input, c[0], c[1]);
            QVERIFY(!gpu.ok() && !cpu.ok());
            QCOMPARE(QString::fromStdString(gpu.message()), QString::fromStdString(cpu.message()));
        }
    }

    // Every activation is one storage binding: a device binding 64 KiB holds
    // 65536 / (96 floats · 4) = 170 patches of v-tiny; more is refused by name.
    void bindingLimitBoundsThePicture() {
        vk::DeviceOptions d = plainOptions();
        d.maxBindingBytes = 64 << 10;
        auto small = makeDevice(*instance_, d);
        QVERIFY(small);
        Opened o = open(vdata("mmproj-v-tiny.gguf"), {}, small.get());
        QVERIFY(o.gpu);
        QCOMPARE(o.gpu->maxPatches(), 170);
        auto big = o.gpu->encode(syntheticInput(96, 96), 96, 96);
        QVERIFY(!big.ok());
        QVERIFY2(QString::fromStdString(big.message()).contains("576 patches") &&
                     QString::fromStdString(big.message()).contains("at most 170"),
                 big.message().c_str());
        SoftTokens gpu, cpu;
        QVERIFY(both(o, syntheticInput(48, 36), 48, 36, gpu, cpu));  // 108 patches
        expectClose(cpu.values, gpu.values, kCpuMaxAbs, "48x36");
    }

    // Past the device memory Facet may use (FACET_VK_MEMORY_LIMIT) for a
    // picture's activations: an error saying so; a smaller picture still runs after it.
    void outOfMemoryIsAnError() {
        vk::DeviceOptions d = plainOptions();
        d.memoryLimit = 3u << 20;
        auto dev = makeDevice(*instance_, d);
        QVERIFY(dev);
        Opened o = open(vdata("mmproj-v-tiny.gguf"), {}, dev.get());
        QVERIFY(o.gpu);
        auto big = o.gpu->encode(syntheticInput(240, 240), 240, 240);  // 3600 patches: ~8 MiB of activations
        QVERIFY(!big.ok());
        qInfo("%s", big.message().c_str());
        QVERIFY2(QString::fromStdString(big.message()).contains("a picture of 3600 patches needs"), big.message().c_str());
        auto small = o.gpu->encode(syntheticInput(48, 36), 48, 36);
        QVERIFY2(small.ok(), small.ok() ? "" : small.message().c_str());
    }

    // A lost device (injected on the first picture's submission) is an error,
    // and so is every later picture, without a crash.
    void deviceLossIsAnError() {
        vk::DeviceOptions d = plainOptions();
        d.loseDeviceOn = "vision";
        d.loseDeviceAtSubmit = 1;
        auto dev = makeDevice(*instance_, d);
        QVERIFY(dev);
        Opened o = open(vdata("mmproj-v-tiny.gguf"), {}, dev.get());
        QVERIFY(o.gpu);
        auto lost = o.gpu->encode(syntheticInput(48, 36), 48, 36);
        QVERIFY(!lost.ok());
        QVERIFY2(QString::fromStdString(lost.message()).contains("VK_ERROR_DEVICE_LOST"), lost.message().c_str());
        auto after = o.gpu->encode(syntheticInput(48, 36), 48, 36);
        QVERIFY(!after.ok());
        QVERIFY2(QString::fromStdString(after.message()).contains("was lost"), after.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstVkVision)
#include "tst_vk_vision.moc"
