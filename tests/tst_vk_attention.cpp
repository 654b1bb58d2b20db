// attention.comp against its CPU twin facet::cpu::attendHead (house style
// rule 8): random non-zero q and f16 cache contents, decode and prefill
// shapes, GQA ratios, head dims 16..512, full and sliding masks, rings that
// wrap. Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <random>
#include <vector>

#include "cpu/attention.h"
#include "model/ggml_type.h"
#include "support/vk_fixture.h"
#include "support/vk_op_test.h"
#include "vulkan/ops/attention_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"
#include "vulkan/vk_upload.h"

using namespace facet;
using namespace facet::test;

namespace {

// Bounds: scores are fp32 dots of ≤ 512 products of |q|,|k| ≤ 1 (error ≲ 512·2^-24·|s| ≈ 3e-5 absolute at
// worst); exp() turns an absolute score error δ into a relative weight error δ, and the output is a convex
// combination of |v| ≤ 1, so |gpu − ref| ≲ 1e-4 in the worst case and far less typically. The online
// rescaling adds a few ulp per block. NMSE ≤ (1e-4)² = 1e-8; max abs 2e-4.
constexpr double kMaxNmse = 1e-8;
constexpr double kMaxAbs = 2e-4;

}  // namespace

class TstVkAttention : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    std::unique_ptr<vk::Device> noTexel_;  // texel buffers off: the storage-buffer module everywhere

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
        auto d = vk::Device::create(*instance_, plainOptions());
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        device_ = std::move(d).value();
        vk::DeviceOptions o = plainOptions();
        o.noTexelBuffers = true;
        auto n = vk::Device::create(*instance_, o);
        QVERIFY2(n.ok(), n.ok() ? "" : n.message().c_str());
        noTexel_ = std::move(n).value();
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        noTexel_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void matchesCpuTwin_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("nHeads");
        QTest::addColumn<int>("nKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("window");  // 0 = full
        QTest::addColumn<int>("pos0");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("splits");  // split-K ranges; 1 = one workgroup per (head, token); 0 = op's choice
        QTest::addColumn<bool>("texel");  // the device default (texel reads on a CPU device); false = texel buffers off
        struct Row {
            const char* name;
            int nTok, nHeads, nKv, headDim, window, pos0, capacity, splits;
        };
        const Row rows[] = {
            {"decode full hd256 8q/1kv", 1, 8, 1, 256, 0, 300, 512, 1},
            {"decode full hd512 8q/2kv long", 1, 8, 2, 512, 0, 1000, 1001, 1},
            {"prefill sliding w8 hd32 ring wraps", 17, 4, 2, 32, 8, 5, 25, 1},
            {"prefill sliding w12 hd16 8q/4kv", 13, 8, 4, 16, 12, 40, 25, 1},
            {"prefill full hd64 from 0", 9, 4, 1, 64, 0, 0, 9, 1},
            {"window wider than the past", 5, 2, 1, 32, 512, 10, 600, 1},
            {"decode sliding w512 hd256 at 100000", 1, 8, 1, 256, 512, 100000, 1024, 1},
            {"split-K decode full hd512 8q/2kv, 5 splits", 1, 8, 2, 512, 0, 1000, 1001, 5},
            {"split-K decode sliding w512 hd256, 16 splits", 1, 8, 1, 256, 512, 100000, 1024, 16},
            {"split-K 3 tokens, ring wraps, 3 splits (some empty)", 3, 4, 2, 32, 8, 5, 25, 3},
            // Past llvmpipe's loop limit (about 10k keys at head dim 512): the op
            // must split by itself (0 = scratch given, the op decides).
            {"long context hd512 24000 keys, op decides", 1, 2, 1, 512, 0, 24000, 24001, 0},
            {"long prefill hd256 3 tokens at 40000, op decides", 3, 2, 1, 256, 0, 40000, 40003, 0},
        };
        for (const Row& r : rows)
            for (bool texel : {true, false})
                QTest::addRow("%s%s", r.name, texel ? "" : ", no texel buffers")
                    << r.nTok << r.nHeads << r.nKv << r.headDim << r.window << r.pos0 << r.capacity << r.splits << texel;
    }

    void matchesCpuTwin() {
        QFETCH(int, nTok);
        QFETCH(int, nHeads);
        QFETCH(int, nKv);
        QFETCH(int, headDim);
        QFETCH(int, window);
        QFETCH(int, pos0);
        QFETCH(int, capacity);
        QFETCH(int, splits);
        QFETCH(bool, texel);
        vk::Device& dev = texel ? *device_ : *noTexel_;
        const int qW = nHeads * headDim, rowElems = nKv * headDim;
        const uint32_t seed = uint32_t(nTok * 131 + headDim * 7 + pos0);
        // Scaled so that scores spread over a few units, as after q/k norms.
        const std::vector<float> q = nonZero(size_t(nTok) * qW, 0.01f, 4.0f / std::sqrt(float(headDim)), seed);
        const std::vector<float> kf = nonZero(size_t(capacity) * rowElems, 0.01f, 1.0f, seed + 1);
        const std::vector<float> vf = nonZero(size_t(capacity) * rowElems, 0.01f, 1.0f, seed + 2);
        // The cache holds halves; the reference reads the same rounded values.
        std::vector<uint16_t> kh(kf.size()), vh(vf.size());
        std::vector<float> kr(kf.size()), vr(vf.size());
        for (size_t i = 0; i < kf.size(); ++i) {
            kh[i] = floatToHalf(kf[i]);
            vh[i] = floatToHalf(vf[i]);
            kr[i] = halfToFloat(kh[i]);
            vr[i] = halfToFloat(vh[i]);
        }

        std::vector<float> ref(size_t(nTok) * qW);
        const int group = nHeads / nKv;
        for (int t = 0; t < nTok; ++t) {
            const int p = pos0 + t;
            const int first = window ? std::max(0, p - window + 1) : 0;
            for (int h = 0; h < nHeads; ++h) {
                const size_t off = size_t(h / group) * headDim;
                auto key = [&](int j) { return &kr[size_t(j % capacity) * rowElems + off]; };
                auto val = [&](int j) { return &vr[size_t(j % capacity) * rowElems + off]; };
                cpu::attendHead(&q[size_t(t) * qW + size_t(h) * headDim], headDim, first, p, key, val,
                                &ref[size_t(t) * qW + size_t(h) * headDim]);
            }
        }

        const size_t qBytes = q.size() * 4, cBytes = kh.size() * 2;
        auto bq = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, qBytes, "q");
        auto bk = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, cBytes, "k cache");
        auto bv = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, cBytes, "v cache");
        auto bo = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, qBytes, "out");
        QVERIFY(bq.ok() && bk.ok() && bv.ok() && bo.ok());
        auto up = vk::Uploader::create(dev, vk::UploaderOptions{});
        QVERIFY(up.ok());
        const vk::UploadItem items[] = {{bq.value()->whole(), q.data(), qBytes},
                                        {bk.value()->whole(), kh.data(), cBytes},
                                        {bv.value()->whole(), vh.data(), cBytes}};
        Status st = up.value()->upload(items);
        QVERIFY2(st.ok(), st.message().c_str());

        vk::AttentionArgs a;
        a.q = bq.value()->whole();
        a.kCache = bk.value()->whole();
        a.vCache = bv.value()->whole();
        a.out = bo.value()->whole();
        a.nTok = uint32_t(nTok);
        a.nHeads = uint32_t(nHeads);
        a.nKvHeads = uint32_t(nKv);
        a.headDim = uint32_t(headDim);
        a.pos0 = uint32_t(pos0);
        a.window = uint32_t(window);
        a.capacity = uint32_t(capacity);
        const uint32_t room = splits ? uint32_t(splits) : vk::kAttentionMaxSplits;
        auto bs = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal,
                                     vk::attentionScratchBytes(nTok, nHeads, headDim, room), "scratch");
        QVERIFY(bs.ok());
        if (splits != 1) a.scratch = bs.value()->whole();
        if (splits > 1) a.splits = uint32_t(splits);
        auto cmd = vk::Cmd::create(dev, "attention test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        st = vk::dispatchAttention(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), splits != 1 ? 2u : 1u);  // op's choice rows split everywhere
        // The module under test is the one used (texel reads need head dim % 8).
        const bool wantTexel = texel && dev.caps().type == vk::DeviceType::Cpu && headDim % 8 == 0;
        if (splits == 1) QCOMPARE(cmd.value()->bound()->name() == "attention_texel", wantTexel);
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> got(q.size());
        st = up.value()->download(bo.value()->whole(), got.data(), qBytes);
        QVERIFY2(st.ok(), st.message().c_str());

        double num = 0, den = 0, maxAbs = 0;
        for (size_t i = 0; i < got.size(); ++i) {
            const double d = std::abs(double(got[i]) - ref[i]);
            num += d * d;
            den += double(ref[i]) * ref[i];
            if (d > maxAbs) maxAbs = d;
            QVERIFY2(d <= kMaxAbs, qPrintable(QString("element %1: ref %2, got %3").arg(i).arg(ref[i]).arg(got[i])));
        }
        const double nmse = num / den;
        qInfo("NMSE %.3g, max abs %.3g", nmse, maxAbs);
        QVERIFY(nmse <= kMaxNmse);
    }

    // The loop-limit rule itself, on described devices.
    void loopLimitSplitsOnlyOnLlvmpipe() {
        vk::DeviceCaps c;
        c.driverName = "llvmpipe";
        c.maxComputeSharedMemorySize = 32768;
        c.maxComputeWorkGroupInvocations = 1024;
        c.maxComputeWorkGroupSize = {1024, 1024, 1024};
        QCOMPARE(vk::attentionLoopLimitSplits(c, 512, 4096), 1u);
        QVERIFY(vk::attentionLoopLimitSplits(c, 512, 12000) >= 2u);  // wrong results there without (see matchesCpuTwin)
        QVERIFY(vk::attentionLoopLimitSplits(c, 256, 12000) <= vk::attentionLoopLimitSplits(c, 512, 12000));
        QVERIFY(vk::attentionLoopLimitSplits(c, 512, 131072) <= vk::kAttentionMaxSplits);  // E2B's whole context
        c.driverName = "NVIDIA";
        QCOMPARE(vk::attentionLoopLimitSplits(c, 512, 1u << 20), 1u);
    }

    // Without scratch, a context past the loop limit is an error, never a
    // silently truncated sum; other devices run it.
    void longContextWithoutScratch() {
        vk::Device& dev = *device_;
        const uint32_t keys = 24001, hd = 512;
        auto b = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, uint64_t(keys) * hd * 2, "buf");
        auto cmd = vk::Cmd::create(dev, "long");
        QVERIFY(b.ok() && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::AttentionArgs a;
        a.q = a.kCache = a.vCache = a.out = b.value()->whole();
        a.nTok = 1, a.nHeads = 1, a.nKvHeads = 1, a.headDim = hd, a.pos0 = keys - 1, a.window = 0, a.capacity = keys;
        const Status st = vk::dispatchAttention(*cmd.value(), a);
        if (vk::attentionLoopLimitSplits(dev.caps(), hd, keys) > 1) {
            QVERIFY(!st.ok());
            QVERIFY2(st.message().find("loop limit") != std::string::npos, st.message().c_str());
            QCOMPARE(cmd.value()->dispatches(), 0u);
        } else {
            QVERIFY2(st.ok(), st.message().c_str());
        }
        QVERIFY(cmd.value()->end().ok());
    }

    void refusesRingTooSmall() {
        vk::Device& dev = *device_;
        auto b = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, 1 << 16, "buf");
        auto cmd = vk::Cmd::create(dev, "bad");
        QVERIFY(b.ok() && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::AttentionArgs a;
        a.q = a.kCache = a.vCache = a.out = b.value()->whole();
        a.nTok = 4, a.nHeads = 2, a.nKvHeads = 1, a.headDim = 32, a.pos0 = 10, a.window = 0, a.capacity = 12;
        const Status st = vk::dispatchAttention(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("do not fit a cache of 12 slots") != std::string::npos, st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkAttention)
#include "tst_vk_attention.moc"
