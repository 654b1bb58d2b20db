#include "vision_bench.h"

#include <chrono>
#include <cstdio>

#include "vision/image_preprocess.h"
#include "vision/projector_maker.h"
#include "vision/vision_forward.h"

namespace facet::bench {

int runVisionBench(const VisionBenchOptions& o) {
    std::string path = o.mmproj;
    if (path.empty()) {
        path = o.out.empty() ? "mmproj-e2b-random.f16.gguf" : o.out;
        VisionDesc shape;
        projectorShapeByName("e2b", shape);
        if (Status s = writeRandomProjector(shape, {}, path); !s.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", s.message().c_str());
            return 1;
        }
        std::fprintf(stderr, "wrote %s (random E2B/E4B tower, f16)\n", path.c_str());
    }
    auto model = VisionModel::open(path);
    if (!model.ok()) {
        std::fprintf(stderr, "facet-bench: %s\n", model.message().c_str());
        return 1;
    }
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
    std::printf("tower: %d layers, width %d, %d heads x %d, FFN %d -> text width %d\n", d.layers, d.width, d.heads,
                d.headDim, d.ffn, d.textWidth);
    for (int run = 0; run < o.runs; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        auto pre = preprocessImage(img, budget);
        if (!pre.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", pre.message().c_str());
            return 1;
        }
        const auto t1 = std::chrono::steady_clock::now();
        auto tokens = encodeImageCpu(*model.value(), encoderInput(pre.value()), pre->plan.targetWidth, pre->plan.targetHeight);
        const auto t2 = std::chrono::steady_clock::now();
        if (!tokens.ok()) {
            std::fprintf(stderr, "facet-bench: %s\n", tokens.message().c_str());
            return 1;
        }
        const double prep = std::chrono::duration<double>(t1 - t0).count(), enc = std::chrono::duration<double>(t2 - t1).count();
        std::printf("run %d: %dx%d -> %dx%d canvas, %d patches, %d soft tokens: preprocess %.3f s, encode %.2f s (CPU reference)\n",
                    run + 1, o.width, o.height, pre->plan.targetWidth, pre->plan.targetHeight,
                    (pre->plan.targetWidth / d.patchSize) * (pre->plan.targetHeight / d.patchSize), tokens->count(), prep, enc);
    }
    return 0;
}

}  // namespace facet::bench
