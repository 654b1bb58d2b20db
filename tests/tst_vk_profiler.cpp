// DispatchProfiler (facet-bench --profile): every dispatch of a profiled
// submission is charged to its shader, sums accumulate over submissions,
// dispatches past the capacity are counted as overflow, and stamping does
// not change what the shaders compute. Validation layer on; any message fails.
#include <QtTest>
#include <cstring>
#include <vector>

#include "cpu/elementwise.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/binary_op.h"
#include "vulkan/ops/geglu_op.h"
#include "vulkan/vk_profiler.h"

using namespace facet;
using namespace facet::test;

class TstVkProfiler : public VkOpTestCase {
    Q_OBJECT

    static constexpr int kN = 1031;

    // Three in-place adds a += b, then two GeGLUs out = geglu(a, b), with
    // barriers: what the profiler must see is 3 x "binary", 2 x "geglu".
    Status record(vk::Cmd& c, vk::Buffer& a, vk::Buffer& b, vk::Buffer& out) {
        vk::BinaryArgs add;
        add.op = cpu::BinaryOp::Add;
        add.a = add.out = a.whole();
        add.b = b.whole();
        add.nTok = 1;
        add.n = kN;
        for (int i = 0; i < 3; ++i) {
            FACET_TRY(vk::dispatchBinary(c, add));
            c.computeBarrier();
        }
        vk::GegluArgs g;
        g.g = a.whole();
        g.u = b.whole();
        g.out = out.whole();
        g.nTok = 1;
        g.n = kN;
        for (int i = 0; i < 2; ++i) FACET_TRY(vk::dispatchGeglu(c, g));
        return {};
    }

    // One profiled submission of record(); a + 3b must come back bit-exact.
    bool runOnce(vk::Device& dev, vk::DispatchProfiler* prof) {
        const std::vector<float> a = nonZero(kN, 0.01f, 2.0f, 7), b = nonZero(kN, 0.01f, 2.0f, 8);
        auto ba = makeBuffer(dev, a, "a");
        auto bb = makeBuffer(dev, b, "b");
        auto bo = makeBuffer(dev, std::vector<float>(kN, 0.f), "out");
        auto cmd = vk::Cmd::create(dev, "profiler test");
        if (!ba || !bb || !bo || !cmd.ok()) return false;
        cmd.value()->setProfiler(prof);
        Status st = cmd.value()->begin();
        if (st.ok()) st = record(*cmd.value(), *ba, *bb, *bo);
        // What the recording holds, as Cmd counts it (facet-bench's per-token counts).
        if (st.ok() && (cmd.value()->dispatches() != 5 || cmd.value()->barriers() != 3)) {
            qWarning("counted %u dispatches, %u barriers; recorded 5 and 3", cmd.value()->dispatches(),
                     cmd.value()->barriers());
            return false;
        }
        if (st.ok()) st = cmd.value()->submitAndWait();
        if (!st.ok()) {
            qWarning("%s", st.message().c_str());
            return false;
        }
        std::vector<float> got;
        if (!download(dev, *ba, got) || got.size() != a.size()) return false;
        for (int i = 0; i < kN; ++i) {
            float ref = a[i];
            for (int k = 0; k < 3; ++k) cpu::binary(cpu::BinaryOp::Add, &ref, &b[i], 0.f, &ref, 1);
            if (std::memcmp(&ref, &got[i], 4) != 0) {
                qWarning("index %d: ref %.9g, got %.9g", i, ref, got[i]);
                return false;
            }
        }
        return true;
    }

    static const vk::DispatchProfiler::Entry* find(const std::vector<vk::DispatchProfiler::Entry>& v,
                                                   const char* name) {
        for (const auto& e : v)
            if (e.name == name) return &e;
        return nullptr;
    }

private slots:
    void chargesEveryDispatchToItsShader() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto prof = vk::DispatchProfiler::create(*dev);
        QVERIFY2(prof.ok(), prof.ok() ? "" : prof.message().c_str());
        QVERIFY(runOnce(*dev, prof.value().get()));
        auto t = prof.value()->totals();
        QCOMPARE(t.size(), size_t(2));
        const auto* bin = find(t, "binary");
        const auto* gel = find(t, "geglu");
        QVERIFY(bin && gel);
        QCOMPARE(bin->count, uint64_t(3));
        QCOMPARE(gel->count, uint64_t(2));
        QVERIFY(bin->ms >= 0 && gel->ms >= 0);
        QVERIFY(prof.value()->totalMs() > 0);
        QVERIFY(t[0].ms >= t[1].ms);  // most time first

        // A second submission adds to the sums; an unprofiled one does not.
        QVERIFY(runOnce(*dev, prof.value().get()));
        QVERIFY(runOnce(*dev, nullptr));
        t = prof.value()->totals();
        QCOMPARE(find(t, "binary")->count, uint64_t(6));
        QCOMPARE(find(t, "geglu")->count, uint64_t(4));
        QCOMPARE(prof.value()->overflowed(), uint64_t(0));

        prof.value()->clear();
        QVERIFY(prof.value()->totals().empty());
        QCOMPARE(prof.value()->totalMs(), 0.0);
    }

    void dispatchesPastCapacityAreOverflow() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        auto prof = vk::DispatchProfiler::create(*dev, 4);  // the start stamp + 3 dispatches
        QVERIFY(prof.ok());
        QVERIFY(runOnce(*dev, prof.value().get()));  // results stay exact past the capacity
        const auto t = prof.value()->totals();
        QCOMPARE(t.size(), size_t(1));
        QCOMPARE(t[0].name, std::string("binary"));
        QCOMPARE(t[0].count, uint64_t(3));
        QCOMPARE(prof.value()->overflowed(), uint64_t(2));
    }
};

QTEST_GUILESS_MAIN(TstVkProfiler)
#include "tst_vk_profiler.moc"
