// moe_router.comp against its CPU twin facet::cpu::moeRoute: the same
// experts in the same order, weights within float rounding, ties to the
// lower id. Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <random>
#include <vector>

#include "cpu/moe_router.h"
#include "support/vk_fixture.h"
#include "vulkan/ops/moe_router_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_upload.h"

using namespace facet;
using namespace facet::test;

namespace {
// Softmax in fp32 (GPU) vs double sums (CPU): relative error ~ N·2^-24 for the
// normaliser, a few ulp per weight; weights are <= a few units, so 1e-5 absolute.
constexpr double kMaxAbsWeight = 1e-5;
}  // namespace

class TstVkMoeRouter : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
        auto d = vk::Device::create(*instance_, plainOptions());
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        device_ = std::move(d).value();
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void matchesCpuTwin_data() {
        QTest::addColumn<int>("nTok");
        QTest::addColumn<int>("nExperts");
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("ties");
        QTest::newRow("26B-A4B: 128 experts top-8, 5 tokens") << 5 << 128 << 8 << false;
        QTest::newRow("moe-like: 16 experts top-4, 41 tokens") << 41 << 16 << 4 << false;
        QTest::newRow("odd: 37 experts top-3") << 3 << 37 << 3 << false;
        QTest::newRow("exact ties go to the lower id") << 2 << 16 << 4 << true;
    }

    void matchesCpuTwin() {
        QFETCH(int, nTok);
        QFETCH(int, nExperts);
        QFETCH(int, k);
        QFETCH(bool, ties);
        std::mt19937 rng(uint32_t(nTok * 31 + nExperts));
        std::normal_distribution<float> nd(0.f, 2.f);
        std::uniform_real_distribution<float> sd(0.5f, 1.5f);
        std::vector<float> logits(size_t(nTok) * nExperts), scale(nExperts);
        for (auto& x : logits) x = nd(rng);
        for (auto& x : scale) x = sd(rng);
        if (ties)  // several experts share the top logit exactly
            for (int t = 0; t < nTok; ++t)
                for (int e : {3, 7, 9, 12, 14}) logits[size_t(t) * nExperts + e] = 9.0f;

        std::vector<int> refIds(size_t(nTok) * k);
        std::vector<float> refW(size_t(nTok) * k);
        for (int t = 0; t < nTok; ++t)
            cpu::moeRoute(&logits[size_t(t) * nExperts], nExperts, k, scale.data(), &refIds[size_t(t) * k],
                          &refW[size_t(t) * k]);

        vk::Device& dev = *device_;
        auto bl = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, logits.size() * 4, "logits");
        auto bs = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, scale.size() * 4, "scale");
        auto bi = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, refIds.size() * 4, "ids");
        auto bw = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, refW.size() * 4, "weights");
        QVERIFY(bl.ok() && bs.ok() && bi.ok() && bw.ok());
        auto up = vk::Uploader::create(dev, vk::UploaderOptions{});
        QVERIFY(up.ok());
        const vk::UploadItem items[] = {{bl.value()->whole(), logits.data(), logits.size() * 4},
                                        {bs.value()->whole(), scale.data(), scale.size() * 4}};
        QVERIFY(up.value()->upload(items).ok());
        auto cmd = vk::Cmd::create(dev, "moe router test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        vk::MoeRouterArgs a;
        a.logits = bl.value()->whole();
        a.expertScale = bs.value()->whole();
        a.ids = bi.value()->whole();
        a.weights = bw.value()->whole();
        a.nTok = uint32_t(nTok), a.nExperts = uint32_t(nExperts), a.k = uint32_t(k);
        Status st = vk::dispatchMoeRouter(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        QVERIFY(cmd.value()->submitAndWait().ok());
        std::vector<uint32_t> ids(refIds.size());
        std::vector<float> w(refW.size());
        QVERIFY(up.value()->download(bi.value()->whole(), ids.data(), ids.size() * 4).ok());
        QVERIFY(up.value()->download(bw.value()->whole(), w.data(), w.size() * 4).ok());
        double maxAbs = 0;
        for (size_t i = 0; i < ids.size(); ++i) {
            QCOMPARE(int(ids[i]), refIds[i]);
            maxAbs = std::max(maxAbs, std::abs(double(w[i]) - refW[i]));
        }
        qInfo("max |weight error| %.3g", maxAbs);
        QVERIFY(maxAbs <= kMaxAbsWeight);
        if (ties) QCOMPARE(ids[0], 3u);  // the lowest of the tied experts comes first
    }
};

QTEST_GUILESS_MAIN(TstVkMoeRouter)
#include "tst_vk_moe_router.moc"
