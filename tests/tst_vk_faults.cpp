// The device layer's two test levers, which the app's tests rely on to reach
// its failure paths on any machine: a cap on the device memory Facet may use
// (FACET_VK_MEMORY_LIMIT) and an injected VK_ERROR_DEVICE_LOST on the Nth
// submission of a named command buffer (FACET_VK_FAULT_DEVICE_LOST). A lost
// device stays lost: later submissions fail fast with a clear message.
#include <QtTest>

#include "core/host_memory.h"
#include "support/vk_fixture.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "core/result.h"

using namespace facet;
using namespace facet::test;

namespace {

// The heap DeviceLocal buffers land in: the largest device-local one.
uint32_t deviceLocalHeap(const vk::Device& dev) {
    const auto& mem = dev.memoryProperties();
    uint32_t best = 0;
    for (uint32_t h = 0; h < mem.memoryHeapCount; ++h)
        if ((mem.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) &&
            mem.memoryHeaps[h].size >= mem.memoryHeaps[best].size)
            best = h;
    return best;
}

}  // namespace

class TstVkFaults : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;

    std::unique_ptr<vk::Device> makeDevice(const vk::DeviceOptions& o) { return test::makeDevice(*instance_, o); }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer (see the warning above)");
    }

    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

    void memoryLimitCapsWhatIsAvailable() {
        auto o = plainOptions();
        o.memoryLimit = 3u << 20;
        auto dev = makeDevice(o);
        QVERIFY(dev);
        const uint32_t heap = deviceLocalHeap(*dev);
        const uint64_t before = dev->heapAvailable(heap);
        QVERIFY2(before <= o.memoryLimit, qPrintable(QString::number(before)));
        QVERIFY(before > 0);
        auto buf = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 1u << 20, "one MiB");
        QVERIFY(buf.ok());
        const uint64_t used = dev->heapAllocated(heap);
        QVERIFY(used >= 1u << 20);
        QCOMPARE(dev->heapAvailable(heap), std::min(before, o.memoryLimit - used));

        auto unlimited = makeDevice(plainOptions());
        QVERIFY(unlimited);
        QVERIFY(unlimited->heapAvailable(heap) > o.memoryLimit);
    }

    // A CPU device's memory is the host's: lavapipe's heap says 2 GiB on any
    // machine, the available bytes follow the host instead.
    void cpuDeviceCountsHostMemory() {
        auto dev = makeDevice(plainOptions());
        QVERIFY(dev);
        if (dev->caps().type != vk::DeviceType::Cpu) QSKIP("needs a CPU Vulkan device (lavapipe, as in CI)");
        const uint64_t host = hostAvailableMemory();
        QVERIFY2(host > 0, "no available-memory figure for this host");
        const uint64_t avail = dev->heapAvailable(deviceLocalHeap(*dev));
        // Both read moments apart: within 5% (other processes allocate too).
        QVERIFY2(avail > host / 100 * 95 && avail < host / 100 * 105,
                 qPrintable(QString("device %1, host %2").arg(avail).arg(host)));
    }

    void memoryLimitFromEnv() {
        ScopedEnv env("FACET_VK_MEMORY_LIMIT", "64M");
        auto r = vk::DeviceOptions{}.withEnv();
        QVERIFY(r.ok());
        QCOMPARE(r.value().memoryLimit, uint64_t(64) << 20);
        ScopedEnv bad("FACET_VK_MEMORY_LIMIT", "lots");
        auto e = vk::DeviceOptions{}.withEnv();
        QVERIFY(!e.ok());
        QVERIFY2(QString::fromStdString(e.message()).contains("FACET_VK_MEMORY_LIMIT='lots'"), e.message().c_str());
    }

    void faultSpecFromEnv_data() {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("name");
        QTest::addColumn<uint>("at");
        QTest::newRow("forward:3") << QByteArray("forward:3") << true << "forward" << 3u;
        QTest::newRow("upload chunk 0:1") << QByteArray("upload chunk 0:1") << true << "upload chunk 0" << 1u;
        QTest::newRow("no count") << QByteArray("forward") << false << "" << 0u;
        QTest::newRow("zero") << QByteArray("forward:0") << false << "" << 0u;
        QTest::newRow("not a number") << QByteArray("forward:x") << false << "" << 0u;
        QTest::newRow("no name") << QByteArray(":2") << false << "" << 0u;
    }

    void faultSpecFromEnv() {
        QFETCH(QByteArray, spec);
        QFETCH(bool, valid);
        ScopedEnv env("FACET_VK_FAULT_DEVICE_LOST", spec);
        auto r = vk::DeviceOptions{}.withEnv();
        QCOMPARE(r.ok(), valid);
        if (!valid) {
            QVERIFY2(QString::fromStdString(r.message()).contains("FACET_VK_FAULT_DEVICE_LOST"), r.message().c_str());
            return;
        }
        QFETCH(QString, name);
        QFETCH(uint, at);
        QCOMPARE(QString::fromStdString(r.value().loseDeviceOn), name);
        QCOMPARE(r.value().loseDeviceAtSubmit, at);
    }

    // The second "victim" submission is lost; other names do not count; once
    // lost, every submission fails at once and says the device was lost.
    void injectedDeviceLossIsLatched() {
        auto o = plainOptions();
        o.loseDeviceOn = "victim";
        o.loseDeviceAtSubmit = 2;
        auto dev = makeDevice(o);
        QVERIFY(dev);
        auto victim = vk::Cmd::create(*dev, "victim step");
        auto other = vk::Cmd::create(*dev, "bystander");
        QVERIFY(victim.ok() && other.ok());
        const auto run = [&](vk::Cmd& cmd) {  // an empty command buffer: nothing to synchronize
            Status s = cmd.begin();
            if (s.ok()) s = cmd.submitAndWait();
            return s;
        };
        QVERIFY(run(*victim.value()).ok());
        QVERIFY(run(*other.value()).ok());
        QVERIFY(run(*other.value()).ok());
        QVERIFY(!dev->lost());
        const Status lost = run(*victim.value());
        QVERIFY(!lost.ok());
        QVERIFY2(QString::fromStdString(lost.message()).contains("VK_ERROR_DEVICE_LOST"), lost.message().c_str());
        QVERIFY(dev->lost());
        const Status after = run(*other.value());
        QVERIFY(!after.ok());
        QVERIFY2(QString::fromStdString(after.message()).contains("was lost"), after.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstVkFaults)
#include "tst_vk_faults.moc"
