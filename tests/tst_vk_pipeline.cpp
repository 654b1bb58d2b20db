// Pipelines and command recording: the embedded shader registry, SPIR-V
// reflection, pipelines refusing descriptions their module contradicts, the
// pipeline cache, and copies/fills/barriers through Cmd. Validation layer on;
// any validation message fails the test.
#include <QtTest>
#include <cstring>
#include <vector>

#include "shader_registry.h"
#include "support/vk_fixture.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"
#include "vulkan/vk_spirv.h"

using namespace facet;
using namespace facet::test;

class TstVkPipeline : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<vk::Instance> instance_;

    std::unique_ptr<vk::Device> makeDevice(const vk::DeviceOptions& o) { return test::makeDevice(*instance_, o); }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer (see the warning above)");
        QVERIFY2(makeDevice(plainOptions()), "no Vulkan device: these tests need one (lavapipe: mesa-vulkan-drivers)");
    }

    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

    void recordsCopiesFillsAndBarriers() {
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        auto a = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 4096, "a");
        auto b = vk::Buffer::create(*dev, vk::MemoryKind::Readback, 4096, "b");  // mapped on every device
        auto cmd = vk::Cmd::create(*dev, "copy test");
        QVERIFY(a.ok() && b.ok() && cmd.ok());
        vk::Cmd& c = *cmd.value();
        QVERIFY(c.begin().ok());
        QVERIFY(c.fill(a.value()->whole(), 0x3f800000u).ok());  // 1.0f
        c.computeToTransferBarrier();
        c.copy(a.value()->slice(0, 1024), b.value()->slice(2048, 1024));
        c.toHostBarrier();
        QVERIFY(!c.fill(a.value()->slice(2, 8), 0).ok());  // unaligned fill refused
        Status st = c.submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        QVERIFY(!c.pending());
        float f = 0;
        QVERIFY(b.value()->mapped());
        QVERIFY(b.value()->invalidate(0, 4096).ok());
        std::memcpy(&f, b.value()->mapped() + 2048 + 1020, 4);
        QCOMPARE(f, 1.0f);
        QVERIFY(!c.dispatch(1).ok());  // nothing bound
    }

    void reflectsShaderInterface() {
        const shaders::ShaderBlob* blob = shaders::findShader("rms_norm");
        QVERIFY(blob);
        QCOMPARE(QString::fromUtf8(blob->source.data(), int(blob->source.size())), QStringLiteral("rms_norm.comp"));
        QVERIFY(shaders::findShader("rms_norm_subgroup"));
        QVERIFY(!shaders::findShader("no_such_shader"));
        QVERIFY(shaders::allShaders().size() >= 2);
        auto iface = vk::reflectSpirv({blob->words, blob->wordCount}, "rms_norm");
        QVERIFY2(iface.ok(), iface.ok() ? "" : iface.message().c_str());
        // rms_norm.comp declares 14 push scalars, spec constants 0..4 and bindings 0..6.
        QCOMPARE(iface->pushBytes, 56u);
        QCOMPARE(iface->specIds, (std::vector<uint32_t>{0, 1, 2, 3, 4}));
        QCOMPARE(int(iface->bindings.size()), 7);
        for (uint32_t i = 0; i < 7; ++i) QCOMPARE(iface->bindings[i].binding, i);
        const uint32_t junk[] = {1, 2, 3, 4, 5, 6};
        QVERIFY(!vk::reflectSpirv(junk, "junk").ok());
    }

    void pipelineRefusesWhatTheShaderDoesNotDeclare_data() {
        QTest::addColumn<int>("pushBytes");
        QTest::addColumn<int>("bindings");
        QTest::addColumn<QList<int>>("specIds");
        QTest::addColumn<QString>("error");  // "" = created
        const QList<int> all{0, 1, 2, 3, 4};
        QTest::newRow("as declared") << 56 << 7 << all << QString();
        QTest::newRow("wrong push size") << 52 << 7 << all << "push block has 56";
        QTest::newRow("too few bindings") << 56 << 6 << all << "binding 6";
        QTest::newRow("constant left to its default") << 56 << 7 << QList<int>{0, 1, 2, 3} << "constant 4 is not set";
        QTest::newRow("unknown constant") << 56 << 7 << QList<int>{0, 1, 2, 3, 4, 9} << "constant 9 does not exist";
    }

    void pipelineRefusesWhatTheShaderDoesNotDeclare() {
        QFETCH(int, pushBytes);
        QFETCH(int, bindings);
        QFETCH(QList<int>, specIds);
        QFETCH(QString, error);
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        vk::PipelineDesc d;
        d.shader = "rms_norm";
        d.pushBytes = uint32_t(pushBytes);
        d.bindings = uint32_t(bindings);
        for (int id : specIds) d.spec.push_back(vk::SpecConstant::u32(uint32_t(id), id == 0 ? 64 : 1));
        auto p = dev->pipelines().get(d);
        if (error.isEmpty()) {
            QVERIFY2(p.ok(), p.ok() ? "" : p.message().c_str());
            QCOMPARE(p.value()->pushBytes(), 56u);
            auto again = dev->pipelines().get(d);  // built once
            QVERIFY(again.ok() && again.value() == p.value());
            QCOMPARE(int(dev->pipelines().size()), 1);
        } else {
            QVERIFY(!p.ok());
            QVERIFY2(QString::fromStdString(p.message()).contains(error), p.message().c_str());
        }
    }

    void pipelineCacheRoundTrips() {
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        QVERIFY(!dev->pipelines().cacheData().ok());
        QVERIFY(dev->pipelines().enableCache().ok());
        vk::PipelineDesc d;
        d.shader = "rms_norm";
        d.pushBytes = 56;
        d.bindings = 7;
        d.spec = {vk::SpecConstant::u32(0, 128), vk::SpecConstant::boolean(1, true),
                  vk::SpecConstant::boolean(2, false), vk::SpecConstant::boolean(3, false),
                  vk::SpecConstant::boolean(4, false)};
        QVERIFY(dev->pipelines().get(d).ok());
        auto data = dev->pipelines().cacheData();
        QVERIFY(data.ok());
        QVERIFY(dev->pipelines().enableCache(data.value()).ok());  // seeds a new cache from the bytes
    }
};

QTEST_GUILESS_MAIN(TstVkPipeline)
#include "tst_vk_pipeline.moc"
