// Shared by the forward-pass tests (tst_vk_forward, tst_vk_forward_paths):
// random-weight models of a variant and type, a Vulkan forward pass over
// them, and the comparison of its logits with the CPU reference.
//
// Oracle and tolerances (logits are softcapped to ±30): the CPU reference
// with its K/V rounded to f16 where they are made (CpuForward::setHalfKv), as
// the GPU cache stores them. The GPU accumulates in fp32 in another order
// (the CPU sums some dot products in double) and uses a float tanh, so the
// first position, which attends only to itself, agrees to ~1e-5 (bound
// kTolFirst). Later positions read K/V whose f16 rounding can flip by one
// half-ulp on a last-bit difference; through the layers that grows to
// ~1e-2 on these random-weight models (bound kTolVsCpu, the reference
// models' own bound for float32 math). A MoE router whose k-th and k+1-th
// experts nearly tie may pick the other one: that position's logits jump
// (observed 0.3-0.4) while the others stay within bounds, so MoE models may
// have kMoeFlips such positions, each within kTolFlip.
#pragma once

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <memory>

#include "cpu/cpu_forward.h"
#include "model/model.h"
#include "support/model_factory.h"
#include "vulkan/forward/vk_forward.h"
#include "vulkan/vk_weights.h"

namespace facet::test {


constexpr double kTolFirst = 2e-3;
constexpr double kTolVsCpu = 0.05;
constexpr int kMoeFlips = 2;
constexpr double kTolFlip = 1.0;
constexpr double kTolExact = 0.05;  // vs the float64 reference (the CPU test's bound)

// A deterministic prompt of `n` ids in [3, vocab).
inline std::vector<int> promptOf(int n, int vocab, uint32_t seed) {
    std::vector<int> ids(n);
    for (int i = 0; i < n; ++i) {
        seed = seed * 1664525u + 1013904223u;
        ids[i] = 3 + static_cast<int>((seed >> 8) % static_cast<uint32_t>(vocab - 3));
    }
    return ids;
}

inline double maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
    // Max |a - b|; NaN or a size mismatch counts as infinitely far.
    if (a.size() != b.size()) return INFINITY;
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const double d = std::fabs(double(a[i]) - double(b[i]));
        if (!(d <= m)) m = d;  // NaN propagates as the maximum
    }
    return m;
}

// Shapes whose rows are whole 256-blocks, so every matrix but the narrow PLE
// and expert-down ones takes the K-quant types too (those fall back to Q8_0).
inline ModelDesc wide(ModelDesc d) {
    d.hidden = 256;
    d.embedScale = std::sqrt(256.0f);
    for (LayerDesc& l : d.layers) l.ffnWidth = l.ffnWidth >= 256 ? 512 : 256;
    return d;
}


struct GpuPass {
    std::unique_ptr<vk::DeviceWeights> weights;
    std::unique_ptr<vk::VkForward> fwd;
};
// Uploads `m` and builds a forward pass; empty on failure (test failed).
inline GpuPass makeGpuPass(vk::Device& dev, const Model& m, int ctx, int maxBatch, uint64_t pieceBytes = 0, int tileRows = -1) {
    GpuPass g;
    vk::WeightUploadOptions wo;
    wo.maxPieceBytes = pieceBytes;
    wo.tileRows = tileRows;
    auto w = vk::DeviceWeights::upload(dev, m, wo);
    if (!w.ok()) {
        qWarning("upload: %s", w.message().c_str());
        return g;
    }
    g.weights = std::move(w).value();
    vk::VkForwardOptions fo;
    fo.maxContext = ctx;
    fo.maxBatch = maxBatch;
    auto f = vk::VkForward::create(dev, m, *g.weights, fo);
    if (!f.ok()) {
        qWarning("forward: %s", f.message().c_str());
        g.weights.reset();
        return g;
    }
    g.fwd = std::move(f).value();
    return g;
}
inline std::unique_ptr<Model> openModel(const QString& path) {
    auto m = Model::open(path.toStdString());
    if (!m.ok()) qWarning("%s", m.message().c_str());
    return m.ok() ? std::move(m).value() : nullptr;
}
// A random-weight model of a variant (widened as the tests need) with all
// weights of `type`, written to the test folder; null after a warning.
inline std::unique_ptr<Model> typedModel(QTemporaryDir& tmp, const QString& variant, GgmlType type, uint64_t seed) {
    ModelDesc d;
    if (!variantByName(variant.toStdString(), d)) return nullptr;
    MakeOptions mo;
    mo.weightType = type;
    mo.seed = seed;
    QString err;
    const QString name = QString("%1-%2-%3.gguf").arg(variant).arg(int(type)).arg(seed);
    const QString path = writeModel(tmp, name, wide(d), mo, false, err);
    if (path.isEmpty()) qWarning("%s", qPrintable(err));
    return path.isEmpty() ? nullptr : openModel(path);
}
inline std::vector<float> cpuLogits(const Model& m, const std::vector<int>& ids) {
    cpu::CpuForward c(m.desc(), m.weights(), static_cast<int>(ids.size()));
    c.setHalfKv(true);  // the GPU cache format
    std::vector<float> out;
    const Status s = c.forward(ids, true, out);
    if (!s.ok()) qWarning("cpu: %s", s.message().c_str());
    return out;
}
// Vulkan logits of every position vs the CPU's.
inline void compareWithCpu(vk::Device& dev, const Model& m, int nTokens, int maxBatch, uint64_t pieceBytes = 0,
                    int tileRows = -1) {
    const std::vector<int> ids = promptOf(nTokens, m.desc().vocab, 7);
    GpuPass g = makeGpuPass(dev, m, nTokens + 4, maxBatch, pieceBytes, tileRows);
    QVERIFY(g.fwd);
    std::vector<float> gpu;
    const Status s = g.fwd->forward(ids, true, gpu);
    QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
    const std::vector<float> cpu = cpuLogits(m, ids);
    QCOMPARE(gpu.size(), cpu.size());
    const size_t V = m.desc().vocab;
    std::vector<double> perPos(nTokens, 0.0);
    for (int t = 0; t < nTokens; ++t)
        for (size_t i = 0; i < V; ++i) {
            const double d = std::fabs(double(gpu[t * V + i]) - cpu[t * V + i]);
            if (!(d <= perPos[t])) perPos[t] = d;  // NaN counts as the worst
        }
    QString line;
    for (double d : perPos) line += QString(" %1").arg(d, 0, 'g', 2);
    const double worst = *std::max_element(perPos.begin(), perPos.end());
    qInfo("%s: max |vulkan - cpu| = %.3g over %d x %zu logits; per position:%s", m.desc().name.c_str(), worst,
          nTokens, V, qPrintable(line));
    // The first position attends only to itself: no f16 rounding flips yet.
    QVERIFY2(perPos[0] <= kTolFirst, qPrintable(QString("position 0 differs by %1").arg(perPos[0])));
    const int spikes = static_cast<int>(std::count_if(perPos.begin(), perPos.end(), [](double d) { return d > kTolVsCpu; }));
    const int allowed = m.desc().hasMoe() ? kMoeFlips : 0;
    QVERIFY2(spikes <= allowed, qPrintable(QString("%1 positions beyond %2 (allowed %3)").arg(spikes).arg(kTolVsCpu).arg(allowed)));
    QVERIFY2(worst <= kTolFlip, qPrintable(QString("max logit difference %1 > %2").arg(worst).arg(kTolFlip)));
}

}  // namespace facet::test
