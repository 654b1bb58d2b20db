#include "embedding_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "embedding/embedding_desc.h"
#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "embedding/embedding_vulkan.h"
#include "model/gguf_writer.h"
#include "embedding/embedding_fit.h"
#include "model/quantize.h"

namespace facet::bench {

namespace {

// EmbeddingGemma-300m's shapes (the catalog's variant table) with a smaller vocabulary.
EmbeddingDesc embeddingGemma300m(int vocab) {
    EmbeddingDesc d;
    embeddingVariantByName("embeddinggemma-300m", d);
    d.name = "embeddinggemma-300m-random";
    d.vocab = vocab;
    return d;
}

// Norm weights near 1, matrices scaled for unit-variance outputs (as
// model_maker's random weights); never zero.
std::vector<float> randomTensor(const EmbeddingTensorSpec& s, std::mt19937_64& rng) {
    int64_t n = 1;
    for (int64_t e : s.ne) n *= e;
    const bool norm = s.ne.size() == 1;
    const float scale = norm ? 0.4f : std::sqrt(3.0f / static_cast<float>(s.ne[0]));
    const float offset = norm ? 1.0f : 0.0f;
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) {
        x = offset + scale * u(rng);
        if (x == 0.0f) x = scale * 0.5f;
    }
    return v;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Status writeRandomEmbeddingGguf(const std::string& path, GgmlType type, int vocab) {
    const EmbeddingDesc d = embeddingGemma300m(vocab);
    const std::string a = kEmbeddingArch;
    GgufWriter w;
    w.addString("general.architecture", a);
    w.addString("general.name", d.name);
    w.addUInt32(a + ".context_length", static_cast<uint32_t>(d.contextLength));
    w.addUInt32(a + ".embedding_length", static_cast<uint32_t>(d.hidden));
    w.addUInt32(a + ".block_count", static_cast<uint32_t>(d.nLayers));
    w.addUInt32(a + ".feed_forward_length", static_cast<uint32_t>(d.ffnWidth));
    w.addUInt32(a + ".attention.head_count", static_cast<uint32_t>(d.nHeads));
    w.addUInt32(a + ".attention.head_count_kv", static_cast<uint32_t>(d.nKvHeads));
    w.addUInt32(a + ".attention.key_length", static_cast<uint32_t>(d.headDim));
    w.addUInt32(a + ".attention.value_length", static_cast<uint32_t>(d.headDim));
    w.addFloat32(a + ".attention.layer_norm_rms_epsilon", d.rmsEps);
    w.addFloat32(a + ".rope.freq_base", d.ropeBase);
    w.addFloat32(a + ".rope.freq_base_swa", d.ropeBaseSwa);
    w.addUInt32(a + ".attention.sliding_window", static_cast<uint32_t>(d.slidingWindow));
    w.addUInt32(a + ".pooling_type", 1);
    w.addUInt32(a + ".dense_2_feat_in", static_cast<uint32_t>(d.hidden));
    w.addUInt32(a + ".dense_2_feat_out", static_cast<uint32_t>(d.dense2Out));
    w.addUInt32(a + ".dense_3_feat_in", static_cast<uint32_t>(d.dense2Out));
    w.addUInt32(a + ".dense_3_feat_out", static_cast<uint32_t>(d.dense3Out));
    std::mt19937_64 rng(7);
    for (const EmbeddingTensorSpec& s : embeddingTensorList(d)) {
        const std::vector<float> v = randomTensor(s, rng);
        const GgmlType t = s.ne.size() == 1 ? GgmlType::F32 : type;
        const int64_t rowLen = s.ne[0];
        const uint64_t rb = rowBytes(t, rowLen);
        const int64_t rows = static_cast<int64_t>(v.size()) / rowLen;
        std::vector<uint8_t> bytes(static_cast<size_t>(rb * rows));
        for (int64_t r = 0; r < rows; ++r) quantizeRow(t, &v[r * rowLen], bytes.data() + r * rb, rowLen);
        w.addTensor(s.name, t, s.ne, std::move(bytes));
    }
    return w.write(path);
}

int runEmbeddingBench(const EmbeddingBenchOptions& o) {
    std::string path = o.model;
    if (path.empty()) {
        path = o.out.empty() ? "facet-bench-embeddinggemma-" + typeName(o.type) + ".gguf" : o.out;
        const auto t0 = std::chrono::steady_clock::now();
        if (Status s = writeRandomEmbeddingGguf(path, o.type, o.vocab); !s.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", s.message().c_str());
            return 1;
        }
        std::fprintf(stderr, "wrote %s in %.1f s\n", path.c_str(), secondsSince(t0));
    }
    auto model = EmbeddingModel::open(path);
    if (!model.ok()) {
        std::fprintf(stderr, "facet-bench: %s\n", model.message().c_str());
        return 1;
    }
    const EmbeddingDesc& d = model.value()->desc();
    if (d.vocab < 4) {  // ids from 3 on: <bos> = 2 and the specials below it stay out
        std::fprintf(stderr, "facet-bench: %s has %d tokens; the benchmark needs at least 4\n", path.c_str(), d.vocab);
        return 1;
    }
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> id(3, d.vocab - 1);
    std::vector<std::vector<int>> batch(static_cast<size_t>(o.sequences));
    for (auto& s : batch) {
        s.resize(static_cast<size_t>(o.length));
        for (int& t : s) t = id(rng);
        s.front() = 2;  // <bos>
    }
    const double tokens = static_cast<double>(o.sequences) * o.length;
    std::printf("| %-30s | %-26s | %9s | %12s | %10s |\n", "model", "backend", "sequences", "tokens/s", "seconds");

    std::vector<std::vector<float>> cpuOut, gpuOut;
    if (o.backend.empty() || o.backend == "vulkan") {
        auto gpu = EmbeddingVulkan::open(*model.value(), o.device);
        if (!gpu.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", gpu.message().c_str());
            return 1;
        }
        // Warm-up: pipelines compile on first use (slow on llvmpipe).
        if (auto w = gpu.value()->embed({batch[0]}); !w.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", w.message().c_str());
            return 1;
        }
        const auto t0 = std::chrono::steady_clock::now();
        auto r = gpu.value()->embed(batch);
        const double sec = secondsSince(t0);
        if (!r.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", r.message().c_str());
            return 1;
        }
        gpuOut = std::move(r).value();
        const std::string dev = "vulkan " + gpu.value()->deviceName();
        std::printf("| %-30s | %-26.26s | %4d x %-4d | %12.1f | %10.2f |\n", d.name.c_str(), dev.c_str(), o.sequences,
                    o.length, tokens / sec, sec);
        std::fflush(stdout);
    }
    if (o.backend.empty() || o.backend == "cpu") {
        const EmbeddingForward cpu(*model.value());
        const auto t0 = std::chrono::steady_clock::now();
        auto r = cpu.embed(batch);
        const double sec = secondsSince(t0);
        if (!r.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", r.message().c_str());
            return 1;
        }
        cpuOut = std::move(r).value();
        std::printf("| %-30s | %-26s | %4d x %-4d | %12.1f | %10.2f |\n", d.name.c_str(), "cpu reference", o.sequences,
                    o.length, tokens / sec, sec);
    }
    if (!cpuOut.empty() && !gpuOut.empty()) {
        double maxAbs = 0;
        for (size_t s = 0; s < cpuOut.size(); ++s)
            for (size_t i = 0; i < cpuOut[s].size(); ++i)
                maxAbs = std::max(maxAbs, static_cast<double>(std::fabs(cpuOut[s][i] - gpuOut[s][i])));
        std::printf("largest |cpu - vulkan| over the embeddings: %.3g\n", maxAbs);
    }
    return 0;
}

}  // namespace facet::bench
