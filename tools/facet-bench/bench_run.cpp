#include "bench_run.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "runtime/cost_model.h"
#include "runtime/cpu_backend.h"
#include "runtime/vulkan_backend.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_profiler.h"

namespace facet::bench {

using Clock = std::chrono::steady_clock;

std::string dominantType(const Model& m) {
    std::map<std::string, uint64_t> bytes;
    auto visit = [&](const LayerWeights& lw) {
        for (const TensorView* t : lw.t)
            if (t && t->nDims >= 2) bytes[typeName(t->type)] += t->nbytes;
    };
    visit(m.weights().global);
    for (const auto& l : m.weights().layers) visit(l);
    std::string best;
    uint64_t most = 0;
    for (const auto& [name, b] : bytes)
        if (b > most) most = b, best = name;
    return best;
}

uint64_t peakRssBytes() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream s(line.substr(6));
            uint64_t kb = 0;
            s >> kb;
            return kb * 1024;
        }
    return 0;
}

// Peak memory bandwidth of known GPUs by name (vendor data sheets), in GB/s.
double knownPeakGbps(const std::string& device) {
    static const std::pair<const char*, double> kPeaks[] = {
        {"H200", 4800}, {"H100 PCIe", 2000}, {"H100", 3350}, {"A100-SXM4-80GB", 2039}, {"A100", 1555},
        {"L40S", 864},  {"L4", 300},         {"RTX 4090", 1008}, {"RTX 4080", 717}, {"RTX 3090", 936},
        {"RTX 3080", 760}, {"Radeon RX 7900 XTX", 960}, {"Apple M2 Max", 400}, {"Apple M3 Max", 400},
    };
    for (const auto& [name, gbps] : kPeaks)
        if (device.find(name) != std::string::npos) return gbps;
    return 0;
}

// Read bandwidth of host memory with every core summing its share of a
// buffer far larger than the caches: the roofline of a CPU Vulkan device.
double measureHostReadGbps() {
    const size_t n = size_t(256) << 20 >> 3;  // 256 MiB of uint64
    std::vector<uint64_t> buf(n, 1);
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    double best = 0;
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<std::thread> pool;
        std::vector<uint64_t> sums(threads, 0);
        const auto t0 = Clock::now();
        for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                uint64_t s = 0;
                for (size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) s += buf[i];
                sums[t] = s;
            });
        for (auto& th : pool) th.join();
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        if (sums[0] == 0) return 0;  // keeps the loads alive
        best = std::max(best, n * 8.0 / sec / 1e9);
    }
    return best;
}

// The profiler's sums per token, then cleared for the next phase.
static RunResult::Profile takeProfile(VulkanBackend& vb, int tokens) {
    vk::DispatchProfiler* p = vb.profiler();
    auto perToken = [tokens](const std::vector<vk::DispatchProfiler::Entry>& entries) {
        std::vector<RunResult::ShaderTime> out;
        for (const auto& e : entries) out.push_back({e.name, e.ms / tokens, static_cast<double>(e.count) / tokens});
        return out;
    };
    RunResult::Profile out{perToken(p->totals()), perToken(p->totalsByLabel())};
    p->clear();
    return out;
}

Result<RunResult> runBenchmark(const Model& m, double loadSeconds, const RunOptions& opt) {
    const ModelDesc& d = m.desc();
    const int ctx = std::max(opt.nPrompt, opt.nGen + 1) + 1;
    RunResult r;
    std::unique_ptr<ForwardPass> backend;
    VulkanBackend* vulkan = nullptr;
    if (opt.backend == "cpu") {
        backend = std::make_unique<CpuBackend>(d, m.weights(), ctx);
        r.device = "CPU reference (float32)";
    } else if (opt.backend == "vulkan") {
        VulkanBackendOptions vo;
        vo.device = opt.device;
        vo.maxContext = ctx;
        const auto t0 = Clock::now();
        FACET_ASSIGN(auto vb, VulkanBackend::create(m, vo));
        loadSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
        if (vb->kernelTuning().ran) std::fprintf(stderr, "%s\n", vb->kernelTuning().message.c_str());
        r.device = vb->deviceName();
        r.deviceMemBytes = vb->deviceBytes();
        r.peakGbps = knownPeakGbps(r.device);
        if (r.peakGbps == 0 && vb->device().caps().type == vk::DeviceType::Cpu) r.peakGbps = measureHostReadGbps();
        vulkan = vb.get();
        backend = std::move(vb);
    } else {
        return errorf("unknown backend '%s' (vulkan or cpu)", opt.backend.c_str());
    }

    std::mt19937_64 rng(opt.seed);
    std::uniform_int_distribution<int> tok(5, d.vocab - 1);
    r.model = std::filesystem::path(m.path()).filename().string();
    r.type = dominantType(m);
    r.nPrompt = opt.nPrompt;
    r.nGen = opt.nGen;
    r.loadSeconds = loadSeconds;
    std::vector<float> logits;
    if (opt.profile && !vulkan) return errorf("--profile needs the Vulkan backend");

    if (opt.nPrompt > 0) {
        std::vector<int> prompt(opt.nPrompt);
        prompt[0] = 2;
        for (int i = 1; i < opt.nPrompt; ++i) prompt[i] = tok(rng);
        // Warm-up (as llama-bench): the first chunk builds pipelines and
        // touches every weight; it is not part of the timing.
        FACET_TRY(backend->forward({prompt.begin(), prompt.begin() + std::min(opt.nPrompt, 64)}, false, logits));
        backend->reset();
        if (opt.profile) FACET_TRY(vulkan->enableProfiling());
        const auto t0 = Clock::now();
        FACET_TRY(backend->forward(prompt, false, logits));
        r.ppTps = opt.nPrompt / std::chrono::duration<double>(Clock::now() - t0).count();
        if (opt.profile) r.ppProfile = takeProfile(*vulkan, opt.nPrompt);
    }
    if (opt.nGen > 0) {
        // Decode as generation does: the backend ranks the next token (top-1
        // on the GPU), one token per call.
        backend->reset();
        std::vector<int> ids;
        std::vector<float> vals;
        FACET_TRY(backend->forwardTopK({2}, 1, ids, vals));
        if (opt.profile) {
            FACET_TRY(vulkan->enableProfiling());
            (void)takeProfile(*vulkan, 1);  // drop the warm-up step
        }
        if (vulkan) vulkan->resetDecodeRecordStats();
        const auto t0 = Clock::now();
        for (int i = 0; i < opt.nGen; ++i) FACET_TRY(backend->forwardTopK({tok(rng)}, 1, ids, vals));
        r.tgTps = opt.nGen / std::chrono::duration<double>(Clock::now() - t0).count();
        if (vulkan) {
            const DecodeRecordStats st = vulkan->decodeRecordStats();
            if (st.steps > 0) {
                r.dispatchesPerToken = static_cast<double>(st.dispatches) / st.steps;
                r.barriersPerToken = static_cast<double>(st.barriers) / st.steps;
            }
        }
        if (opt.profile) r.tgProfile = takeProfile(*vulkan, opt.nGen);
    }
    r.hostRssBytes = peakRssBytes();
    r.decodeGbps = static_cast<double>(decodeBytesPerToken(m)) * r.tgTps / 1e9;
    return r;
}

}  // namespace facet::bench
