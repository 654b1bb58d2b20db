// Paths through the Vulkan forward pass against the CPU reference: one
// chunk vs 8-token calls vs decode steps, top-k, descriptor reuse, rewind,
// forced binding splits, row-interleaved weights, no subgroup operations,
// the GPU and blocks product layouts, the fused steps on and off, and the
// errors for what does not fit.
// Oracle and tolerances: support/vk_forward_check.h. Validation-layer
// messages fail every test.
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "support/vk_forward_check.h"
#include "support/vk_forward_test_case.h"
#include "vulkan/vk_pipeline.h"

using namespace facet;
using namespace facet::test;

class TstVkForwardPaths : public VkForwardTestCase {
    Q_OBJECT
private slots:
    // One call (tiled GEMM prefill), 8-token calls (mat-vec) and token-by-token
    // decode give the same logits for the last position; the rings wrap many
    // times on the way. Mat-vec sums each token alike for 1..8 tokens, so the
    // last two agree exactly; the GEMM sums in another order (kTolVsCpu).
    void prefillMatchesDecode() {
        auto m = openModel(dataFile("e2b-like.gguf"));
        QVERIFY(m);
        const std::vector<int> ids = promptOf(60, m->desc().vocab, 5);
        GpuPass whole = makeGpuPass(*device_, *m, 64, 64), eights = makeGpuPass(*device_, *m, 64, 64),
            steps = makeGpuPass(*device_, *m, 64, 64);
        QVERIFY(whole.fwd && eights.fwd && steps.fwd);
        std::vector<float> a, b, c;
        QVERIFY(whole.fwd->forward(ids, false, a).ok());
        for (size_t i = 0; i < ids.size(); i += 8) {
            const std::vector<int> part(ids.begin() + i, ids.begin() + std::min(ids.size(), i + 8));
            QVERIFY(eights.fwd->forward(part, false, b).ok());
        }
        for (size_t i = 0; i < ids.size(); ++i) QVERIFY(steps.fwd->forward({ids[i]}, false, c).ok());
        QCOMPARE(steps.fwd->nPast(), 60);
        const double dGemm = maxDiff(a, c), dEights = maxDiff(b, c);
        qInfo("prefill (GEMM) vs decode: max diff %.3g; 8-token calls vs decode: %.3g", dGemm, dEights);
        QVERIFY(dGemm <= kTolVsCpu);
        QCOMPARE(dEights, 0.0);
        // The top-k path ranks the same row on the GPU.
        GpuPass topk = makeGpuPass(*device_, *m, 64, 64);  // the same chunks as `whole`
        QVERIFY(topk.fwd);
        std::vector<int> ids8;
        std::vector<float> vals8;
        QVERIFY(topk.fwd->forwardTopK(ids, 8, ids8, vals8).ok());
        QCOMPARE(ids8.size(), size_t(8));
        for (int j = 0; j < 8; ++j) {
            QCOMPARE(vals8[j], a[ids8[j]]);
            if (j) QVERIFY(vals8[j] <= vals8[j - 1]);
        }
        QCOMPARE(vals8[0], *std::max_element(a.begin(), a.end()));
    }

    // A decode step re-records its commands but writes no descriptor sets
    // after the first: positions are push constants, buffers stay put.
    void decodeStepsReuseDescriptorSets() {
        auto m = openModel(dataFile("moe-like.gguf"));
        QVERIFY(m);
        GpuPass g = makeGpuPass(*device_, *m, 64, 8);
        QVERIFY(g.fwd);
        std::vector<int> ids;
        std::vector<float> vals;
        QVERIFY(g.fwd->forwardTopK({2, 50, 60}, 1, ids, vals).ok());
        QVERIFY(g.fwd->forwardTopK({ids[0]}, 1, ids, vals).ok());
        const size_t sets = g.fwd->descriptorSets();
        QVERIFY(sets > 0);
        for (int i = 0; i < 5; ++i) QVERIFY(g.fwd->forwardTopK({ids[0]}, 1, ids, vals).ok());
        QCOMPARE(g.fwd->descriptorSets(), sets);
    }

    // Rewind within the sliding window keeps the cache; beyond it resets.
    void rewindReplaysTheSameLogits() {
        auto m = openModel(dataFile("e2b-like.gguf"));
        QVERIFY(m);
        const std::vector<int> ids = promptOf(20, m->desc().vocab, 9);
        GpuPass g = makeGpuPass(*device_, *m, 64, 8);
        QVERIFY(g.fwd);
        std::vector<float> first, again;
        QVERIFY(g.fwd->forward(ids, false, first).ok());
        QVERIFY(g.fwd->rewind(19));
        QVERIFY(g.fwd->forward({ids.back()}, false, again).ok());
        QVERIFY(maxDiff(first, again) <= 1e-4);
        QVERIFY(!g.fwd->rewind(2));  // ring entries of positions < 12 are gone
        QCOMPARE(g.fwd->nPast(), 0);
    }

    // Every tensor in 16 KiB pieces and a 16 KiB binding limit: the embedding
    // gather, the head, expert tensors and mat-vecs all run in row windows.
    void forcedBindingSplitMatchesCpu_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("e2b-like") << "e2b-like.gguf";
        QTest::newRow("moe-like") << "moe-like.gguf";
    }
    void forcedBindingSplitMatchesCpu() {
        QFETCH(QString, file);
        vk::DeviceOptions o = plainOptions();
        o.maxBindingBytes = 16 << 10;
        auto d = vk::Device::create(*instance_, o);
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        auto m = openModel(dataFile(file));
        QVERIFY(m);
        compareWithCpu(*d.value(), *m, 24, 6, 16 << 10);
    }

    // Row-interleaved Q4_0/Q8_0/Q4_K/Q5_K/Q6_K matrices (the CPU-device storage) in tiles
    // of 8 and 16 KiB pieces: the tied embedding gather reads tiled pieces
    // across several dispatches, the products tiled windows and padded tiles.
    void rowInterleavedWeightsMatchCpu_data() {
        QTest::addColumn<int>("type");
        QTest::newRow("Q4_0") << static_cast<int>(GgmlType::Q4_0);
        QTest::newRow("Q8_0") << static_cast<int>(GgmlType::Q8_0);
        QTest::newRow("Q4_K") << static_cast<int>(GgmlType::Q4_K);
        QTest::newRow("Q5_K") << static_cast<int>(GgmlType::Q5_K);
        QTest::newRow("Q6_K") << static_cast<int>(GgmlType::Q6_K);
    }
    void rowInterleavedWeightsMatchCpu() {
        QFETCH(int, type);
        auto m = typedModel(tmp_, "e2b-like", static_cast<GgmlType>(type), 3);
        QVERIFY(m);
        GpuPass g = makeGpuPass(*device_, *m, 8, 4, 16 << 10, 8);
        QVERIFY(g.fwd);
        const vk::DeviceTensor* embd = g.weights->find(m->weights().global[TensorRole::TokenEmbd]);
        QVERIFY(embd && embd->pieces.size() > 4 && embd->pieces.front().tileRows == 8);  // tiled, > 1 gather dispatch
        const vk::DeviceTensor* up = g.weights->find(m->weights().layers[0][TensorRole::FfnUp]);
        QVERIFY(up && up->pieces.front().tileRows == 8);
        g.fwd.reset();
        g.weights.reset();
        compareWithCpu(*device_, *m, 20, 8, 16 << 10, 8);
    }

    // Subgroup operations switched off: every reduction through shared memory.
    void noSubgroupOpsMatchesCpu_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("e2b-like") << "e2b-like.gguf";
        QTest::newRow("moe-like") << "moe-like.gguf";
    }
    void noSubgroupOpsMatchesCpu() {
        QFETCH(QString, file);
        vk::DeviceOptions o = plainOptions();
        o.noSubgroups = true;
        auto d = vk::Device::create(*instance_, o);
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        QVERIFY(!d.value()->caps().subgroupReduce());
        auto m = openModel(dataFile(file));
        QVERIFY(m);
        compareWithCpu(*d.value(), *m, 20, 8);
    }

    // Texel buffers off: the mat-vecs take the GPU layout (mat_vec.comp)
    // instead of the CPU-device one that lavapipe uses by default.
    void gpuMatVecLayoutMatchesCpu() {
        vk::DeviceOptions o = plainOptions();
        o.noTexelBuffers = true;
        auto d = vk::Device::create(*instance_, o);
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        QVERIFY(!d.value()->caps().texelBuffers);
        auto m = openModel(dataFile("e2b-like.gguf"));
        QVERIFY(m);
        compareWithCpu(*d.value(), *m, 20, 8);
    }

    // The blocks layout (an invocation per whole quantized block), as
    // FACET_VK_MATVEC_LAYOUT=blocks picks it for every product.
    void blocksMatVecLayoutMatchesCpu() {
        vk::DeviceOptions o = plainOptions();
        o.matVecLayout = 3;  // MatVecLayout::Blocks
        auto d = vk::Device::create(*instance_, o);
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        auto m = typedModel(tmp_, "e2b-like", GgmlType::Q4_0, 5);
        QVERIFY(m);
        compareWithCpu(*d.value(), *m, 20, 8);
        const auto names = d.value()->pipelines().shaderNames();
        // (one pipeline per token count and GLU mode)
        QVERIFY2(std::count(names.begin(), names.end(), std::string("mat_vec_q4_0_blocks_subgroup")) >= 3,
                 "the products ran in the blocks layout");
        QVERIFY2(std::none_of(names.begin(), names.end(), [](const std::string& n) { return n == "mat_vec_q4_0_subgroup"; }),
                 "no product took the groups layout");
    }

    // The fused steps switched off one by one and together (FACET_VK_NO_*_FUSION):
    // each path alone matches the CPU. dense31b-like has full layers where V
    // is K (its q|k slab, V read from the raw K, or copied where the ropes are apart).
    void fusionsOffMatchCpu_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("qkvOff");
        QTest::addColumn<bool>("ropeOff");
        QTest::addColumn<bool>("tailOff");
        QTest::addColumn<bool>("trackingOff");
        // (each row a full CPU comparison: the rows that add a path, not the whole cross-product)
        const char* e2b = "e2b-like.gguf";
        QTest::addRow("%s, q|k|v products apart", e2b) << e2b << true << false << false << false;
        QTest::addRow("%s, ropes apart", e2b) << e2b << false << true << false << false;
        QTest::addRow("%s, closing norms apart", e2b) << e2b << false << false << true << false;
        QTest::addRow("%s, barriers as placed", e2b) << e2b << false << false << false << true;
        const char* dense = "dense31b-like.gguf";  // V is K in its full layers
        QTest::addRow("%s, q|k products apart", dense) << dense << true << false << false << false;
        QTest::addRow("%s, ropes apart", dense) << dense << false << true << false << false;
        for (const char* f : {e2b, dense, "moe-like.gguf"})
            QTest::addRow("%s, no fusion", f) << f << true << true << true << false;
    }
    void fusionsOffMatchCpu() {
        QFETCH(QString, file);
        QFETCH(bool, qkvOff);
        QFETCH(bool, ropeOff);
        QFETCH(bool, tailOff);
        QFETCH(bool, trackingOff);
        vk::DeviceOptions o = plainOptions();
        o.noQkvFusion = qkvOff;
        o.noRopeFusion = ropeOff;
        o.noTailFusion = tailOff;
        o.noBarrierTracking = trackingOff;
        auto d = vk::Device::create(*instance_, o);
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        auto m = openModel(dataFile(file));
        QVERIFY(m);
        compareWithCpu(*d.value(), *m, 20, 8);
    }

    // Fused, a KV-owning layer's q|k|v is one slab and one product, and its
    // norms, RoPE and ring stores one dispatch: 4 dispatches fewer per such
    // layer than with every fusion off (3 products + 3 ropes against 1 + 1);
    // and the attention output, FFN down and PLE projection close their
    // blocks' norms themselves: 3 fewer in every layer. The same logits
    // within the tolerance.
    void fusedDecodeStepRecordsFewerDispatches() {
        auto m = openModel(dataFile("e2b-like.gguf"));
        QVERIFY(m);
        const ModelDesc& d = m->desc();
        int owners = 0;
        for (int il = 0; il < d.nLayers; ++il) owners += d.layers[il].ownsKv(il) ? 1 : 0;
        QVERIFY(owners > 0 && owners < d.nLayers);  // e2b-like shares the KV of its last layers
        vk::DeviceOptions o = plainOptions();
        o.noQkvFusion = o.noRopeFusion = o.noTailFusion = true;
        auto apart = vk::Device::create(*instance_, o);
        QVERIFY(apart.ok());
        const std::vector<int> ids = promptOf(6, d.vocab, 3);
        std::vector<float> logits[2];
        DecodeRecordStats stats[2];
        for (int fused = 0; fused < 2; ++fused) {
            vk::Device& dev = fused ? *device_ : *apart.value();
            GpuPass g = makeGpuPass(dev, *m, 16, 8);
            QVERIFY(g.fwd);
            const TensorView* q0 = m->weights().layers[0][TensorRole::AttnQ];
            QCOMPARE(g.weights->joined(q0) != nullptr, bool(fused));
            if (fused) {
                const vk::DeviceTensor& slab = *g.weights->joined(q0);
                const LayerDesc& l = d.layers[0];
                QCOMPARE(slab.view->rows(), int64_t(l.nHeads + 2 * l.nKvHeads) * l.headDim);
                QCOMPARE(slab.view->name, std::string("blk.0.attn_qkv.weight"));
                // The parts are slices of the slab, in order.
                const vk::DeviceTensor* k = g.weights->find(m->weights().layers[0][TensorRole::AttnK]);
                QVERIFY(k && k->pieces.front().slice.buffer == slab.pieces.front().slice.buffer);
                QVERIFY(k->pieces.front().slice.offset > slab.pieces.front().slice.offset);
            }
            std::vector<float> out;
            QVERIFY(g.fwd->forward({ids.begin(), ids.end() - 1}, false, out).ok());
            g.fwd->resetDecodeRecordStats();
            QVERIFY(g.fwd->forward({ids.back()}, false, logits[fused]).ok());
            stats[fused] = g.fwd->decodeRecordStats();
            QCOMPARE(stats[fused].steps, uint64_t(1));
        }
        qInfo("decode step: %llu dispatches, %llu barriers fused; %llu, %llu apart",
              (unsigned long long)stats[1].dispatches, (unsigned long long)stats[1].barriers,
              (unsigned long long)stats[0].dispatches, (unsigned long long)stats[0].barriers);
        QVERIFY(d.hasPle() && !d.hasMoe());
        QCOMPARE(stats[0].dispatches - stats[1].dispatches, uint64_t(4 * owners + 3 * d.nLayers));
        QCOMPARE(stats[0].barriers - stats[1].barriers, uint64_t(3 * d.nLayers));
        QVERIFY(maxDiff(logits[0], logits[1]) <= kTolVsCpu);
    }

    void clearErrors() {
        auto m = openModel(dataFile("dense31b-like.gguf"));
        QVERIFY(m);
        // A context whose full-attention ring exceeds the binding limit.
        vk::DeviceOptions o = plainOptions();
        o.maxBindingBytes = 64 << 10;
        auto d = vk::Device::create(*instance_, o);
        QVERIFY(d.ok());
        auto w = vk::DeviceWeights::upload(*d.value(), *m);
        QVERIFY(w.ok());
        vk::VkForwardOptions fo;
        fo.maxContext = 100000;
        auto f = vk::VkForward::create(*d.value(), *m, *w.value(), fo);
        QVERIFY(!f.ok());
        QVERIFY2(f.message().find("use a shorter context") != std::string::npos, f.message().c_str());
        // Bad tokens and a full context are errors, and nothing is processed.
        GpuPass g = makeGpuPass(*device_, *m, 8, 4);
        QVERIFY(g.fwd);
        std::vector<float> out;
        Status s = g.fwd->forward({1, m->desc().vocab}, false, out);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find("outside the vocabulary") != std::string::npos, s.message().c_str());
        QVERIFY(!g.fwd->forward(promptOf(9, m->desc().vocab, 1), false, out).ok());
        QCOMPARE(g.fwd->nPast(), 0);
        QVERIFY(g.fwd->forward({5, 6}, false, out).ok());
        QCOMPARE(g.fwd->nPast(), 2);
    }
};

QTEST_GUILESS_MAIN(TstVkForwardPaths)
#include "tst_vk_forward_paths.moc"
