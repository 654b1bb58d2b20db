#include "kernel_bench.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "model/ggml_type.h"
#include "vulkan/ops/mat_mat_op.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"
#include "vulkan/row_interleave.h"
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
// A prefill GEMM takes milliseconds: fewer repetitions keep a sweep short.
constexpr int kGemmReps = 3;
constexpr int kGemmPasses = 3;

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

const char* layoutName(vk::MatVecLayout l, bool tiled = false) {
    return l == vk::MatVecLayout::Lanes    ? (tiled ? "tiled" : "lanes")
           : l == vk::MatVecLayout::Groups ? "groups"
           : l == vk::MatVecLayout::Blocks ? "blocks"
                                           : "default";
}

// GPU time per dispatch of what `record` records: the fastest of `passes`
// passes of `reps` identical dispatches (each behind a barrier), after one
// warm-up pass. The fastest pass, not the mean: on a shared host (lavapipe on
// a VM) other tenants only ever add time, and variants compared by their
// means flip run to run.
Result<double> timeDispatch(vk::Device& dev, const std::function<Status(vk::Cmd&)>& record, int reps = kReps,
                            int passes = kPasses, uint32_t dispatchesPerRecord = 1) {
    FACET_ASSIGN(auto prof, vk::DispatchProfiler::create(dev, 2 * reps * dispatchesPerRecord + 2));
    FACET_ASSIGN(auto cmd, vk::Cmd::create(dev, "kernel bench"));
    cmd->setProfiler(prof.get());
    double best = 0;
    for (int pass = 0; pass <= passes; ++pass) {  // pass 0 warms caches and clocks
        prof->clear();
        FACET_TRY(cmd->begin());
        for (int i = 0; i < reps; ++i) {
            FACET_TRY(record(*cmd));
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

// A device with its uploader, or the reason there is none.
struct BenchDevice {
    std::unique_ptr<vk::Instance> instance;
    std::unique_ptr<vk::Device> device;
    std::unique_ptr<vk::Uploader> uploader;
};

Result<BenchDevice> openDevice(const std::string& select) {
    FACET_TRY(vk::loadVulkan());
    BenchDevice b;
    FACET_ASSIGN(b.instance, vk::Instance::create());
    vk::DeviceOptions o;
    o.select = select;
    FACET_ASSIGN(b.device, vk::Device::create(*b.instance, o));
    FACET_ASSIGN(b.uploader, vk::Uploader::create(*b.device));
    return b;
}

// Device buffers for one product: random weights of `type` (a spare word
// after the rows, as DeviceWeights leaves: the lanes layout reads one past;
// row-interleaved in tiles of `tileRows` when not 0), x of `nTok` vectors, y.
struct ProductBuffers {
    std::unique_ptr<vk::Buffer> w, x, y;
    uint64_t weightBytes = 0;
    uint32_t tileRows = 0;
};

Result<ProductBuffers> makeProduct(BenchDevice& b, GgmlType type, const Shape& sh, uint32_t nTok,
                                   uint32_t tileRows = 0, uint64_t seed = 0) {
    ProductBuffers p;
    const vk::RowInterleave layout = vk::matVecTileLayout(type, sh.cols, sh.rows, tileRows);  // (Q6_K padded)
    p.weightBytes = rowBytes(type, sh.cols) * sh.rows;  // as in the file
    p.tileRows = tileRows;
    const uint64_t padded = (p.weightBytes + 3) / 4 * 4;
    FACET_ASSIGN(p.w, vk::Buffer::create(*b.device, vk::MemoryKind::DeviceLocal, layout.imageBytes() + 8, "weights"));
    FACET_ASSIGN(p.x, vk::Buffer::create(*b.device, vk::MemoryKind::DeviceLocal, uint64_t(sh.cols) * nTok * 4, "x"));
    FACET_ASSIGN(p.y, vk::Buffer::create(*b.device, vk::MemoryKind::DeviceLocal, uint64_t(sh.rows) * nTok * 4, "y"));
    const auto wb = randomWeights(padded, sh.rows + seed);
    const std::vector<float> xv(size_t(sh.cols) * nTok, 0.5f);
    const vk::UploadItem item{p.w->slice(0, layout.imageBytes()), wb.data(), layout.imageBytes(), layout};
    FACET_TRY(b.uploader->upload(std::span<const vk::UploadItem>(&item, 1)));
    FACET_TRY(b.uploader->upload(p.x->whole(), xv.data(), xv.size() * 4));
    return p;
}

// `count` copies of a product (each its own random weights).
Result<std::vector<ProductBuffers>> makeProducts(BenchDevice& b, GgmlType type, const Shape& sh, uint32_t count,
                                                 uint32_t tileRows) {
    std::vector<ProductBuffers> v;
    for (uint32_t i = 0; i < count; ++i) {
        FACET_ASSIGN(auto p, makeProduct(b, type, sh, 1, tileRows, i));
        v.push_back(std::move(p));
    }
    return v;
}

// MatVecArgs or MatMatArgs for the whole product in `p`.
template <typename Args>
Args productArgs(const ProductBuffers& p, GgmlType type, const Shape& sh) {
    Args a;
    a.weight = p.w->whole();
    a.type = type;
    a.cols = sh.cols;
    a.rowEnd = sh.rows;
    a.x = p.x->whole();
    a.y = p.y->whole();
    if constexpr (std::is_same_v<Args, vk::MatVecArgs>) a.tileRows = p.tileRows;
    return a;
}

bool wanted(GgmlType type, const std::optional<GgmlType>& only) { return !only || *only == type; }

int fail(const std::string& m) {
    std::fprintf(stderr, "facet-bench: %s\n", m.c_str());
    return 1;
}

}  // namespace

int runKernelBench(const std::string& device, const std::string& only, const std::string& layout,
                   std::optional<GgmlType> onlyType, uint32_t rotate) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // rows appear as measured
    rotate = std::max(rotate, 1u);
    auto opened = openDevice(device);
    if (!opened.ok()) return fail(opened.message());
    BenchDevice& b = opened.value();
    vk::Device& dev = *b.device;
    // Row-interleaved weights in the tiles DeviceWeights would use (the
    // lanes layout's SIMD width x 4 rows where it does not use them).
    const uint32_t tileRows = vk::matVecTileRows(dev) ? vk::matVecTileRows(dev) : 32;

    std::printf("mat_vec on %s, 1 token, %u matri%s in turn: GPU time per dispatch (fastest of %d passes of %d) "
                "and weight GB/s\n",
                dev.name().c_str(), rotate, rotate == 1 ? "x" : "ces", kPasses, kReps);
    std::printf("| %-12s | %-5s | %-6s | %4s | %4s | %6s | %9s | %8s |\n", "shape", "type", "layout", "wg", "rows",
                "unroll", "us", "GB/s");
    for (GgmlType type : {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K}) {
        if (!wanted(type, onlyType)) continue;
        for (const Shape& sh : kShapes) {
            if (!only.empty() && std::string(sh.what).find(only) == std::string::npos) continue;
            // Every shape of every layout (lanes only where texel buffers
            // exist, tiled where the type can be interleaved too).
            const bool tiles = dev.caps().texelBuffers && vk::matVecCanInterleave(type, sh.cols);
            std::vector<std::pair<vk::MatVecShape, bool>> shapes;
            for (uint32_t wg : {32u, 64u, 128u, 256u})
                for (uint32_t rows : {2u, 4u, 8u})
                    for (uint32_t unroll : {1u, 2u, 4u, 8u})
                        shapes.push_back({{wg, rows, unroll, vk::MatVecLayout::Groups}, false});
            for (uint32_t wg : {32u, 64u, 128u, 256u})
                for (uint32_t rows : {1u, 2u, 4u, 8u}) shapes.push_back({{wg, rows, 1, vk::MatVecLayout::Blocks}, false});
            for (bool tiled : {false, true}) {
                if (!dev.caps().texelBuffers || (tiled && !tiles)) continue;
                for (uint32_t wg : {8u, 16u, 32u, 64u})
                    for (uint32_t rows : {1u, 2u, 4u, 8u}) shapes.push_back({{wg, rows, 1, vk::MatVecLayout::Lanes}, tiled});
            }
            std::vector<ProductBuffers> plain, tiled;
            double best = 1e30;
            std::pair<vk::MatVecShape, bool> bestShape;
            uint64_t bytes = 0;
            for (const auto& [shape, isTiled] : shapes) {
                if (!layout.empty() && layout != layoutName(shape.layout, isTiled)) continue;
                if (!vk::matVecShape(dev.caps(), 1, shape).ok()) continue;
                std::vector<ProductBuffers>& bufs = isTiled ? tiled : plain;
                if (bufs.empty()) {  // made on first use: only what the sweep needs takes memory
                    auto made = makeProducts(b, type, sh, rotate, isTiled ? tileRows : 0);
                    if (!made.ok()) return fail(made.message());
                    bufs = std::move(made.value());
                }
                bytes = bufs.front().weightBytes;
                auto t = timeDispatch(
                    dev,
                    [&](vk::Cmd& cmd) -> Status {
                        for (const ProductBuffers& p : bufs) {
                            auto a = productArgs<vk::MatVecArgs>(p, type, sh);
                            a.shape = shape;
                            FACET_TRY(vk::dispatchMatVec(cmd, a));
                        }
                        return {};
                    },
                    std::max(1, kReps / int(rotate)), kPasses, rotate);
                if (!t.ok()) return fail(t.message());
                const double us = t.value() * 1e3;
                if (us < best) best = us, bestShape = {shape, isTiled};
                std::printf("| %-12s | %-5s | %-6s | %4u | %4u | %6u | %9.1f | %8.1f |\n", sh.what,
                            typeName(type).c_str(), layoutName(shape.layout, isTiled), shape.wgSize, shape.rows,
                            shape.unroll, us, bytes / (us * 1e3));
            }
            if (best == 1e30) continue;
            const vk::MatVecShape& bs = bestShape.first;
            // The default as a model gets it: tiled where DeviceWeights interleaves.
            const uint32_t defTiles = tiles ? vk::matVecTileRows(dev) : 0;
            auto def = vk::matVecShape(dev.caps(), 1, {}, sh.rows, false, defTiles ? std::optional(type) : std::nullopt);
            std::printf("best %s %s: %s wg %u rows %u unroll %u, %.1f us, %.1f GB/s (default %s wg %u rows %u unroll %u)\n",
                        sh.what, typeName(type).c_str(), layoutName(bs.layout, bestShape.second), bs.wgSize, bs.rows,
                        bs.unroll, best, bytes / (best * 1e3), def.ok() ? layoutName(def.value().layout, defTiles) : "-",
                        def.ok() ? def.value().wgSize : 0, def.ok() ? def.value().rows : 0,
                        def.ok() ? def.value().unroll : 0);
        }
    }
    return 0;
}

int runGemmBench(const std::string& device, const std::string& only, uint32_t nTok, std::optional<GgmlType> onlyType) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    auto opened = openDevice(device);
    if (!opened.ok()) return fail(opened.message());
    BenchDevice& b = opened.value();
    vk::Device& dev = *b.device;
    // A CPU device runs its own direct tile (matMatTile); shared-memory
    // tiles take seconds per dispatch there, so only the default is timed.
    const bool sweep = dev.caps().type != vk::DeviceType::Cpu;
    std::printf("mat_mat on %s, %u tokens: GPU time per dispatch (fastest of %d passes of %d) and TFLOP/s\n",
                dev.name().c_str(), nTok, kGemmPasses, kGemmReps);
    std::printf("| %-12s | %-5s | %4s | %4s | %3s | %2s | %2s | %10s | %7s |\n", "shape", "type", "bm", "bn", "bk", "tm",
                "tn", "us", "TFLOP/s");
    for (GgmlType type : {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K}) {
        if (!wanted(type, onlyType)) continue;
        for (const Shape& sh : kShapes) {
            if (!only.empty() && std::string(sh.what).find(only) == std::string::npos) continue;
            auto bufs = makeProduct(b, type, sh, nTok);
            if (!bufs.ok()) return fail(bufs.message());
            const double flops = 2.0 * sh.rows * sh.cols * nTok;
            const vk::MatMatTile def = vk::matMatTile(dev.caps(), nTok);
            std::vector<vk::MatMatTile> tiles{def};
            if (sweep)
                for (uint32_t bm : {32u, 64u, 128u})
                    for (uint32_t bn : {32u, 64u, 128u})
                        for (uint32_t bk : {16u, 32u})
                            for (auto [tm, tn] : {std::pair{4u, 4u}, {8u, 4u}, {4u, 8u}, {8u, 8u}}) {
                                const vk::MatMatTile t{bm, bn, bk, tm, tn, false};
                                if (bm % tm || bn % tn || t.invocations() < 32 || t.invocations() > 256) continue;
                                if (bm == def.bm && bn == def.bn && bk == def.bk && tm == def.tm && tn == def.tn) continue;
                                tiles.push_back(t);
                            }
            double best = 1e30;
            vk::MatMatTile bestTile;
            for (const vk::MatMatTile& tile : tiles) {
                auto a = productArgs<vk::MatMatArgs>(bufs.value(), type, sh);
                a.nTok = nTok;
                a.tile = tile;
                auto t = timeDispatch(dev, [&](vk::Cmd& cmd) { return vk::dispatchMatMat(cmd, a); }, kGemmReps,
                                      kGemmPasses);
                if (!t.ok()) {  // a tile this device cannot take (shared memory, invocations)
                    std::printf("| %-12s | %-5s | %4u | %4u | %3u | %2u | %2u | %10s | %7s |\n", sh.what,
                                typeName(type).c_str(), tile.bm, tile.bn, tile.bk, tile.tm, tile.tn, "-", "-");
                    continue;
                }
                const double us = t.value() * 1e3;
                if (us < best) best = us, bestTile = tile;
                std::printf("| %-12s | %-5s | %4u | %4u | %3u | %2u | %2u | %10.1f | %7.2f |\n", sh.what,
                            typeName(type).c_str(), tile.bm, tile.bn, tile.bk, tile.tm, tile.tn, us, flops / (us * 1e6));
            }
            if (best < 1e30)
                std::printf("best %s %s: FACET_VK_MATMAT_TILE=%ux%ux%ux%ux%u, %.1f us, %.2f TFLOP/s (default "
                            "%ux%ux%ux%ux%u)\n",
                            sh.what, typeName(type).c_str(), bestTile.bm, bestTile.bn, bestTile.bk, bestTile.tm,
                            bestTile.tn, best, flops / (best * 1e6), def.bm, def.bn, def.bk, def.tm, def.tn);
        }
    }
    return 0;
}

}  // namespace facet::bench
