// facet-bench --vision: time to encode one picture into soft tokens
// (preprocessing + the vision tower + pooling and projection), on the CPU
// reference and on a Vulkan device (VisionVulkan), for a given projector or a
// random one with the real E2B/E4B tower shapes. This is what an image adds
// to a reply's time to first token, besides prefilling its soft tokens.
#pragma once

#include <string>

namespace facet::bench {

struct VisionBenchOptions {
    std::string mmproj;      // a gemma4v projector; empty: write a random e2b-shaped one first
    std::string out;         // where the random projector goes
    int width = 640, height = 480;  // the synthetic picture
    int runs = 2;
    std::string backend;     // "cpu", "vulkan", or "" for both
    std::string device;      // Vulkan device: "" = best or FACET_DEVICE, index or name substring
    bool profile = false;    // Vulkan: GPU time per shader and per weight over the runs
};

int runVisionBench(const VisionBenchOptions& options);

}  // namespace facet::bench
