// Barrier tracking (vk_barrier_tracker.h, Cmd::setBarrierTracking): the
// rules on their own (RAW, WAR and WAW on overlapping ranges wait; disjoint
// ranges of one buffer, other buffers and reads after reads do not), the
// write flags reflected from SPIR-V (readonly blocks, texel buffers), and a
// recording through Cmd: the barriers it places are counted, the chain's
// values are right, and the validation layer's synchronization checks (on
// in every Vulkan test) find no hazard. Explicit computeBarrier() calls
// record nothing while tracking.
#include <QtTest>
#include <vector>

#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/binary_op.h"
#include "vulkan/vk_barrier_tracker.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_pipeline.h"

using namespace facet;
using namespace facet::test;

namespace {

using Access = vk::BarrierTracker::Access;

// Two made-up buffer handles: the tracker only compares them.
VkBuffer bufferA() { return reinterpret_cast<VkBuffer>(uintptr_t(0x1000)); }
VkBuffer bufferB() { return reinterpret_cast<VkBuffer>(uintptr_t(0x2000)); }

// Whether the second dispatch must wait for the first.
bool waits(const std::vector<Access>& first, const std::vector<Access>& second) {
    vk::BarrierTracker t;
    t.bind(first);
    if (t.conflicts()) return true;  // (an empty stage never conflicts)
    t.dispatched();
    t.bind(second);
    return t.conflicts();
}

}  // namespace

class TstVkBarriers : public VkOpTestCase {
    Q_OBJECT

private slots:
    void rules_data() {
        QTest::addColumn<bool>("firstWrites");
        QTest::addColumn<int>("firstBegin");
        QTest::addColumn<int>("firstEnd");
        QTest::addColumn<bool>("secondWrites");
        QTest::addColumn<int>("secondBegin");
        QTest::addColumn<int>("secondEnd");
        QTest::addColumn<bool>("sameBuffer");
        QTest::addColumn<bool>("wait");
        QTest::newRow("read after write, overlapping") << true << 0 << 256 << false << 128 << 512 << true << true;
        QTest::newRow("write after read, overlapping") << false << 0 << 256 << true << 255 << 300 << true << true;
        QTest::newRow("write after write, inside") << true << 0 << 1024 << true << 256 << 512 << true << true;
        QTest::newRow("read after write, touching ends") << true << 0 << 256 << false << 256 << 512 << true << false;
        QTest::newRow("write after write, disjoint") << true << 0 << 256 << true << 512 << 768 << true << false;
        QTest::newRow("read after read") << false << 0 << 256 << false << 0 << 256 << true << false;
        QTest::newRow("read after write, other buffer") << true << 0 << 256 << false << 0 << 256 << false << false;
    }
    void rules() {
        QFETCH(bool, firstWrites);
        QFETCH(int, firstBegin);
        QFETCH(int, firstEnd);
        QFETCH(bool, secondWrites);
        QFETCH(int, secondBegin);
        QFETCH(int, secondEnd);
        QFETCH(bool, sameBuffer);
        QFETCH(bool, wait);
        const std::vector<Access> first{{bufferA(), VkDeviceSize(firstBegin), VkDeviceSize(firstEnd), firstWrites}};
        const std::vector<Access> second{
            {sameBuffer ? bufferA() : bufferB(), VkDeviceSize(secondBegin), VkDeviceSize(secondEnd), secondWrites}};
        QCOMPARE(waits(first, second), wait);
    }

    // A stage collects every dispatch since the last barrier: the third
    // dispatch waits for the first even when the second is unrelated, and a
    // barrier empties the stage.
    void stageSpansSeveralDispatches() {
        vk::BarrierTracker t;
        t.bind({{bufferA(), 0, 256, true}});
        t.dispatched();
        t.bind({{bufferB(), 0, 256, true}});
        QVERIFY(!t.conflicts());
        t.dispatched();
        t.bind({{bufferA(), 0, 64, false}});
        QVERIFY(t.conflicts());
        t.barrier();
        QVERIFY(!t.conflicts());
        t.dispatched();
        t.bind({{bufferB(), 0, 256, false}});
        QVERIFY(!t.conflicts());  // B's write is behind the barrier
        t.reset();
        t.bind({{bufferA(), 0, 256, true}});
        QVERIFY(!t.conflicts());
    }

    // binary.comp: a, b and the scalar are readonly blocks, out is written.
    void writeFlagsFromSpirv() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto buf = makeBuffer(*dev, std::vector<float>(256, 1.0f), "x");
        auto cmd = vk::Cmd::create(*dev, "flags");
        QVERIFY(buf && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::BinaryArgs a;
        a.op = vk::BinaryOp::Add;
        a.a = buf->slice(0, 256);
        a.b = buf->slice(256, 256);
        a.out = buf->slice(512, 256);
        a.nTok = 1;
        a.n = 64;
        QVERIFY(vk::dispatchBinary(*cmd.value(), a).ok());
        const vk::Pipeline* p = cmd.value()->bound();
        QVERIFY(p);
        QCOMPARE(p->bindings(), 4u);
        QVERIFY(!p->writes(0) && !p->writes(1) && !p->writes(2));
        QVERIFY(p->writes(3));
        QVERIFY(!p->writes(4));  // no such binding
        QVERIFY(cmd.value()->end().ok());
    }

    // c = a + b; d = b + b (independent); e = c + d (reads both): with
    // tracking one barrier, before e; the explicit ones record nothing.
    // Without tracking, the caller's two barriers.
    void trackedRecordingPlacesTheBarriersItNeeds_data() {
        QTest::addColumn<bool>("tracking");
        QTest::newRow("tracked") << true;
        QTest::newRow("as placed") << false;
    }
    void trackedRecordingPlacesTheBarriersItNeeds() {
        QFETCH(bool, tracking);
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        constexpr uint32_t n = 64;  // 256 bytes a vector, each at its own 256-byte-aligned offset
        std::vector<float> init(5 * n);
        for (uint32_t i = 0; i < n; ++i) init[i] = 1.0f + float(i), init[n + i] = 0.5f * float(i + 1);
        auto buf = makeBuffer(*dev, init, "vectors");
        auto cmd = vk::Cmd::create(*dev, "tracked");
        QVERIFY(buf && cmd.ok());
        vk::Cmd& c = *cmd.value();
        c.setBarrierTracking(tracking);
        QVERIFY(c.begin().ok());
        QCOMPARE(c.barrierTracking(), tracking);
        auto vec = [&](int i) { return buf->slice(uint64_t(i) * n * 4, n * 4); };
        auto add = [&](int a, int b, int out) {
            vk::BinaryArgs x;
            x.op = vk::BinaryOp::Add;
            x.a = vec(a);
            x.b = vec(b);
            x.out = vec(out);
            x.nTok = 1;
            x.n = n;
            return vk::dispatchBinary(c, x);
        };
        QVERIFY(add(0, 1, 2).ok());  // c
        QVERIFY(add(1, 1, 3).ok());  // d: reads b, writes its own range
        c.computeBarrier();
        QVERIFY(add(2, 3, 4).ok());  // e
        c.computeBarrier();
        QCOMPARE(c.barriers(), tracking ? 1u : 2u);
        QVERIFY(c.submitAndWait().ok());
        std::vector<float> got;
        QVERIFY(download(*dev, *buf, got));
        for (uint32_t i = 0; i < n; ++i) {
            const float a = init[i], b = init[n + i];
            QCOMPARE(got[2 * n + i], a + b);
            QCOMPARE(got[3 * n + i], b + b);
            QCOMPARE(got[4 * n + i], (a + b) + (b + b));
        }
    }

    // Write after read through Cmd: e = a + b, then a = b + b overwrites an
    // input of the first: one barrier, and e keeps the old a.
    void writeAfterReadWaits() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        constexpr uint32_t n = 64;
        std::vector<float> init(3 * n);
        for (uint32_t i = 0; i < 2 * n; ++i) init[i] = 0.25f * float(i + 3);
        auto buf = makeBuffer(*dev, init, "vectors");
        auto cmd = vk::Cmd::create(*dev, "war");
        QVERIFY(buf && cmd.ok());
        vk::Cmd& c = *cmd.value();
        c.setBarrierTracking(true);
        QVERIFY(c.begin().ok());
        auto vec = [&](int i) { return buf->slice(uint64_t(i) * n * 4, n * 4); };
        vk::BinaryArgs x;
        x.op = vk::BinaryOp::Add;
        x.nTok = 1;
        x.n = n;
        x.a = vec(0);
        x.b = vec(1);
        x.out = vec(2);
        QVERIFY(vk::dispatchBinary(c, x).ok());
        x.a = vec(1);
        x.out = vec(0);
        QVERIFY(vk::dispatchBinary(c, x).ok());
        QCOMPARE(c.barriers(), 1u);
        QVERIFY(c.submitAndWait().ok());
        std::vector<float> got;
        QVERIFY(download(*dev, *buf, got));
        for (uint32_t i = 0; i < n; ++i) {
            QCOMPARE(got[2 * n + i], init[i] + init[n + i]);
            QCOMPARE(got[i], init[n + i] + init[n + i]);
        }
    }
};

QTEST_GUILESS_MAIN(TstVkBarriers)
#include "tst_vk_barriers.moc"
