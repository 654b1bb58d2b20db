#include "bench_run.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "runtime/cost_model.h"
#include "runtime/cpu_backend.h"

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

Result<RunResult> runBenchmark(const Model& m, double loadSeconds, const RunOptions& opt) {
    if (opt.backend != "cpu")
        return errorf("backend '%s' is not part of this build yet; use --backend cpu", opt.backend.c_str());
    const ModelDesc& d = m.desc();
    const int ctx = std::max(opt.nPrompt, opt.nGen + 1);
    CpuBackend backend(d, m.weights(), ctx);

    std::mt19937_64 rng(opt.seed);
    std::uniform_int_distribution<int> tok(5, d.vocab - 1);
    RunResult r;
    r.model = std::filesystem::path(m.path()).filename().string();
    r.type = dominantType(m);
    r.device = "CPU reference (float32)";
    r.nPrompt = opt.nPrompt;
    r.nGen = opt.nGen;
    r.loadSeconds = loadSeconds;
    std::vector<float> logits;

    if (opt.nPrompt > 0) {
        std::vector<int> prompt(opt.nPrompt);
        prompt[0] = 2;
        for (int i = 1; i < opt.nPrompt; ++i) prompt[i] = tok(rng);
        const auto t0 = Clock::now();
        for (int i = 0; i < opt.nPrompt; i += 512) {
            std::vector<int> part(prompt.begin() + i, prompt.begin() + std::min(opt.nPrompt, i + 512));
            FACET_TRY(backend.forward(part, false, logits));
        }
        r.ppTps = opt.nPrompt / std::chrono::duration<double>(Clock::now() - t0).count();
    }
    if (opt.nGen > 0) {
        backend.reset();
        FACET_TRY(backend.forward({2}, false, logits));
        const auto t0 = Clock::now();
        for (int i = 0; i < opt.nGen; ++i) FACET_TRY(backend.forward({tok(rng)}, false, logits));
        r.tgTps = opt.nGen / std::chrono::duration<double>(Clock::now() - t0).count();
    }
    r.hostRssBytes = peakRssBytes();
    r.decodeGbps = static_cast<double>(decodeBytesPerToken(m)) * r.tgTps / 1e9;
    return r;
}

}  // namespace facet::bench
