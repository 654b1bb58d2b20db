// VkForward records the likely next decode step while the GPU runs the
// current one (VkForwardOptions::recordAhead). Whatever the calls do in
// between — logits or top-k, prefill, rewind, reset, a profiler — every
// output must equal the output of a pass that records each step when it
// comes, bit for bit (the same commands either way), and the recordings
// made ahead must actually be used. The dispatches and barriers the decode
// steps recorded (facet-bench's per-token counts) are counted for every
// one-token step, those recorded ahead included, and agree with the
// profiler's count of the dispatches it stamped. Validation-layer messages
// fail the test.
#include <QtTest>

#include "model/model.h"
#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "vulkan/forward/vk_forward.h"
#include "vulkan/vk_profiler.h"
#include "vulkan/vk_weights.h"

using namespace facet;
using namespace facet::test;

class TstVkRecordAhead : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;

    // Everything a pass returns over one scripted session, in order.
    struct Transcript {
        std::vector<float> values;
        std::vector<int> ids;
        uint64_t ahead = 0;
        DecodeRecordStats decode;          // the whole session's one-token steps
        uint64_t profiledDispatches = 0;   // the record stats of the two profiled steps
        uint64_t profilerDispatches = 0;   // what the profiler stamped in them
    };

    void run(const Model& m, const vk::DeviceWeights& w, bool ahead, Transcript& t) {
        vk::VkForwardOptions o;
        o.maxContext = 32;
        o.maxBatch = 4;  // a 6-token prompt takes two chunks
        o.recordAhead = ahead;
        auto f = vk::VkForward::create(*device_, m, w, o);
        if (!f.ok()) {
            QFAIL(f.message().c_str());
        }
        vk::VkForward& fwd = *f.value();
        const int V = m.desc().vocab;
        auto tok = [&](int i) { return 3 + (i * 104729 + 17) % (V - 3); };
        std::vector<float> logits, vals;
        std::vector<int> ids;
        auto keep = [&](const Status& s) {
            QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
            t.values.insert(t.values.end(), logits.begin(), logits.end());
            t.values.insert(t.values.end(), vals.begin(), vals.end());
            t.ids.insert(t.ids.end(), ids.begin(), ids.end());
            logits.clear();
            vals.clear();
            ids.clear();
        };
        keep(fwd.forward({tok(0), tok(1), tok(2), tok(3), tok(4), tok(5)}, true, logits));  // all rows
        for (int i = 6; i < 9; ++i) keep(fwd.forward({tok(i)}, false, logits));           // logits steps
        for (int i = 9; i < 12; ++i) keep(fwd.forwardTopK({tok(i)}, 5, ids, vals));         // top-k steps
        keep(fwd.forwardTopK({tok(12)}, 3, ids, vals));                                     // another k
        keep(fwd.forward({tok(13)}, false, logits));                                        // back to logits
        QVERIFY(fwd.rewind(12));  // (within the sliding window)
        for (int i = 14; i < 17; ++i) keep(fwd.forwardTopK({tok(i)}, 5, ids, vals));
        keep(fwd.forwardTopK({tok(17), tok(18)}, 5, ids, vals));  // two tokens: a step not made ahead
        keep(fwd.forwardTopK({tok(19)}, 5, ids, vals));
        fwd.reset();
        keep(fwd.forwardTopK({tok(20), tok(21), tok(22)}, 5, ids, vals));
        keep(fwd.forwardTopK({tok(23)}, 5, ids, vals));
        // A profiler: steps record when they come (stamps), then ahead again.
        auto prof = vk::DispatchProfiler::create(*device_);
        QVERIFY(prof.ok());
        fwd.setProfiler(prof.value().get());
        const uint64_t before = fwd.stepsRecordedAhead();
        const uint64_t dispatchesBefore = fwd.decodeRecordStats().dispatches;
        keep(fwd.forwardTopK({tok(24)}, 5, ids, vals));
        keep(fwd.forwardTopK({tok(25)}, 5, ids, vals));
        QCOMPARE(fwd.stepsRecordedAhead(), before);
        QVERIFY(prof.value()->totalMs() > 0);
        t.profiledDispatches = fwd.decodeRecordStats().dispatches - dispatchesBefore;
        for (const auto& e : prof.value()->totals()) t.profilerDispatches += e.count;
        QCOMPARE(prof.value()->overflowed(), uint64_t(0));
        fwd.setProfiler(nullptr);
        for (int i = 26; i < 29; ++i) keep(fwd.forwardTopK({tok(i)}, 5, ids, vals));
        t.ahead = fwd.stepsRecordedAhead();
        t.decode = fwd.decodeRecordStats();
    }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
        device_ = makeDevice(*instance_, plainOptions());
        QVERIFY(device_);
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void sameOutputsAsRecordingEachStep_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("e2b-like (PLE, KV sharing)") << "e2b-like.gguf";
        QTest::newRow("moe-like") << "moe-like.gguf";
    }
    void sameOutputsAsRecordingEachStep() {
        QFETCH(QString, model);
        auto m = Model::open(dataFile(model).toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.message().c_str());
        auto w = vk::DeviceWeights::upload(*device_, *m.value(), {});
        QVERIFY2(w.ok(), w.ok() ? "" : w.message().c_str());
        Transcript now, ahead;
        run(*m.value(), *w.value(), false, now);
        if (QTest::currentTestFailed()) return;
        run(*m.value(), *w.value(), true, ahead);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(now.ahead, uint64_t(0));
        // Used: the logits steps, the top-k steps after the first of each k,
        // the steps after a rewind and after a reset.
        QVERIFY2(ahead.ahead >= 10, qPrintable(QString("%1 steps recorded ahead were used").arg(ahead.ahead)));
        QVERIFY(!now.values.empty());
        QCOMPARE(ahead.ids, now.ids);
        QCOMPARE(ahead.values.size(), now.values.size());
        QVERIFY(ahead.values == now.values);  // bit for bit

        // The script's one-token calls: 3 + 3 + 1 + 1 + 3 + 1 + 1 + 2 + 3.
        constexpr uint64_t kSteps = 18;
        QCOMPARE(now.decode.steps, kSteps);
        QCOMPARE(ahead.decode.steps, kSteps);
        // Recording ahead records the same commands, so the same counts.
        QCOMPARE(ahead.decode.dispatches, now.decode.dispatches);
        QCOMPARE(ahead.decode.barriers, now.decode.barriers);
        // Every dispatch the recordings counted was stamped by the profiler.
        QVERIFY(now.profiledDispatches > 0);
        QCOMPARE(now.profilerDispatches, now.profiledDispatches);
        QCOMPARE(ahead.profilerDispatches, ahead.profiledDispatches);
        // A step has a dispatch per layer at least, and a barrier after a dispatch or a copy at most.
        const uint64_t layers = m.value()->desc().nLayers;
        QVERIFY(now.decode.dispatches >= kSteps * layers);
        QVERIFY(now.decode.barriers > 0 && now.decode.barriers <= now.decode.dispatches + 2 * kSteps);
    }
};

QTEST_GUILESS_MAIN(TstVkRecordAhead)
#include "tst_vk_record_ahead.moc"
