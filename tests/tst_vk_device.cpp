// The Vulkan host layer: device listing and choice, capabilities, option and
// environment switches, the binding-range override, allocation limits and
// their error text, the arena, uploads with progress, the validation log
// itself, and `facet-cli devices`. Runs on lavapipe in CI with the validation
// layer on; any validation message fails the test. Pipelines and command
// recording: tst_vk_pipeline.
#include <QProcess>
#include <QtTest>
#include <bit>
#include <numeric>
#include <random>
#include <vector>

#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_descriptors.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_upload.h"
#include "support/hang_guard.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::vk::DeviceType)

namespace {

// Which option / variable switches which capability off.
struct Switch {
    const char* name;  // as DeviceCaps::switchedOff lists it
    const char* envVar;
    void (*set)(vk::DeviceOptions&);
    bool (*on)(const vk::DeviceCaps&);
};

const Switch kSwitches[] = {
    {"fp16", "FACET_VK_NO_FP16", [](vk::DeviceOptions& o) { o.noFp16 = true; },
     [](const vk::DeviceCaps& c) { return c.fp16; }},
    {"int8", "FACET_VK_NO_INT8", [](vk::DeviceOptions& o) { o.noInt8 = true; },
     [](const vk::DeviceCaps& c) { return c.int8; }},
    {"integer dot product", "FACET_VK_NO_INT_DOT", [](vk::DeviceOptions& o) { o.noIntDot = true; },
     [](const vk::DeviceCaps& c) { return c.integerDotProduct; }},
    {"16-bit storage", "FACET_VK_NO_16BIT_STORAGE", [](vk::DeviceOptions& o) { o.no16BitStorage = true; },
     [](const vk::DeviceCaps& c) { return c.storage16 || c.uniformAndStorage16; }},
    {"8-bit storage", "FACET_VK_NO_8BIT_STORAGE", [](vk::DeviceOptions& o) { o.no8BitStorage = true; },
     [](const vk::DeviceCaps& c) { return c.storage8 || c.uniformAndStorage8; }},
    {"subgroups", "FACET_VK_NO_SUBGROUPS", [](vk::DeviceOptions& o) { o.noSubgroups = true; },
     [](const vk::DeviceCaps& c) { return c.subgroupsInCompute || c.subgroupOps.basic || c.subgroupReduce(); }},
    {"subgroup size control", "FACET_VK_NO_SUBGROUP_SIZE_CONTROL",
     [](vk::DeviceOptions& o) { o.noSubgroupSizeControl = true; },
     [](const vk::DeviceCaps& c) { return c.subgroupSizeControl || c.computeFullSubgroups; }},
    {"texel buffers", "FACET_VK_NO_TEXEL_BUFFERS", [](vk::DeviceOptions& o) { o.noTexelBuffers = true; },
     [](const vk::DeviceCaps& c) { return c.texelBuffers; }},
};

vk::DeviceInfo fakeDevice(uint32_t index, const char* name, vk::DeviceType type, bool usable = true) {
    vk::DeviceInfo d;
    d.index = index;
    d.caps.name = name;
    d.caps.type = type;
    d.usable = usable;
    if (!usable) d.unusableReason = "Vulkan 1.1.0 (Facet needs 1.2)";
    return d;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Sets an environment variable for one scope.
struct CliOutcome {
    int exitCode = -1;
    QString out, err;
};

CliOutcome runCli(const QStringList& args, const QProcessEnvironment& env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    CliOutcome o;
    if (!p.waitForStarted(kHangMs) || !p.waitForFinished(kHangMs)) return o;
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

}  // namespace

class TstVkDevice : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<vk::Instance> instance_;
    std::vector<vk::DeviceInfo> devices_;

    std::unique_ptr<vk::Device> makeDevice(const vk::DeviceOptions& o) { return test::makeDevice(*instance_, o); }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer (see the warning above)");
        QVERIFY(instance_->validationEnabled());
        auto list = vk::listDevices(*instance_);
        QVERIFY2(list.ok(), list.ok() ? "" : list.message().c_str());
        devices_ = std::move(list).value();
        QVERIFY2(!devices_.empty(), "no Vulkan device: these tests need one (lavapipe: mesa-vulkan-drivers)");
    }

    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

    void listsUsableDevicesWithNames() {
        int usable = 0;
        for (const auto& d : devices_) {
            QVERIFY(!d.caps.name.empty());
            QVERIFY(d.usable || !d.unusableReason.empty());
            usable += d.usable;
        }
        QVERIFY(usable > 0);
    }

    // The last usable device (lavapipe in CI, the GPU on a GPU machine) by a
    // case-changed name and by index.
    void choosesDeviceByNameOrIndex() {
        const vk::DeviceInfo* target = nullptr;
        for (const auto& d : devices_)
            if (d.usable) target = &d;
        QVERIFY(target);
        const QString name = QString::fromStdString(target->caps.name);
        auto byName = vk::chooseDevice(devices_, name.toUpper().toStdString());  // case-insensitive
        QVERIFY2(byName.ok(), byName.ok() ? "" : byName.message().c_str());
        QCOMPARE(QString::fromStdString(devices_[byName.value()].caps.name), name);
        auto byIndex = vk::chooseDevice(devices_, std::to_string(target->index));
        QVERIFY(byIndex.ok());
        QCOMPARE(devices_[byIndex.value()].index, target->index);

        auto dev = makeDevice([&] {
            auto o = plainOptions();
            o.select = name.toLower().toStdString();
            return o;
        }());
        QVERIFY(dev);
        QCOMPARE(QString::fromStdString(dev->caps().name), name);
        QVERIFY(dev->queue() != VK_NULL_HANDLE);
    }

    void rejectsUnknownDeviceNamingWhatExists() {
        auto r = vk::chooseDevice(devices_, "no-such-gpu");
        QVERIFY(!r.ok());
        const QString m = QString::fromStdString(r.message());
        QVERIFY2(m.contains("no-such-gpu") && m.contains(QString::fromStdString(devices_[0].caps.name)), qPrintable(m));
    }

    void choosesByTypePreference_data() {
        QTest::addColumn<QList<int>>("types");  // DeviceType per fake device; negative = unusable
        QTest::addColumn<int>("expected");
        using T = vk::DeviceType;
        QTest::newRow("discrete beats integrated") << QList<int>{int(T::Integrated), int(T::Discrete)} << 1;
        QTest::newRow("integrated beats virtual and CPU")
            << QList<int>{int(T::Cpu), int(T::Virtual), int(T::Integrated)} << 2;
        QTest::newRow("virtual beats CPU") << QList<int>{int(T::Cpu), int(T::Virtual)} << 1;
        QTest::newRow("CPU alone") << QList<int>{int(T::Cpu)} << 0;
        QTest::newRow("first of equals") << QList<int>{int(T::Discrete), int(T::Discrete)} << 0;
        QTest::newRow("unusable discrete skipped") << QList<int>{-int(T::Discrete) - 1, int(T::Cpu)} << 1;
    }

    void choosesByTypePreference() {
        QFETCH(QList<int>, types);
        QFETCH(int, expected);
        std::vector<vk::DeviceInfo> list;
        for (int i = 0; i < types.size(); ++i) {
            const bool usable = types[i] >= 0;
            const auto t = static_cast<vk::DeviceType>(usable ? types[i] : -types[i] - 1);
            list.push_back(fakeDevice(uint32_t(i), "fake", t, usable));
        }
        auto r = vk::chooseDevice(list, "");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(int(r.value()), expected);
    }

    void refusesWhenNothingIsUsable() {
        auto r = vk::chooseDevice({fakeDevice(0, "old", vk::DeviceType::Discrete, false)}, "");
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.message()).contains("needs 1.2"), r.message().c_str());
        auto named = vk::chooseDevice({fakeDevice(0, "old", vk::DeviceType::Discrete, false)}, "old");
        QVERIFY(!named.ok());
        QVERIFY2(QString::fromStdString(named.message()).contains("not usable"), named.message().c_str());
    }

    void reportsSaneCaps() {
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        const vk::DeviceCaps& c = dev->caps();
        // Vulkan 1.2 minimums (spec, "Required Limits") and what Facet relies on.
        QVERIFY(c.apiVersion >= VK_API_VERSION_1_2);
        QVERIFY(std::has_single_bit(c.subgroupSize) && c.subgroupSize >= 1 && c.subgroupSize <= 128);
        QVERIFY(c.minSubgroupSize <= c.subgroupSize && c.subgroupSize <= c.maxSubgroupSize);
        QVERIFY(c.maxStorageBufferRange >= (uint64_t(1) << 27));
        QVERIFY(c.maxMemoryAllocationSize >= (uint64_t(1) << 30));
        QVERIFY(c.maxComputeSharedMemorySize >= 16384);
        QVERIFY(c.maxComputeWorkGroupInvocations >= 128);
        QVERIFY(c.maxComputeWorkGroupSize[0] >= 128);
        QVERIFY(c.maxComputeWorkGroupCount[0] >= 65535);
        QVERIFY(c.maxPushConstantsSize >= 128);
        QVERIFY(std::has_single_bit(c.minStorageBufferOffsetAlignment) && c.minStorageBufferOffsetAlignment <= 256);
        QVERIFY(c.deviceLocalBytes > 0);
        QVERIFY(!c.heaps.empty());
        QVERIFY(c.switchedOff.empty());
        if (c.driverName == "llvmpipe") {  // what docs/vulkan-llm-engines.md measured on this setup
            QCOMPARE(c.type, vk::DeviceType::Cpu);
            QCOMPARE(c.subgroupSize, 8u);
            QCOMPARE(c.maxStorageBufferRange, uint64_t(128) << 20);
            QCOMPARE(c.maxMemoryAllocationSize, uint64_t(2) << 30);
            QVERIFY(c.fp16 && c.int8 && c.storage16 && c.storage8);
            QVERIFY(c.subgroupReduce() && c.subgroupOps.shuffle && c.subgroupOps.ballot);
            QVERIFY(c.subgroupSizeControl && c.computeFullSubgroups);
            QVERIFY(c.hostVisibleDeviceLocal);
        }
    }

    void switchesOffFeatures_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<bool>("byEnv");
        for (int i = 0; i < int(std::size(kSwitches)); ++i) {
            QTest::addRow("%s by option", kSwitches[i].name) << i << false;
            QTest::addRow("%s by %s", kSwitches[i].name, kSwitches[i].envVar) << i << true;
        }
    }

    void switchesOffFeatures() {
        QFETCH(int, which);
        QFETCH(bool, byEnv);
        const Switch& s = kSwitches[which];
        std::unique_ptr<vk::Device> dev;
        if (byEnv) {
            ScopedEnv env(s.envVar, "1");
            dev = makeDevice(vk::DeviceOptions{});  // useEnv = true
        } else {
            vk::DeviceOptions o = plainOptions();
            s.set(o);
            dev = makeDevice(o);
        }
        QVERIFY(dev);
        QVERIFY2(s.on(dev->probedCaps()), "the device lacks this feature, so switching it off proves nothing");
        QVERIFY(!s.on(dev->caps()));
        QVERIFY(contains(dev->caps().switchedOff, s.name));
        QCOMPARE(int(dev->caps().switchedOff.size()), 1);
    }

    void overridesBindingRange_data() {
        QTest::addColumn<quint64>("option");
        QTest::addColumn<QByteArray>("env");
        QTest::addColumn<quint64>("expected");
        QTest::newRow("option") << quint64(4096) << QByteArray() << quint64(4096);
        QTest::newRow("env bytes") << quint64(0) << QByteArray("65536") << quint64(65536);
        QTest::newRow("env with suffix") << quint64(0) << QByteArray("1M") << (quint64(1) << 20);
        QTest::newRow("smaller of both") << quint64(8192) << QByteArray("64K") << quint64(8192);
        QTest::newRow("above the device limit") << (quint64(1) << 40) << QByteArray() << quint64(0);
    }

    void overridesBindingRange() {
        QFETCH(quint64, option);
        QFETCH(QByteArray, env);
        QFETCH(quint64, expected);
        std::unique_ptr<ScopedEnv> scoped;
        if (!env.isEmpty()) scoped = std::make_unique<ScopedEnv>("FACET_VK_MAX_BINDING_BYTES", env);
        vk::DeviceOptions o;  // useEnv
        o.maxBindingBytes = option;
        auto dev = makeDevice(o);
        QVERIFY(dev);
        const uint64_t want = expected ? expected : dev->probedCaps().maxStorageBufferRange;
        QCOMPARE(dev->caps().maxStorageBufferRange, want);

        // A binding one float larger than the range is refused with the
        // numbers. Where the range is the device's own, the buffer may not be
        // allocatable (NVIDIA: 4 GiB ranges, 4 GiB - 2 MiB allocations), so the
        // slice is checked without memory behind it.
        auto buf = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, std::min<uint64_t>(want, 1 << 20), "binding");
        QVERIFY2(buf.ok(), buf.ok() ? "" : buf.message().c_str());
        vk::BufferSlice big = buf.value()->whole();
        big.size = want + 4;
        const Status over = vk::checkBinding(*dev, big, "test binding 0");
        QVERIFY(!over.ok());
        const QString m = QString::fromStdString(over.message());
        QVERIFY2(m.contains("maxStorageBufferRange") && m.contains(QString::number(want)) &&
                     m.contains(QString::number(want + 4)) && m.contains("test binding 0"),
                 qPrintable(m));
        QVERIFY(vk::checkBinding(*dev, buf.value()->whole(), "fits").ok());
    }

    void rejectsMalformedBindingLimit() {
        ScopedEnv env("FACET_VK_MAX_BINDING_BYTES", "12Q");
        auto r = vk::DeviceOptions{}.withEnv();
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.message()).contains("FACET_VK_MAX_BINDING_BYTES='12Q'"), r.message().c_str());
    }

    // FACET_VK_MATMAT_TILE / FACET_VK_MATVEC_SHAPE (benchmark tuning): exactly
    // 5 / 3 positive numbers joined by x; anything else is refused by name.
    void parsesKernelTuning_data() {
        QTest::addColumn<QByteArray>("var");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("parsed");  // the numbers joined by x, or "" for an error
        QTest::newRow("tile") << QByteArray("FACET_VK_MATMAT_TILE") << QByteArray("128x64x16x8x4") << "128x64x16x8x4";
        QTest::newRow("tile short") << QByteArray("FACET_VK_MATMAT_TILE") << QByteArray("64x16") << "";
        QTest::newRow("tile long") << QByteArray("FACET_VK_MATMAT_TILE") << QByteArray("64x16x16x4x4x1") << "";
        QTest::newRow("tile zero") << QByteArray("FACET_VK_MATMAT_TILE") << QByteArray("64x0x16x4x4") << "";
        QTest::newRow("tile trailing x") << QByteArray("FACET_VK_MATMAT_TILE") << QByteArray("64x16x16x4x4x") << "";
        QTest::newRow("tile huge") << QByteArray("FACET_VK_MATMAT_TILE") << QByteArray("99999999999x1x8x1x1") << "";
        QTest::newRow("shape") << QByteArray("FACET_VK_MATVEC_SHAPE") << QByteArray("64x4x1") << "64x4x1";
        QTest::newRow("shape words") << QByteArray("FACET_VK_MATVEC_SHAPE") << QByteArray("wide") << "";
        QTest::newRow("shape comma") << QByteArray("FACET_VK_MATVEC_SHAPE") << QByteArray("64,4,1") << "";
    }

    void parsesKernelTuning() {
        QFETCH(QByteArray, var);
        QFETCH(QByteArray, value);
        QFETCH(QString, parsed);
        ScopedEnv env(var.constData(), value);
        auto r = vk::DeviceOptions{}.withEnv();
        if (parsed.isEmpty()) {
            QVERIFY(!r.ok());
            QVERIFY2(QString::fromStdString(r.message()).contains(QString("%1='%2'").arg(var, value)),
                     r.message().c_str());
            return;
        }
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QStringList got;
        if (var == "FACET_VK_MATMAT_TILE")
            for (uint32_t v : r.value().matMatTile) got << QString::number(v);
        else
            for (uint32_t v : r.value().matVecShape) got << QString::number(v);
        QCOMPARE(got.join('x'), parsed);
        // The device keeps them for the ops.
        auto dev = makeDevice(vk::DeviceOptions{});
        QVERIFY(dev);
        QCOMPARE(dev->matMatTileOverride(), r.value().matMatTile);
        QCOMPARE(dev->matVecShapeOverride(), r.value().matVecShape);
    }

    // FACET_VK_MATVEC_LAYOUT: groups, lanes or blocks (MatVecLayout's values).
    void parsesMatVecLayout() {
        const std::pair<const char*, uint32_t> known[] = {{"groups", 1}, {"lanes", 2}, {"Blocks", 3}};
        for (const auto& [name, value] : known) {
            ScopedEnv env("FACET_VK_MATVEC_LAYOUT", name);
            auto r = vk::DeviceOptions{}.withEnv();
            QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
            QCOMPARE(r.value().matVecLayout, value);
        }
        ScopedEnv env("FACET_VK_MATVEC_LAYOUT", "rows");
        auto bad = vk::DeviceOptions{}.withEnv();
        QVERIFY(!bad.ok());
        QVERIFY2(QString::fromStdString(bad.message()).contains("FACET_VK_MATVEC_LAYOUT='rows'"), bad.message().c_str());
    }

    // FACET_VK_NO_ROW_TILES: a CPU device that would store weights
    // row-interleaved (matVecTileRows) keeps them row after row.
    void rowTilesSwitchOff() {
        auto dev = makeDevice(vk::DeviceOptions{});
        QVERIFY(dev);
        if (dev->caps().type == vk::DeviceType::Cpu && dev->caps().texelBuffers) QVERIFY(vk::matVecTileRows(*dev) > 0);
        {
            ScopedEnv layout("FACET_VK_MATVEC_LAYOUT", "groups");  // products off the lanes layout: no tiles
            auto groups = makeDevice(vk::DeviceOptions{});
            QVERIFY(groups);
            QCOMPARE(vk::matVecTileRows(*groups), 0u);
        }
        ScopedEnv env("FACET_VK_NO_ROW_TILES", "1");
        auto r = vk::DeviceOptions{}.withEnv();
        QVERIFY(r.ok() && r.value().noRowTiles);
        auto off = makeDevice(vk::DeviceOptions{});
        QVERIFY(off && off->rowTilesOff());
        QCOMPARE(vk::matVecTileRows(*off), 0u);
    }

    void choosesDeviceFromEnv() {
        const vk::DeviceInfo* target = nullptr;
        for (const auto& d : devices_)
            if (d.usable) target = &d;
        QVERIFY(target);
        {
            ScopedEnv env("FACET_DEVICE", QByteArray::fromStdString(target->caps.name));
            auto dev = makeDevice(vk::DeviceOptions{});
            QVERIFY(dev);
            QCOMPARE(dev->caps().name, target->caps.name);
        }
        ScopedEnv env("FACET_DEVICE", "no-such-gpu");
        auto bad = vk::Device::create(*instance_, vk::DeviceOptions{});
        QVERIFY(!bad.ok());
        QVERIFY2(QString::fromStdString(bad.message()).contains("no-such-gpu"), bad.message().c_str());
    }

    void rejectsBufferLargerThanMaxAllocation() {
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        const uint64_t max = dev->caps().maxMemoryAllocationSize;
        auto r = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, max + 1, "weights");
        QVERIFY(!r.ok());
        const QString m = QString::fromStdString(r.message());
        // Names the buffer, the bytes needed, the limit and the device.
        QVERIFY2(m.contains("'weights'") && m.contains(QString::number(max + 1)) && m.contains(QString::number(max)) &&
                     m.contains("maxMemoryAllocationSize") && m.contains(QString::fromStdString(dev->name())),
                 qPrintable(m));
        auto zero = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 0, "nothing");
        QVERIFY(!zero.ok());
    }

    void formatsVulkanErrors() {
        QCOMPARE(QString::fromStdString(
                     vk::vkError("vkAllocateMemory", "weights, 1.2 GiB", VK_ERROR_OUT_OF_DEVICE_MEMORY).message),
                 QStringLiteral("vkAllocateMemory(weights, 1.2 GiB): VK_ERROR_OUT_OF_DEVICE_MEMORY"));
        QCOMPARE(QString::fromStdString(vk::vkResultName(VK_ERROR_OUT_OF_POOL_MEMORY)),
                 QStringLiteral("VK_ERROR_OUT_OF_POOL_MEMORY"));
        QCOMPARE(QString::fromStdString(vk::vkResultName(static_cast<VkResult>(-12345))),
                 QStringLiteral("VkResult(-12345)"));
        QVERIFY(QString::fromStdString(vk::vkError("vkQueueSubmit", "step", VK_ERROR_DEVICE_LOST).message)
                    .contains("recreated"));
        QCOMPARE(QString::fromStdString(vk::formatBytes(512)), QStringLiteral("512 B"));
        QCOMPARE(QString::fromStdString(vk::formatBytes(uint64_t(1288490189))), QStringLiteral("1.2 GiB"));
    }

    void arenaSubAllocatesAlignedRanges() {
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        vk::MemoryArena::Options ao;
        ao.blockBytes = 64 << 10;
        ao.name = "test arena";
        auto arena = vk::MemoryArena::create(*dev, ao);
        QVERIFY(arena.ok());
        vk::MemoryArena& a = *arena.value();
        QCOMPARE(a.maxAllocation(), VkDeviceSize(64 << 10));
        const VkDeviceSize align = std::max<VkDeviceSize>(dev->caps().minStorageBufferOffsetAlignment, 16);

        std::vector<vk::BufferSlice> got;
        for (VkDeviceSize bytes : {VkDeviceSize(4), VkDeviceSize(1001), VkDeviceSize(30000), VkDeviceSize(40000),
                                   VkDeviceSize(7), VkDeviceSize(65536)}) {
            auto s = a.allocate(bytes, "t");
            QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
            QCOMPARE(s->size, bytes);
            QCOMPARE(s->offset % align, VkDeviceSize(0));
            QVERIFY(s->offset + s->size <= s->buffer->size());
            QVERIFY(vk::checkBinding(*dev, s.value(), "arena range").ok());
            for (const auto& g : got)  // no overlap within a block
                QVERIFY(g.buffer != s->buffer || g.offset + g.size <= s->offset || s->offset + s->size <= g.offset);
            got.push_back(s.value());
        }
        QCOMPARE(int(a.blockCount()), 3);  // 4+1001+30000 | 40000+7 | 65536
        QVERIFY(a.bytesUsed() >= 4 + 1001 + 30000 + 40000 + 7 + 65536);

        auto tooBig = a.allocate((64 << 10) + 1, "lm_head");
        QVERIFY(!tooBig.ok());
        QVERIFY2(QString::fromStdString(tooBig.message()).contains("'lm_head' needs 64.0 KiB"),
                 tooBig.message().c_str());

        a.reset();
        QCOMPARE(a.bytesUsed(), VkDeviceSize(0));
        auto again = a.allocate(100, "after reset");
        QVERIFY(again.ok());
        QCOMPARE(again->buffer, got[0].buffer);  // blocks are reused
        QCOMPARE(int(a.blockCount()), 3);
    }

    void uploadsAndReadsBackWithProgress_data() {
        QTest::addColumn<bool>("forceStaging");
        QTest::addColumn<quint64>("chunkBytes");
        QTest::addColumn<QList<int>>("sizes");  // one item each, consecutive in one buffer
        QTest::newRow("mapped target, one item") << false << quint64(4096) << QList<int>{10007};
        QTest::newRow("staged, one item over many chunks") << true << quint64(4096) << QList<int>{50001};
        QTest::newRow("staged, items smaller and larger than a chunk")
            << true << quint64(8192) << QList<int>{3, 5000, 17000, 1, 8192, 40};
        QTest::newRow("staged, default chunk") << true << (quint64(16) << 20) << QList<int>{1 << 20};
    }

    void uploadsAndReadsBackWithProgress() {
        QFETCH(bool, forceStaging);
        QFETCH(quint64, chunkBytes);
        QFETCH(QList<int>, sizes);
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        vk::UploaderOptions uo;
        uo.chunkBytes = chunkBytes;
        uo.chunks = 2;
        uo.forceStaging = forceStaging;
        auto up = vk::Uploader::create(*dev, uo);
        QVERIFY2(up.ok(), up.ok() ? "" : up.message().c_str());

        const size_t total = std::accumulate(sizes.begin(), sizes.end(), size_t(0));
        auto buf = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, total + 64, "upload target");
        QVERIFY(buf.ok());
        std::vector<uint8_t> src(total);
        std::mt19937 rng(7);
        for (auto& b : src) b = static_cast<uint8_t>(rng());

        std::vector<vk::UploadItem> items;
        size_t off = 0;
        for (int n : sizes) {
            items.push_back({buf.value()->slice(off, size_t(n)), src.data() + off, size_t(n)});
            off += size_t(n);
        }
        std::vector<std::pair<uint64_t, uint64_t>> calls;
        Status st = up.value()->upload(items, [&](uint64_t done, uint64_t all) { calls.push_back({done, all}); });
        QVERIFY2(st.ok(), st.message().c_str());

        QVERIFY(!calls.empty());
        for (size_t i = 0; i < calls.size(); ++i) {
            QCOMPARE(calls[i].second, uint64_t(total));
            if (i) QVERIFY(calls[i].first >= calls[i - 1].first);
        }
        QCOMPARE(calls.back().first, uint64_t(total));
        QVERIFY(calls.size() >= (total + chunkBytes - 1) / chunkBytes);  // at least one call per chunk

        std::vector<uint8_t> back(total, 0);
        st = up.value()->download(buf.value()->slice(0, total), back.data(), total);
        QVERIFY2(st.ok(), st.message().c_str());
        QVERIFY(back == src);
    }

    // The log that cleanup() checks really receives the layer's messages:
    // an invalid create-info and a copy that races a fill without a barrier.
    void validationLogCatchesMisuse_data() {
        QTest::addColumn<bool>("hazard");
        QTest::newRow("invalid usage flags") << false;
        QTest::newRow("read after write without a barrier") << true;
    }

    void validationLogCatchesMisuse() {
        QFETCH(bool, hazard);
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        QCOMPARE(instance_->validation().count(), 0);
        if (!hazard) {
            auto bci = vk::vkStruct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
            bci.size = 64;
            bci.usage = 0;  // VUID-VkBufferCreateInfo-usage-requiredbitmask
            VkBuffer b = VK_NULL_HANDLE;
            if (vkCreateBuffer(dev->handle(), &bci, nullptr, &b) == VK_SUCCESS)
                vkDestroyBuffer(dev->handle(), b, nullptr);
        } else {
            auto a = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 256, "a");
            auto b = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 256, "b");
            auto cmd = vk::Cmd::create(*dev, "hazard");
            QVERIFY(a.ok() && b.ok() && cmd.ok());
            QVERIFY(cmd.value()->begin().ok());
            QVERIFY(cmd.value()->fill(a.value()->whole(), 1).ok());
            cmd.value()->copy(a.value()->whole(), b.value()->whole());  // SYNC-HAZARD-READ-AFTER-WRITE
            QVERIFY(cmd.value()->submitAndWait().ok());
        }
        const int n = instance_->validation().count();
        const std::string text = instance_->validation().summary(1);
        instance_->validation().clear();
        QVERIFY2(n > 0, "the validation layer reported nothing");
        QVERIFY2(QString::fromStdString(text).contains(hazard ? "SYNC-HAZARD" : "usage"), text.c_str());
    }

    void cliListsDevices() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FACET_VK_NO_FP16", "1");
        const CliOutcome o = runCli({"devices", "--validation"}, env);
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QVERIFY2(o.out.contains(QString::fromStdString(devices_[0].caps.name)), qPrintable(o.out));
        QVERIFY2(o.out.contains("* device") && o.out.contains("subgroups: size") && o.out.contains("storage binding") &&
                     o.out.contains("switched off: fp16"),
                 qPrintable(o.out));
    }

    void cliFailsInOneLineWithoutVulkan() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("VK_DRIVER_FILES", "/nonexistent/facet_icd.json");  // the loader finds no driver
        env.insert("VK_ICD_FILENAMES", "/nonexistent/facet_icd.json");
        const CliOutcome o = runCli({"devices"}, env);
        QCOMPARE(o.exitCode, 1);
        QVERIFY2(o.out.isEmpty(), qPrintable(o.out));
        QCOMPARE(o.err.count('\n'), 1);
        QVERIFY2(o.err.startsWith("facet-cli: ") && o.err.contains("Vulkan is not available"), qPrintable(o.err));
    }
};

QTEST_GUILESS_MAIN(TstVkDevice)
#include "tst_vk_device.moc"
