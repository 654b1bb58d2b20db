// facet-bench: prefill and decode speed, memory, achieved bandwidth and the
// dispatches and barriers per decode token, one row per run (like llama-bench); --json prints one object per run.
//   facet-bench --model PATH [-p 512[,128..]] [-n 128[,..]] [--backend vulkan|cpu] [--device N] [--json]
//               [--profile]   (Vulkan: GPU time per shader for prefill and decode)
//   facet-bench --kernels [--only e2b|31b|down] [--layout groups|blocks|lanes|tiled] [--type T] [--rotate N] [--device N]
//               (the decode GEMV alone, every workgroup shape)
//   facet-bench --gemm [--only e2b|31b|down] [-p 512] [--type T] [--device N]
//               (the prefill GEMM alone, every tile)
//   facet-bench --make e2b|e4b|moe|31b --type q4_0 [-o PATH]   (random weights, real shapes)
//   facet-bench --embedding [--model PATH | --type q8_0 [--vocab 4096] [-o PATH]] [--seqs 32] [--len 256]
//               [--backend vulkan|cpu] [--device N]   (EmbeddingGemma tokens/s, CPU reference vs Vulkan)
#include <chrono>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench_run.h"
#include "embedding_bench.h"
#include "vision_bench.h"
#include "kernel_bench.h"
#include "runtime/vulkan_backend.h"
#include "model/model_maker.h"
#include "model/variants.h"

using namespace facet;
using namespace facet::bench;

static const char* kUsage =
    "usage: facet-bench --model PATH [-p 512[,128..]] [-n 128[,..]] [--backend vulkan|cpu] [--device N|NAME]\n"
    "                   [--json] [--profile]\n"
    "         prefill (pp) and decode (tg) tokens/s, load time, memory, decode bandwidth, and the dispatches\n"
    "         and barriers one decode token records (Vulkan; JSON dispatches_per_token, barriers_per_token), a row per run;\n"
    "         --profile: GPU time per shader and per weight (Vulkan)\n"
    "       facet-bench --kernels [--only e2b|31b|down] [--layout groups|blocks|lanes|tiled] [--type T] [--rotate N] [--device N]\n"
    "         the decode GEMV alone, every workgroup shape (FACET_VK_MATVEC_SHAPE=WGxROWSxUNROLL sets one)\n"
    "       facet-bench --gemm [--only e2b|31b|down] [-p 512] [--type T] [--device N]\n"
    "         the prefill GEMM alone, every tile (FACET_VK_MATMAT_TILE=BMxBNxBKxTMxTN sets one)\n"
    "       facet-bench --make e2b|e4b|moe|31b --type q4_0 [-o PATH]\n"
    "         writes a random-weight model with the real shapes\n"
    "       facet-bench --embedding [--model PATH | --type q8_0 [--vocab 4096] [-o PATH]] [--seqs 32] [--len 256]\n"
    "                   [--backend vulkan|cpu] [--device N]\n"
    "         EmbeddingGemma tokens/s (CPU reference and Vulkan; both without --backend) on the given\n"
    "         model, or on a random one with the real shapes written first\n"
    "       facet-bench --vision [--mmproj PATH | -o PATH] [--size 640x480] [--runs 2] [--backend vulkan|cpu]\n"
    "                   [--device N] [--profile]\n"
    "         time to encode a picture into soft tokens (CPU reference and Vulkan; both without\n"
    "         --backend), on the given projector or a random one with the real E2B/E4B tower shapes\n"
    "         written first\n";

static int fail(const std::string& m) {
    std::fprintf(stderr, "facet-bench: %s\n", m.c_str());
    return 1;
}

static bool parseList(const std::string& s, std::vector<int>& out) {
    out.clear();
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) {
        char* end = nullptr;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end || v < 0 || v > (1 << 20)) return false;
        out.push_back(static_cast<int>(v));
    }
    return !out.empty();
}

static std::string jsonEscape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        o += c;
    }
    return o;
}

// A per-token count with one decimal, or `none` where there is none (-1).
static std::string perToken(double v, const char* none) {
    if (v < 0) return none;
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

// Two tables: time per shader, then the products' time per weight role
// (shares of the phase's whole GPU time).
static void printProfile(const char* phase, const RunResult::Profile& p) {
    if (p.byShader.empty()) return;
    double total = 0;
    for (const auto& e : p.byShader) total += e.msPerToken;
    std::printf("\n%s, GPU time per token: %.4f ms\n", phase, total);
    auto table = [total](const char* what, const std::vector<RunResult::ShaderTime>& rows) {
        std::printf("| %-36s | %10s | %10s | %6s |\n", what, "ms/token", "dispatches", "share");
        for (const auto& e : rows)
            std::printf("| %-36s | %10.4f | %10.2f | %5.1f%% |\n", e.name.c_str(), e.msPerToken,
                        e.dispatchesPerToken, total > 0 ? 100 * e.msPerToken / total : 0);
    };
    table("shader", p.byShader);
    if (!p.byWeight.empty()) {
        std::printf("\n");
        table("product (weight)", p.byWeight);
    }
    std::printf("\n");
}

int main(int argc, char** argv) {
    std::string model, make, out, backend, device, only, layout;
    GgmlType type = GgmlType::Q4_0;
    std::vector<int> prompts{512}, gens{128};
    bool json = false, profile = false, kernels = false, gemm = false, typeGiven = false, embedding = false, vision = false;
    bench::VisionBenchOptions visionOpt;
    int seqs = 32, len = 256, vocab = 4096;
    uint32_t rotate = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (a == "--model" || a == "-m") model = value();
        else if (a == "-p") { if (!parseList(value(), prompts)) return fail("bad -p list"); }
        else if (a == "-n") { if (!parseList(value(), gens)) return fail("bad -n list"); }
        else if (a == "--backend") backend = value();
        else if (a == "--device") device = value();
        else if (a == "--json") json = true;
        else if (a == "--profile") profile = true;
        else if (a == "--kernels") kernels = true;
        else if (a == "--gemm") gemm = true;
        else if (a == "--embedding") embedding = true;
        else if (a == "--vision") vision = true;
        else if (a == "--mmproj") visionOpt.mmproj = value();
        else if (a == "--runs") visionOpt.runs = std::max(1, std::atoi(value().c_str()));
        else if (a == "--size") {
            if (std::sscanf(value().c_str(), "%dx%d", &visionOpt.width, &visionOpt.height) != 2 || visionOpt.width <= 0 ||
                visionOpt.height <= 0)
                return fail("--size must be WIDTHxHEIGHT");
        }
        else if (a == "--seqs" || a == "--len" || a == "--vocab") {
            std::vector<int> v;
            if (!parseList(value(), v) || v.size() != 1 || v[0] < 1) return fail("bad " + a + " (a positive number)");
            (a == "--seqs" ? seqs : a == "--len" ? len : vocab) = v[0];
        }
        else if (a == "--only") only = value();
        else if (a == "--layout") layout = value();
        else if (a == "--rotate") {
            const std::string v = value();
            char* end = nullptr;
            const unsigned long r = std::strtoul(v.c_str(), &end, 10);
            if (v.empty() || *end || r < 1 || r > 256) return fail("bad --rotate (1..256)");
            rotate = static_cast<uint32_t>(r);
        }
        else if (a == "--make") make = value();
        else if (a == "--type") {
            if (!typeFromName(value(), type)) return fail("unknown --type");
            typeGiven = true;
        }
        else if (a == "-o") out = value();
        else return fail("unknown option '" + a + "' (--help lists them)");
    }
    const std::optional<GgmlType> onlyType = typeGiven ? std::optional(type) : std::nullopt;
    if (kernels) return runKernelBench(device, only, layout, onlyType, rotate);
    if (vision) {
        visionOpt.out = out;
        visionOpt.backend = backend;
        visionOpt.device = device;
        visionOpt.profile = profile;
        return bench::runVisionBench(visionOpt);
    }
    if (embedding) {
        EmbeddingBenchOptions eo;
        eo.model = model;
        eo.out = out;
        eo.type = typeGiven ? type : GgmlType::Q8_0;
        eo.vocab = vocab;
        eo.sequences = seqs;
        eo.length = len;
        eo.backend = backend;
        eo.device = device;
        return runEmbeddingBench(eo);
    }
    if (gemm) return runGemmBench(device, only, static_cast<uint32_t>(std::max(prompts[0], 1)), onlyType);
    if (!make.empty()) {
        ModelDesc d;
        if (!variantByName(make, d)) return fail("unknown model shape '" + make + "' (e2b, e4b, moe, 31b)");
        if (out.empty()) out = "facet-bench-" + make + "-" + typeName(type) + ".gguf";
        MakeOptions opt;
        opt.weightType = type;
        Status s = writeRandomGguf(d, opt, out);
        if (!s.ok()) return fail(s.message());
        std::fprintf(stderr, "wrote %s\n", out.c_str());
        return 0;
    }
    if (model.empty()) return fail("--model PATH or --make SHAPE is required");
    if (backend.empty()) {  // Vulkan when a device exists, as the app
        std::string why;
        backend = vulkanDeviceAvailable(&why) ? "vulkan" : "cpu";
        if (backend == "cpu") std::fprintf(stderr, "no Vulkan device (%s): using the CPU reference\n", why.c_str());
    }

    const auto t0 = std::chrono::steady_clock::now();
    auto m = Model::open(model);
    if (!m.ok()) return fail(m.message());
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (!json)
        std::printf("| %-28s | %-6s | %-26s | %5s | %5s | %9s | %9s | %7s | %10s | %9s | %12s | %8s | %8s |\n",
                    "model", "type", "device", "pp", "tg", "pp t/s", "tg t/s", "load s", "device mem", "host RSS",
                    "decode GB/s", "disp/tok", "barr/tok");
    for (int p : prompts)
        for (int n : gens) {
            RunOptions opt;
            opt.backend = backend;
            opt.device = device;
            opt.nPrompt = p;
            opt.nGen = n;
            opt.profile = profile;
            auto r = runBenchmark(*m.value(), loadSeconds, opt);
            if (!r.ok()) return fail(r.message());
            const RunResult& x = r.value();
            if (json) {
                std::printf("{\"model\": \"%s\", \"type\": \"%s\", \"device\": \"%s\", \"n_prompt\": %d, \"n_gen\": %d, "
                            "\"pp_tps\": %.3f, \"tg_tps\": %.3f, \"load_s\": %.3f, \"device_mem_bytes\": %llu, "
                            "\"host_rss_bytes\": %llu, \"decode_gbps\": %.3f, \"dispatches_per_token\": %s, "
                            "\"barriers_per_token\": %s}\n",
                            jsonEscape(x.model).c_str(), x.type.c_str(), jsonEscape(x.device).c_str(), x.nPrompt, x.nGen,
                            x.ppTps, x.tgTps, x.loadSeconds, static_cast<unsigned long long>(x.deviceMemBytes),
                            static_cast<unsigned long long>(x.hostRssBytes), x.decodeGbps,
                            perToken(x.dispatchesPerToken, "null").c_str(), perToken(x.barriersPerToken, "null").c_str());
            } else {
                char peak[32] = "peak n/a";
                if (x.peakGbps > 0) std::snprintf(peak, sizeof peak, "of %.0f", x.peakGbps);
                std::printf("| %-28s | %-6s | %-26s | %5d | %5d | %9.2f | %9.2f | %7.2f | %7.1f MiB | %5.1f MiB | %5.2f %s | %8s | %8s |\n",
                            x.model.c_str(), x.type.c_str(), x.device.c_str(), x.nPrompt, x.nGen, x.ppTps, x.tgTps,
                            x.loadSeconds, x.deviceMemBytes / 1048576.0, x.hostRssBytes / 1048576.0, x.decodeGbps, peak,
                            perToken(x.dispatchesPerToken, "-").c_str(), perToken(x.barriersPerToken, "-").c_str());
            }
            if (profile && !json) {
                printProfile("prefill", x.ppProfile);
                printProfile("decode", x.tgProfile);
            }
            std::fflush(stdout);
        }
    return 0;
}
