#include "vision_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>

#include "vision/image_preprocess.h"
#include "vision/projector_maker.h"
#include "vision/vision_forward.h"
#include "vision/vision_vulkan.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"
#include "vulkan/vk_profiler.h"

namespace facet::bench {

namespace {

int fail(const std::string& m) {
    std::fprintf(stderr, "facet-bench: %s\n", m.c_str());
    return 1;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

using Tower = std::function<Result<SoftTokens>(const std::vector<float>&, int, int)>;

// `runs` encodes of `pre` through `tower`, a line each; the last soft tokens in `last`.
int timeTower(const char* name, const Tower& tower, const PreprocessedImage& pre, const VisionDesc& d, int runs,
              double prepSeconds, SoftTokens& last) {
    const std::vector<float> input = encoderInput(pre);
    const int w = pre.plan.targetWidth, h = pre.plan.targetHeight;
    for (int run = 0; run < runs; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        auto tokens = tower(input, w, h);
        const double enc = secondsSince(t0);
        if (!tokens.ok()) return fail(tokens.message());
        std::printf("run %d: %dx%d canvas, %d patches, %d soft tokens: preprocess %.3f s, encode %.2f s (%s)\n", run + 1,
                    w, h, (w / d.patchSize) * (h / d.patchSize), tokens->count(), prepSeconds, enc, name);
        std::fflush(stdout);
        last = std::move(tokens).value();
    }
    return 0;
}

}  // namespace

int runVisionBench(const VisionBenchOptions& o) {
    if (o.backend != "" && o.backend != "cpu" && o.backend != "vulkan")
        return fail("unknown backend '" + o.backend + "' (vulkan or cpu; both without --backend)");
    std::string path = o.mmproj;
    if (path.empty()) {
        path = o.out.empty() ? "mmproj-e2b-random.f16.gguf" : o.out;
        VisionDesc shape;
        projectorShapeByName("e2b", shape);
        if (Status s = writeRandomProjector(shape, {}, path); !s.ok()) return fail(s.message());
        std::fprintf(stderr, "wrote %s (random E2B/E4B tower, f16)\n", path.c_str());
    }
    auto model = VisionModel::open(path);
    if (!model.ok()) return fail(model.message());
    const VisionDesc& d = model.value()->desc();
    RgbImage img;
    img.width = o.width;
    img.height = o.height;
    img.rgb.resize(size_t(3) * o.width * o.height);
    for (int y = 0; y < o.height; ++y)
        for (int x = 0; x < o.width; ++x)
            for (int c = 0; c < 3; ++c)
                img.rgb[(size_t(y) * o.width + x) * 3 + c] = uint8_t((x * (c + 1) + y * (3 - c)) & 255);
    ImageBudget budget;
    budget.patchSize = d.patchSize;
    budget.poolKernel = d.poolKernel;
    std::printf("tower: %d layers, width %d, %d heads x %d, FFN %d -> text width %d; picture %dx%d\n", d.layers, d.width,
                d.heads, d.headDim, d.ffn, d.textWidth, o.width, o.height);
    const auto t0 = std::chrono::steady_clock::now();
    auto pre = preprocessImage(img, budget);
    if (!pre.ok()) return fail(pre.message());
    const double prep = secondsSince(t0);

    SoftTokens cpuTokens, gpuTokens;
    if (o.backend != "vulkan") {
        const Tower cpu = [&](const std::vector<float>& in, int w, int h) { return encodeImageCpu(*model.value(), in, w, h); };
        if (int rc = timeTower("CPU reference", cpu, pre.value(), d, o.runs, prep, cpuTokens)) return rc;
    }
    if (o.backend != "cpu") {
        const auto s0 = std::chrono::steady_clock::now();
        if (Status st = vk::loadVulkan(); !st.ok()) return fail(st.message());
        auto instance = vk::Instance::create();
        if (!instance.ok()) return fail(instance.message());
        vk::DeviceOptions dopt;
        dopt.select = o.device;
        auto dev = vk::Device::create(*instance.value(), dopt);
        if (!dev.ok()) return fail(dev.message());
        std::unique_ptr<vk::DispatchProfiler> profiler;
        VisionVulkanOptions vo;
        if (o.profile) {  // a stamp after every dispatch (~16 per patch group and layer)
            auto p = vk::DispatchProfiler::create(*dev.value(), 1u << 17);
            if (!p.ok()) return fail(p.message());
            profiler = std::move(p).value();
            vo.profiler = profiler.get();
        }
        auto gpu = VisionVulkan::create(*dev.value(), *model.value(), vo);
        if (!gpu.ok()) return fail(gpu.message());
        std::printf("Vulkan on %s: weights uploaded in %.2f s (the first run also builds the pipelines)\n",
                    gpu.value()->deviceName().c_str(), secondsSince(s0));
        const std::string name = "Vulkan, " + gpu.value()->deviceName();
        const Tower tower = [&](const std::vector<float>& in, int w, int h) { return gpu.value()->encode(in, w, h); };
        if (int rc = timeTower(name.c_str(), tower, pre.value(), d, o.runs, prep, gpuTokens)) return rc;
        if (profiler) {
            std::printf("\nGPU time over %d run(s): %.1f ms\n| %-28s | %10s | %10s |\n", o.runs, profiler->totalMs(),
                        "shader", "ms", "dispatches");
            for (const auto& e : profiler->totals())
                std::printf("| %-28s | %10.1f | %10llu |\n", e.name.c_str(), e.ms, static_cast<unsigned long long>(e.count));
            std::printf("\n| %-28s | %10s | %10s |\n", "product (weight)", "ms", "dispatches");
            for (const auto& e : profiler->totalsByLabel())
                std::printf("| %-28s | %10.1f | %10llu |\n", e.name.c_str(), e.ms, static_cast<unsigned long long>(e.count));
        }
    }
    if (!cpuTokens.values.empty() && cpuTokens.values.size() == gpuTokens.values.size()) {
        double worst = 0, peak = 0;
        for (size_t i = 0; i < cpuTokens.values.size(); ++i) {
            worst = std::max(worst, double(std::abs(cpuTokens.values[i] - gpuTokens.values[i])));
            peak = std::max(peak, double(std::abs(cpuTokens.values[i])));
        }
        std::printf("Vulkan vs CPU reference: max |diff| %.3g (max |value| %.3g)\n", worst, peak);
    }
    return 0;
}

}  // namespace facet::bench
