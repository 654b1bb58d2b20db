// One facet-bench measurement: prefill and decode speed of a backend.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/model.h"

namespace facet::bench {

struct RunResult {
    std::string model, type, device;
    int nPrompt = 0, nGen = 0;
    double ppTps = 0, tgTps = 0, loadSeconds = 0;
    uint64_t deviceMemBytes = 0, hostRssBytes = 0;
    double decodeGbps = 0, peakGbps = 0;  // peak 0 = unknown
    // Per decode token, from the recordings (exact, no profiler needed);
    // -1 where the backend records nothing (the CPU reference).
    double dispatchesPerToken = -1, barriersPerToken = -1;
    // With RunOptions::profile: GPU time per shader and per weight (the
    // products' dispatches by role, e.g. "ffn_up"), per prompt and per
    // generated token (profiled runs are a little slower than plain ones).
    struct ShaderTime {
        std::string name;
        double msPerToken = 0, dispatchesPerToken = 0;
    };
    struct Profile {
        std::vector<ShaderTime> byShader, byWeight;
    };
    Profile ppProfile, tgProfile;
};

struct RunOptions {
    std::string backend = "vulkan";
    std::string device;  // Vulkan device index or name; "" = the best
    int nPrompt = 512, nGen = 128;
    uint64_t seed = 1;
    bool profile = false;  // Vulkan only: time every dispatch (timestamp queries)
};

// The weight type holding the most bytes, e.g. "Q4_0".
std::string dominantType(const Model& m);
// Peak resident set of this process (VmHWM), in bytes.
uint64_t peakRssBytes();

Result<RunResult> runBenchmark(const Model& m, double loadSeconds, const RunOptions& opt);

}  // namespace facet::bench
