#include "kernel_bench.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/ggml_type.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"
#include "vulkan/vk_profiler.h"
#include "vulkan/vk_upload.h"

namespace facet::bench {

namespace {

struct Shape {
    const char* what;
    uint32_t cols, rows;
};

// Decode GEMVs of the real models: 31B FFN up/down (far bigger than any L2,
// so they show DRAM bandwidth) and E2B FFN up (fits a big GPU's L2).
constexpr Shape kShapes[] = {{"31b ffn_up", 5376, 21504}, {"31b ffn_down", 21504, 5376}, {"e2b ffn_up", 1536, 6144}};
constexpr int kReps = 12;
constexpr int kPasses = 5;

// Random bytes, with every fp16 scale field valid: halves come out finite
// because the top exponent bits of each byte pair are masked when the type
// starts its blocks with a scale (all quantized types but Q6_K start or end
// with fp16 fields; timing does not depend on the values).
std::vector<uint8_t> randomWeights(size_t bytes, uint64_t seed) {
    std::vector<uint8_t> v(bytes);
    std::mt19937_64 rng(seed);
    for (size_t i = 0; i < bytes; i += 8) {
        const uint64_t r = rng() & 0x3BFF3BFF3BFF3BFFull;  // |half| < 1 wherever a pair is read as one
        std::memcpy(&v[i], &r, std::min<size_t>(8, bytes - i));
    }
    return v;
}

const char* layoutName(vk::MatVecLayout l) {
    return l == vk::MatVecLayout::Lanes ? "lanes" : l == vk::MatVecLayout::Groups ? "groups" : "default";
}

// GPU time per dispatch: the fastest of kPasses passes of kReps identical
// dispatches (each behind a barrier), after one warm-up pass. The fastest
// pass, not the mean: on a shared host (lavapipe on a VM) other tenants only
// ever add time, and variants compared by their means flip run to run.
Result<double> timeMatVec(vk::Device& dev, const vk::MatVecArgs& a) {
    FACET_ASSIGN(auto prof, vk::DispatchProfiler::create(dev, 2 * kReps + 2));
    FACET_ASSIGN(auto cmd, vk::Cmd::create(dev, "kernel bench"));
    cmd->setProfiler(prof.get());
    double best = 0;
    for (int pass = 0; pass <= kPasses; ++pass) {  // pass 0 warms caches and clocks
        prof->clear();
        FACET_TRY(cmd->begin());
        for (int i = 0; i < kReps; ++i) {
            FACET_TRY(vk::dispatchMatVec(*cmd, a));
            cmd->computeBarrier();
        }
        FACET_TRY(cmd->submitAndWait());
        const auto t = prof->totals();
        if (t.empty() || t[0].count == 0) return errorf("no timestamps");
        const double ms = t[0].ms / static_cast<double>(t[0].count);
        if (pass > 0 && (best == 0 || ms < best)) best = ms;
    }
    return best;
}

}  // namespace

int runKernelBench(const std::string& device, const std::string& only, const std::string& layout) {
    auto fail = [](const std::string& m) {
        std::fprintf(stderr, "facet-bench: %s\n", m.c_str());
        return 1;
    };
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // rows appear as measured
    if (Status s = vk::loadVulkan(); !s.ok()) return fail(s.message());
    auto inst = vk::Instance::create();
    if (!inst.ok()) return fail(inst.message());
    vk::DeviceOptions o;
    o.select = device;
    auto devR = vk::Device::create(*inst.value(), o);
    if (!devR.ok()) return fail(devR.message());
    vk::Device& dev = *devR.value();
    auto up = vk::Uploader::create(dev);
    if (!up.ok()) return fail(up.message());

    std::printf("mat_vec on %s, 1 token: GPU time per dispatch (fastest of %d passes of %d) and weight GB/s\n",
                dev.name().c_str(), kPasses, kReps);
    std::printf("| %-12s | %-5s | %-6s | %4s | %4s | %6s | %9s | %8s |\n", "shape", "type", "layout", "wg", "rows",
                "unroll", "us", "GB/s");
    for (GgmlType type : {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q6_K}) {
        for (const Shape& sh : kShapes) {
            if (!only.empty() && std::string(sh.what).find(only) == std::string::npos) continue;
            const uint64_t rb = rowBytes(type, sh.cols);
            const uint64_t bytes = rb * sh.rows;
            // A spare word after the rows, as DeviceWeights leaves (the lanes layout reads one past).
            auto w = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, (bytes + 3) / 4 * 4 + 4, "weights");
            auto x = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, sh.cols * 4ull, "x");
            auto y = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, sh.rows * 4ull, "y");
            if (!w.ok() || !x.ok() || !y.ok()) return fail("cannot allocate the kernel-bench buffers");
            const auto wb = randomWeights((bytes + 3) / 4 * 4, sh.rows);
            std::vector<float> xv(sh.cols, 0.5f);
            if (Status s = up.value()->upload(w.value()->whole(), wb.data(), wb.size()); !s.ok()) return fail(s.message());
            if (Status s = up.value()->upload(x.value()->whole(), xv.data(), xv.size() * 4); !s.ok())
                return fail(s.message());
            double best = 1e30;
            vk::MatVecShape bestShape;
            // Every shape of both layouts (lanes only where texel buffers exist).
            std::vector<vk::MatVecShape> shapes;
            for (uint32_t wg : {32u, 64u, 128u, 256u})
                for (uint32_t rows : {2u, 4u, 8u})
                    for (uint32_t unroll : {1u, 2u, 4u, 8u}) shapes.push_back({wg, rows, unroll, vk::MatVecLayout::Groups});
            if (dev.caps().texelBuffers)
                for (uint32_t wg : {8u, 16u, 32u, 64u})
                    for (uint32_t rows : {1u, 2u, 4u, 8u}) shapes.push_back({wg, rows, 1, vk::MatVecLayout::Lanes});
            for (const vk::MatVecShape& shape : shapes) {
                if (!layout.empty() && layout != layoutName(shape.layout)) continue;
                vk::MatVecArgs a;
                a.weight = w.value()->whole();
                a.type = type;
                a.cols = sh.cols;
                a.rowEnd = sh.rows;
                a.x = x.value()->whole();
                a.y = y.value()->whole();
                a.shape = shape;
                if (!vk::matVecShape(dev.caps(), 1, a.shape).ok()) continue;
                auto t = timeMatVec(dev, a);
                if (!t.ok()) return fail(t.message());
                const double us = t.value() * 1e3;
                if (us < best) best = us, bestShape = a.shape;
                std::printf("| %-12s | %-5s | %-6s | %4u | %4u | %6u | %9.1f | %8.1f |\n", sh.what,
                            typeName(type).c_str(), layoutName(shape.layout), shape.wgSize, shape.rows, shape.unroll,
                            us, bytes / (us * 1e3));
            }
            auto def = vk::matVecShape(dev.caps(), 1, {}, sh.rows);
            std::printf("best %s %s: %s wg %u rows %u unroll %u, %.1f us, %.1f GB/s (default %s wg %u rows %u unroll %u)\n",
                        sh.what, typeName(type).c_str(), layoutName(bestShape.layout), bestShape.wgSize, bestShape.rows,
                        bestShape.unroll, best, bytes / (best * 1e3), def.ok() ? layoutName(def.value().layout) : "-",
                        def.ok() ? def.value().wgSize : 0, def.ok() ? def.value().rows : 0,
                        def.ok() ? def.value().unroll : 0);
            std::fflush(stdout);
        }
    }
    return 0;
}

}  // namespace facet::bench
