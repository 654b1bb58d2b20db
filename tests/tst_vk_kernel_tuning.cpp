// The decode GEMV's kernel tuner and its choices file: the file keeps each
// device's lines and drops what does not parse; the ops use a recorded
// shape only where it fits; the tuner gives every decode product a choice
// from its candidates, and the forward pass with those choices still
// matches the CPU reference; VulkanBackend measures once and loads after.
// Validation-layer messages fail every test that has a device.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "cpu/cpu_forward.h"
#include "model/model.h"
#include "runtime/vulkan_backend.h"
#include "support/model_factory.h"
#include "support/vk_fixture.h"
#include "vulkan/forward/vk_forward.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/ops/product_tuner.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_kernel_choices.h"
#include "vulkan/vk_pipeline.h"
#include "vulkan/vk_weights.h"

using namespace facet;
using namespace facet::test;

namespace {

// The bounds of tst_vk_forward (see there): vs the CPU reference with f16 K/V.
constexpr double kTolFirst = 2e-3;
constexpr double kTolVsCpu = 0.05;

std::string readAll(const QString& path) {
    std::ifstream in(path.toStdString());
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const QString& path, const std::string& text) { std::ofstream(path.toStdString()) << text; }

}  // namespace

class TstVkKernelTuning : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    QTemporaryDir tmp_;

    std::unique_ptr<Model> model(GgmlType type) {
        ModelDesc d;
        if (!variantByName("e2b-like", d)) return nullptr;
        d.hidden = 256;  // whole 256-value rows: the row-interleaved, 16-byte texel paths on lavapipe
        d.embedScale = 16.0f;
        MakeOptions mo;
        mo.weightType = type;
        mo.seed = 5;
        QString err;
        const QString path = writeModel(tmp_, QString("e2b-%1.gguf").arg(int(type)), d, mo, false, err);
        if (path.isEmpty()) qWarning("%s", qPrintable(err));
        if (path.isEmpty()) return nullptr;
        auto m = Model::open(path.toStdString());
        if (!m.ok()) qWarning("%s", m.message().c_str());
        return m.ok() ? std::move(m).value() : nullptr;
    }

    // Weights on `dev` and a forward pass of 16 positions in chunks of `maxBatch`.
    struct Pass {
        std::unique_ptr<vk::DeviceWeights> weights;
        std::unique_ptr<vk::VkForward> fwd;
    };
    static Pass makePass(vk::Device& dev, const Model& m, int maxBatch) {
        Pass p;
        auto w = vk::DeviceWeights::upload(dev, m, {});
        if (!w.ok()) {
            qWarning("upload: %s", w.message().c_str());
            return p;
        }
        vk::VkForwardOptions fo;
        fo.maxContext = 16;
        fo.maxBatch = maxBatch;
        auto f = vk::VkForward::create(dev, m, *w.value(), fo);
        if (!f.ok()) {
            qWarning("forward: %s", f.message().c_str());
            return p;
        }
        p.weights = std::move(w).value();
        p.fwd = std::move(f).value();
        return p;
    }

    static std::vector<int> prompt(int vocab) {
        std::vector<int> ids;
        for (int i = 0; i < 12; ++i) ids.push_back(3 + (i * 7919 + 13) % (vocab - 3));
        return ids;
    }

    // Tunes the products of a prefill chunk and a decode step of `m` on
    // `dev` (a few candidates each), checks every problem got a choice among
    // its candidates, then checks a prefill and decode steps with those
    // choices against the CPU reference.
    void tuneAndCompare(vk::Device& dev, const Model& m, bool expectLanes, bool expectGemm) {
        Pass pass = makePass(dev, m, 12);  // the logged chunk: 12 tokens
        QVERIFY(pass.fwd);
        vk::VkForward& fwd = *pass.fwd;

        vk::ProductLog log;
        Status s = fwd.logProducts(log);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        QVERIFY2(log.matVec.size() >= 10, qPrintable(QString("%1 GEMVs logged").arg(log.matVec.size())));
        QCOMPARE(log.matMat.empty(), !expectGemm);
        QCOMPARE(fwd.nPast(), 0);  // the runs were undone

        vk::ProductTuneOptions o;
        o.passes = 1;
        o.maxCandidates = expectGemm ? 3 : 5;
        o.gpuTilesOnCpu = true;
        auto r = vk::tuneProducts(dev, log, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(r->products, log.matVec.size() + log.matMat.size());
        QVERIFY(r->problems >= 5);
        QCOMPARE(r->tuned, r->problems);
        QCOMPARE(r->known, size_t(0));
        QVERIFY(r->timings > r->tuned);  // more than the defaults were timed
        QVERIFY(r->defaultMs > 0 && std::isfinite(r->defaultMs));
        QVERIFY(r->chosenMs > 0 && r->chosenMs <= r->defaultMs);
        for (const vk::MatVecArgs& a : log.matVec) {
            const auto n = dev.kernelChoices().find(vk::matVecChoiceKey(a));
            QVERIFY2(n && n->size() == 4, vk::matVecChoiceKey(a).c_str());
            const vk::MatVecShape chosen{(*n)[0], (*n)[1], (*n)[2], vk::MatVecLayout((*n)[3])};
            auto cands = vk::matVecCandidates(dev.caps(), a);
            cands.resize(std::min<size_t>(cands.size(), o.maxCandidates));
            auto def = vk::matVecDefaultShape(dev.caps(), a);
            QVERIFY(def.ok());
            cands[0] = def.value();
            QVERIFY2(std::any_of(cands.begin(), cands.end(), [&](const auto& c) { return c == chosen; }),
                     vk::matVecChoiceKey(a).c_str());
            QCOMPARE(chosen.layout == vk::MatVecLayout::Lanes, expectLanes);
        }
        for (const vk::MatMatArgs& a : log.matMat) {
            const auto n = dev.kernelChoices().find(vk::matMatChoiceKey(a));
            QVERIFY2(n && n->size() == 6, vk::matMatChoiceKey(a).c_str());
            auto cands = vk::matMatCandidates(dev.caps(), a, true);
            cands.resize(std::min<size_t>(cands.size(), o.maxCandidates));
            cands[0] = vk::matMatTile(dev.caps(), a.nTok);
            QVERIFY2(std::any_of(cands.begin(), cands.end(),
                                 [&](const auto& c) { return vk::matMatChoiceNumbers(c) == *n; }),
                     vk::matMatChoiceKey(a).c_str());
        }
        // Tuning again measures nothing: every problem is known.
        auto again = vk::tuneProducts(dev, log, o);
        QVERIFY(again.ok());
        QCOMPARE(again->tuned, size_t(0));
        QCOMPARE(again->known, r->problems);

        // 10 tokens as one chunk (the tuned GEMM bucket or 8-token GEMVs), then two decode steps.
        const std::vector<int> ids = prompt(m.desc().vocab);
        std::vector<float> gpu, step;
        s = fwd.forward({ids.begin(), ids.begin() + 10}, true, gpu);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        for (int i = 10; i < 12; ++i) {
            QVERIFY(fwd.forward({ids[i]}, true, step).ok());
            gpu.insert(gpu.end(), step.begin(), step.end());
        }
        std::vector<float> cpu;
        cpu::CpuForward c(m.desc(), m.weights(), 16);
        c.setHalfKv(true);
        QVERIFY(c.forward(ids, true, cpu).ok());
        QCOMPARE(gpu.size(), cpu.size());
        const size_t V = m.desc().vocab;
        double first = 0, worst = 0;
        for (size_t i = 0; i < gpu.size(); ++i) {
            const double d = std::fabs(double(gpu[i]) - cpu[i]);
            if (!(d <= worst)) worst = d;
            if (i < V && !(d <= first)) first = d;
        }
        qInfo("tuned: %zu problems, %zu changed, %.3f -> %.3f ms; max |vulkan - cpu| = %.3g", r->tuned, r->changed,
              r->defaultMs, r->chosenMs, worst);
        QVERIFY2(first <= kTolFirst, qPrintable(QString("position 0 differs by %1").arg(first)));
        QVERIFY2(worst <= kTolVsCpu, qPrintable(QString("max logit difference %1").arg(worst)));
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

    void choicesFileKeepsDevicesAndDropsJunk() {
        const QString path = tmp_.filePath("a/b/choices.txt");  // the folders do not exist yet
        vk::KernelChoices mine("dev:1");
        QCOMPARE(mine.load(path.toStdString()).value().loaded, size_t(0));  // no file: nothing, no error
        mine.set("mat_vec q4_0 1536x6144 glu1 n1 tiles0", {64, 4, 1, 1});
        mine.set("mat_vec f16 64x256 glu0 n1 tiles0", {32, 2, 1, 3});
        QVERIFY(mine.save(path.toStdString()).ok());
        QVERIFY(!QFile::exists(path + ".tmp"));

        vk::KernelChoices other("dev:2");
        other.set("mat_vec q4_0 1536x6144 glu1 n1 tiles0", {256, 8, 1, 3});
        QVERIFY(other.save(path.toStdString()).ok());  // keeps dev:1's lines

        vk::KernelChoices back("dev:1");
        auto r = back.load(path.toStdString());
        QVERIFY(r.ok());
        QCOMPARE(r->loaded, size_t(2));
        QCOMPARE(r->otherDevices, size_t(1));
        QCOMPARE(back.find("mat_vec q4_0 1536x6144 glu1 n1 tiles0").value(), (std::vector<uint32_t>{64, 4, 1, 1}));
        QCOMPARE(back.find("mat_vec f16 64x256 glu0 n1 tiles0").value(), (std::vector<uint32_t>{32, 2, 1, 3}));
        QVERIFY(!back.find("mat_vec q8_0 1x1 glu0 n1 tiles0"));

        // Junk a crash or a hand edit could leave: every such line is dropped.
        writeAll(path, readAll(path) +
                           "dev:1 torn line without numbers\n"
                           "dev:1 mat_vec q8_0 9x9 glu0 n1 tiles0 =\n"
                           "dev:1 mat_vec q8_0 9x9 glu0 n1 tiles0 = 1 x 3\n"
                           "dev:1 mat_vec q8_0 9x9 glu0 n1 tiles0 = 99999999999 1 1 1\n"
                           "dev:1 mat_vec q8_0 9x9 glu0 n1 tiles0 = -1 1 1 1\n"
                           "dev:1 a = 1 = 2\n"
                           " = 1 2 3\n"
                           "\x01\x02\xff garbage\n");
        vk::KernelChoices junk("dev:1");
        r = junk.load(path.toStdString());
        QVERIFY(r.ok());
        QCOMPARE(r->loaded, size_t(2));
        QCOMPARE(r->malformed, size_t(8));
        QVERIFY(!junk.find("mat_vec q8_0 9x9 glu0 n1 tiles0"));
        // Saving rewrites the file without the junk, other devices kept.
        QVERIFY(junk.save(path.toStdString()).ok());
        vk::KernelChoices clean("dev:2");
        r = clean.load(path.toStdString());
        QCOMPARE(r->malformed, size_t(0));
        QCOMPARE(r->loaded, size_t(1));
        QCOMPARE(r->otherDevices, size_t(2));

        // A path that cannot be written is an error, not a crash.
        QVERIFY(!mine.save(tmp_.filePath("a/b/choices.txt/inside").toStdString()).ok());
    }

    void deviceIdNamesDriverFeaturesAndBuild() {
        vk::DeviceCaps c;
        c.name = "Some GPU = fast";
        c.vendorId = 0x10de;
        c.driverVersion = 7;
        const std::string id = vk::kernelDeviceId(c);
        QVERIFY2(id.find(' ') == std::string::npos && id.find('=') == std::string::npos, id.c_str());
        QVERIFY(id.find("10de") != std::string::npos);
        vk::DeviceCaps newer = c;
        newer.driverVersion = 8;
        QVERIFY(vk::kernelDeviceId(newer) != id);
        vk::DeviceCaps off = c;
        off.switchedOff = {"subgroups"};
        QVERIFY(vk::kernelDeviceId(off) != id);
    }

    // A recorded shape is used where it fits, ignored where it does not;
    // products with their own shape are neither logged nor changed.
    void opsUseFittingChoicesOnly() {
        vk::DeviceOptions o = plainOptions();
        o.noTexelBuffers = true;  // the GPU family: groups by default
        auto dev = makeDevice(*instance_, o);
        QVERIFY(dev);
        auto m = model(GgmlType::Q8_0);
        QVERIFY(m);
        Pass f = makePass(*dev, *m, 1);  // every position a decode step: the tuned products run
        QVERIFY(f.fwd);
        vk::ProductLog log;
        QVERIFY(f.fwd->logProducts(log).ok());
        QVERIFY(!log.matVec.empty());
        const vk::MatVecArgs& q8 = *std::find_if(log.matVec.begin(), log.matVec.end(),
                                                 [](const auto& a) { return a.type == GgmlType::Q8_0 && a.pair.empty(); });
        const std::vector<int> ids = prompt(m->desc().vocab);
        std::vector<float> before, after;
        QVERIFY(f.fwd->forward(ids, true, before).ok());
        const size_t pipelines = dev->pipelines().size();
        auto hasBlocks = [&] {
            for (const std::string& n : dev->pipelines().shaderNames())
                if (n.find("mat_vec_q8_0_blocks") != std::string::npos) return true;
            return false;
        };
        QVERIFY(!hasBlocks());

        // Unusable records (not a power of two, an unknown layout, zeros):
        // the defaults run, nothing new is built.
        const std::string key = vk::matVecChoiceKey(q8);
        for (std::vector<uint32_t> bad : {std::vector<uint32_t>{48, 2, 1, 1}, {64, 2, 1, 9}, {0, 0, 0, 0}, {64, 2}}) {
            dev->kernelChoices().set(key, bad);
            f.fwd->reset();
            QVERIFY(f.fwd->forward(ids, true, after).ok());
            QCOMPARE(dev->pipelines().size(), pipelines);
            QCOMPARE(after, before);
        }
        // A fitting record: its layout runs (the blocks shader is built), same logits within rounding.
        dev->kernelChoices().set(key, {32, 2, 1, uint32_t(vk::MatVecLayout::Blocks)});
        f.fwd->reset();
        QVERIFY(f.fwd->forward(ids, true, after).ok());
        QVERIFY(hasBlocks());
        double worst = 0;
        for (size_t i = 0; i < after.size(); ++i) worst = std::max(worst, std::fabs(double(after[i]) - before[i]));
        QVERIFY2(worst <= kTolVsCpu, qPrintable(QString("%1").arg(worst)));

        // Explicit shapes are the caller's: not logged.
        auto cmd = vk::Cmd::create(*dev, "log");
        QVERIFY(cmd.ok());
        vk::ProductLog seen;
        cmd.value()->setProductLog(&seen);
        QVERIFY(cmd.value()->begin().ok());
        vk::MatVecArgs own = q8;
        own.shape = {64, 2, 1, vk::MatVecLayout::Groups};
        QVERIFY(vk::dispatchMatVec(*cmd.value(), own).ok());
        QVERIFY(seen.empty());
        cmd.value()->computeBarrier();  // both write y
        QVERIFY(vk::dispatchMatVec(*cmd.value(), q8).ok());
        QCOMPARE(seen.matVec.size(), size_t(1));
        QVERIFY(cmd.value()->submitAndWait().ok());
    }

    // The same for the prefill GEMM's tiles.
    void gemmUsesFittingTilesOnly() {
        vk::DeviceOptions o = plainOptions();
        o.noTexelBuffers = true;  // prefill through mat_mat
        auto dev = makeDevice(*instance_, o);
        QVERIFY(dev);
        auto m = model(GgmlType::Q8_0);
        QVERIFY(m);
        Pass f = makePass(*dev, *m, 12);
        QVERIFY(f.fwd);
        vk::ProductLog log;
        QVERIFY(f.fwd->logProducts(log).ok());
        QVERIFY(!log.matMat.empty());
        const std::vector<int> ids = prompt(m->desc().vocab);
        const std::vector<int> chunk(ids.begin(), ids.begin() + 10);
        std::vector<float> before, after;
        QVERIFY(f.fwd->forward(chunk, true, before).ok());
        const size_t pipelines = dev->pipelines().size();
        for (const vk::MatMatArgs& a : log.matMat) {
            dev->kernelChoices().set(vk::matMatChoiceKey(a), {64, 16, 12, 4, 4, 0});  // BK not a multiple of 8
            if (a.type == GgmlType::Q8_0) dev->kernelChoices().set(vk::matMatChoiceKey(a), {64, 16, 16, 64, 4, 0});
        }
        f.fwd->reset();
        QVERIFY(f.fwd->forward(chunk, true, after).ok());
        QCOMPARE(dev->pipelines().size(), pipelines);  // (TM 64 is past the tuner's range)
        QCOMPARE(after, before);
        for (const vk::MatMatArgs& a : log.matMat) dev->kernelChoices().set(vk::matMatChoiceKey(a), {32, 16, 16, 4, 4, 0});
        f.fwd->reset();
        QVERIFY(f.fwd->forward(chunk, true, after).ok());
        QVERIFY(dev->pipelines().size() > pipelines);  // the recorded tile was built and ran
        double worst = 0;
        for (size_t i = 0; i < after.size(); ++i) worst = std::max(worst, std::fabs(double(after[i]) - before[i]));
        QVERIFY2(worst <= kTolVsCpu, qPrintable(QString("%1").arg(worst)));
    }

    void candidatesFitTheDevice() {
        vk::DeviceOptions o = plainOptions();
        o.noTexelBuffers = true;
        auto gpuLike = makeDevice(*instance_, o);
        auto lanes = makeDevice(*instance_, plainOptions());
        QVERIFY(gpuLike && lanes);
        vk::MatVecArgs a;
        a.type = GgmlType::Q4_0;
        a.cols = 1536;
        a.rowEnd = 6144;
        for (vk::Device* d : {gpuLike.get(), lanes.get()})
            for (uint32_t tiles : {0u, 32u}) {
                if (tiles && d == gpuLike.get()) continue;
                a.tileRows = tiles;
                for (GgmlType t : {GgmlType::Q4_0, GgmlType::F16}) {
                    a.type = t;
                    const auto c = vk::matVecCandidates(d->caps(), a);
                    QVERIFY(c.size() >= 8);
                    QVERIFY(c[0] == vk::MatVecShape{});
                    const auto def = vk::matVecDefaultShape(d->caps(), a);
                    bool blocks = false;
                    for (size_t i = 1; i < c.size(); ++i) {
                        QVERIFY(c[i] != def.value());
                        QVERIFY(vk::matVecShape(d->caps(), 1, c[i], 6144, false,
                                                tiles ? std::optional(t) : std::nullopt).ok());
                        QCOMPARE(c[i].layout == vk::MatVecLayout::Lanes, d == lanes.get());
                        blocks |= c[i].layout == vk::MatVecLayout::Blocks;
                        for (size_t j = 1; j < i; ++j) QVERIFY(c[i] != c[j]);
                    }
                    QCOMPARE(blocks, d == gpuLike.get() && t == GgmlType::Q4_0);
                }
            }
    }

    // lavapipe's own family: row-interleaved weights, lanes shapes.
    void tunedLanesMatchCpu() {
        auto dev = makeDevice(*instance_, plainOptions());
        QVERIFY(dev);
        auto m = model(GgmlType::Q4_0);
        QVERIFY(m);
        tuneAndCompare(*dev, *m, true, false);
    }

    // The GPU family (texel buffers off): groups and blocks shapes.
    void tunedGroupsAndBlocksMatchCpu() {
        vk::DeviceOptions o = plainOptions();
        o.noTexelBuffers = true;
        auto dev = makeDevice(*instance_, o);
        QVERIFY(dev);
        auto m = model(GgmlType::Q4_K);
        QVERIFY(m);
        tuneAndCompare(*dev, *m, false, true);
    }

    // The time budget reads an injected clock, so what it trims is the
    // clock's to say: `readings` are what the clock returns, one per reading
    // (the last repeats). The tuner reads it when it starts measuring, after
    // the default's warm-up replay (what the passes of each candidate would
    // cost), and after each other candidate's warm-up (pipeline builds).
    // Without a budget every candidate is timed and the clock is never read.
    void budgetTrimsCandidates_data() {
        QTest::addColumn<QList<double>>("readings");
        QTest::addColumn<double>("budget");
        QTest::addColumn<int>("maxCandidates");  // 0: all
        QTest::addColumn<int>("kept");           // candidates per problem, the default included
        QList<double> everySecond;
        for (int i = 0; i < 64; ++i) everySecond << i;
        QTest::newRow("each replay 1 s: 2 passes of 5 candidates fit 10 s") << everySecond << 10.0 << 0 << 5;
        QTest::newRow("builds pass 10 s at the third candidate") << QList<double>{0, 0.001, 0.002, 100} << 10.0 << 0 << 3;
        QTest::newRow("1 us: the default and one more") << everySecond << 1e-6 << 0 << 2;
        QTest::newRow("no budget: all (of the first 4), clock unread") << QList<double>{1e6, 2e6, 3e6} << 0.0 << 4 << 4;
    }
    void budgetTrimsCandidates() {
        QFETCH(QList<double>, readings);
        QFETCH(double, budget);
        QFETCH(int, maxCandidates);
        QFETCH(int, kept);
        auto dev = makeDevice(*instance_, plainOptions());
        QVERIFY(dev);
        auto m = model(GgmlType::Q8_0);
        QVERIFY(m);
        Pass f = makePass(*dev, *m, 1);
        QVERIFY(f.fwd);
        vk::ProductLog log;
        QVERIFY(f.fwd->logProducts(log).ok());
        // Each problem's candidates, as the tuner lists them.
        std::map<std::string, size_t> candidates;
        for (const vk::MatVecArgs& a : log.matVec) {
            const size_t n = vk::matVecCandidates(dev->caps(), a).size();
            candidates[vk::matVecChoiceKey(a)] = maxCandidates ? std::min<size_t>(n, maxCandidates) : n;
        }
        size_t timed = 0, trimmed = 0;
        for (const auto& [key, n] : candidates)
            if (n > 1) {
                timed += std::min<size_t>(n, kept);
                trimmed += n - std::min<size_t>(n, kept);
            }
        QVERIFY2(budget == 0 || trimmed > 0, "no problem has more candidates than the budget keeps");

        vk::ProductTuneOptions o;
        o.passes = 1;
        o.budgetSeconds = budget;
        o.maxCandidates = static_cast<uint32_t>(maxCandidates);
        int read = 0;
        o.clock = [&] { return readings[std::min<int>(read++, readings.size() - 1)]; };
        int told = 0;
        o.onMeasure = [&] { ++told; };
        auto r = vk::tuneProducts(*dev, log, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(told, 1);
        QCOMPARE(r->trimmed, trimmed);
        QCOMPARE(r->timings, timed);
        QCOMPARE(r->tuned, candidates.size());
        QCOMPARE(dev->kernelChoices().size(), r->tuned);
        if (budget > 0) QVERIFY(read >= 2);
        else QCOMPARE(read, 0);
    }

    // A device lost while the tuner measures fails the load with the reason.
    void deviceLostWhileTuningFailsTheLoad() {
        auto m = model(GgmlType::Q8_0);
        QVERIFY(m);
        const ScopedEnv lose("FACET_VK_FAULT_DEVICE_LOST", "kernel tuner:1");
        VulkanBackendOptions o;
        o.maxContext = 16;
        o.maxBatch = 1;
        o.tune = 1;
        o.tuneBudgetSeconds = 0;
        o.kernelChoicesPath = "";
        auto b = VulkanBackend::create(*m, o);
        QVERIFY(!b.ok());
        QVERIFY2(QString::fromStdString(b.message()).contains("DEVICE_LOST"), b.message().c_str());
    }

    // Through VulkanBackend: measured at the first load and saved, loaded at
    // the next; a damaged file is measured again; FACET_VK_TUNE=0 is off.
    void backendMeasuresOnceThenLoads() {
        auto m = model(GgmlType::Q8_0);
        QVERIFY(m);
        VulkanBackendOptions o;
        o.maxContext = 16;
        o.maxBatch = 1;  // decode products only: two full measurements stay short on lavapipe
        o.tune = 1;
        o.tuneBudgetSeconds = 0;  // the same candidates whatever the machine's load
        o.tuneMaxCandidates = 3;
        o.kernelChoicesPath = tmp_.filePath("backend/choices.txt").toStdString();
        auto first = VulkanBackend::create(*m, o);
        QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
        const KernelTuning t1 = first.value()->kernelTuning();
        qInfo("%s", t1.message.c_str());
        QVERIFY(t1.ran);
        QVERIFY2(t1.problems >= 5, t1.message.c_str());
        QVERIFY2(t1.measured == t1.problems, t1.message.c_str());
        QVERIFY2(!QString::fromStdString(t1.message).contains("budget"), t1.message.c_str());
        QCOMPARE(t1.loaded, size_t(0));
        QVERIFY(t1.seconds > 0);
        const QString text = QString::fromStdString(readAll(QString::fromStdString(*o.kernelChoicesPath)));
        QCOMPARE(text.count(" = "), int(t1.problems));
        std::vector<int> ids;
        std::vector<float> vals;
        QVERIFY(first.value()->forwardTopK({2, 9, 17}, 4, ids, vals).ok());
        first.value().reset();

        auto second = VulkanBackend::create(*m, o);
        QVERIFY(second.ok());
        const KernelTuning t2 = second.value()->kernelTuning();
        QCOMPARE(t2.loaded, t1.problems);
        QCOMPARE(t2.measured, size_t(0));
        QVERIFY2(QString::fromStdString(t2.message).contains("all known"), t2.message.c_str());
        std::vector<int> ids2;
        std::vector<float> vals2;
        QVERIFY(second.value()->forwardTopK({2, 9, 17}, 4, ids2, vals2).ok());
        QCOMPARE(ids2, ids);  // the same choices, the same ranking
        second.value().reset();

        writeAll(QString::fromStdString(*o.kernelChoicesPath), "\xff\xfe not a choices file\n");
        auto third = VulkanBackend::create(*m, o);
        QVERIFY2(third.ok(), third.ok() ? "" : third.message().c_str());
        const KernelTuning t3 = third.value()->kernelTuning();
        QVERIFY2(t3.measured == t1.problems, t3.message.c_str());
        QVERIFY(QString::fromStdString(third.value()->kernelTuning().message).contains("unreadable"));
        third.value().reset();

        const ScopedEnv off("FACET_VK_TUNE", "0");
        auto fourth = VulkanBackend::create(*m, o);
        QVERIFY(fourth.ok());
        QVERIFY(!fourth.value()->kernelTuning().ran);
    }
};

QTEST_GUILESS_MAIN(TstVkKernelTuning)
#include "tst_vk_kernel_tuning.moc"
