#include "vulkan/ops/mat_mat_op.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "vulkan/ops/mat_vec_op.h"  // shaderTypeStem
#include "vulkan/ops/product_args.h"
#include "vulkan/ops/product_log.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_kernel_choices.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

// Binding order of mat_mat.comp.
enum Binding : uint32_t { kWeight, kX, kY, kBindingCount };

// The most groups of 8 in one block (the K-quants: 256 / 8), the size of the
// shader's `runs` table in the largest variant.
constexpr uint32_t kMaxGroups = 32;

// ws, xs (one vec4 each when unused) and runs of mat_mat.comp.
uint32_t sharedBytes(const MatMatTile& t) {
    return (t.directW ? 32 : 4 * (t.bk + 4) * (t.bm + t.bn)) + 8 * kMaxGroups;
}

bool fits(const MatMatTile& t, const DeviceCaps& c) {
    const uint32_t inv = t.invocations();
    return inv <= c.maxComputeWorkGroupInvocations && inv <= c.maxComputeWorkGroupSize[0] &&
           sharedBytes(t) <= c.maxComputeSharedMemorySize;
}

}  // namespace

Status checkMatMatTile(const MatMatTile& t, const DeviceCaps& c) {
    if (t.tm == 0 || t.tn == 0 || t.bm % t.tm || t.bn % t.tn || t.bk == 0 || t.bk % 8)
        return errorf("mat_mat: tile %ux%u (k %u) with %ux%u per invocation is malformed", t.bm, t.bn, t.bk, t.tm,
                      t.tn);
    if (!fits(t, c))
        return errorf("mat_mat: tile %ux%u (k %u) needs %u invocations and %u bytes of shared memory, the device "
                      "allows %u and %u",
                      t.bm, t.bn, t.bk, t.invocations(), sharedBytes(t),
                      std::min(c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0]),
                      c.maxComputeSharedMemorySize);
    return {};
}

namespace {

// The most vectors of `width` floats `stride` apart whose binding stays within
// `budget` bytes; 0 if not even one does.
uint64_t vectorsPerBinding(uint64_t budget, uint64_t width, uint64_t stride) {
    if (budget < width * 4) return 0;
    return (budget - width * 4) / (stride * 4) + 1;
}

// The kernel tuner's tile for this product, if it has one that still fits;
// else the default decides (a stale or edited record is never an error).
std::optional<MatMatTile> tunedTile(const Device& dev, const MatMatArgs& a) {
    if (dev.kernelChoices().empty()) return std::nullopt;
    const auto n = dev.kernelChoices().find(matMatChoiceKey(a));
    if (!n || n->size() != 6 || (*n)[5] > 1) return std::nullopt;
    const MatMatTile t{(*n)[0], (*n)[1], (*n)[2], (*n)[3], (*n)[4], (*n)[5] == 1};
    // (within the tuner's range: a huge register tile would build for minutes)
    if (t.empty() || t.bm > 256 || t.bn > 256 || t.bk > 64 || t.tm > 16 || t.tn > 16 ||
        !checkMatMatTile(t, dev.caps()).ok())
        return std::nullopt;
    return t;
}

}  // namespace

std::string matMatChoiceKey(const MatMatArgs& a) {
    char k[96];
    // Tokens in the buckets of the default token tile (matMatTile): a
    // prompt's chunks share their choice, whatever the last one's length.
    const uint32_t bucket = a.nTok <= 16 ? 16 : a.nTok <= 32 ? 32 : 64;
    std::snprintf(k, sizeof k, "mat_mat %s %ux%u n%s%u", shaderTypeStem(a.type), a.cols, a.rowEnd - a.rowBegin,
                  bucket == 64 ? ">" : "<=", bucket == 64 ? 32 : bucket);
    return k;
}

std::vector<uint32_t> matMatChoiceNumbers(const MatMatTile& t) {
    return {t.bm, t.bn, t.bk, t.tm, t.tn, t.directW ? 1u : 0u};
}

MatMatTile matMatTile(const DeviceCaps& caps, uint32_t nTok) {
    MatMatTile t;
    if (caps.type == DeviceType::Cpu) {
        // lavapipe/llvmpipe runs 8 invocations as the lanes of one SIMD loop
        // and performs every shared or storage load lane by lane (a loop with
        // a branch per lane), while a multiply-add is one vector instruction;
        // a barrier splits the shader into coroutines whose frames hold every
        // accumulator. So each invocation dequantizes its own 8 rows straight
        // into registers and reads x directly, 8 x 8 outputs, no shared memory
        // and no barrier (directW), one SIMD group per 64 x 8 tile. Measured
        // on llvmpipe (LLVM 15, one thread; Q4_0 1536 x 6144, 64 tokens):
        // 0.77 s against 1.0 s for dispatchMatVec in chunks of 8; the GPU tile
        // below takes 2.7 s. 16 x 8 (0.51 s) and 16 x 16 (0.42 s) take ~3 and
        // ~8.5 s instead of ~1.2 s to compile (Q4_0; F32 about 3x): every
        // loop inside the K loop must unroll (see the loop-limit note in
        // mat_mat.comp), so the compile time grows with the register tile.
        t = MatMatTile{64, 8, 8, 8, 8, true};
    } else {
        // GPUs: a 64-row weight tile dequantized once into shared memory and
        // 4 x 4 outputs per invocation (16 accumulators, 8 vec4 shared loads
        // per 64 multiply-adds), so registers stay low and occupancy high.
        // BN follows the prompt, as tokens past nTok in a tile are computed
        // and dropped: 64 x 64 is 256 invocations and 10.5 KiB of shared
        // memory (16 KiB guaranteed).
        const uint32_t bn = nTok <= 16 ? 16 : nTok <= 32 ? 32 : 64;
        t = MatMatTile{64, bn, 16, 4, 4, false};
    }
    // Devices at the guaranteed minimum (128 invocations) halve the token tile.
    while (!fits(t, caps) && t.bn > t.tn) t.bn /= 2;
    while (!fits(t, caps) && t.bm > t.tm) t.bm /= 2;
    return t;  // dispatchMatMat reports a tile that still does not fit
}

Status dispatchMatMat(Cmd& cmd, const MatMatArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    const std::string stem = shaderTypeStem(a.type);
    if (stem.empty()) return errorf("mat_mat: weight type %s has no shader", typeName(a.type).c_str());
    if (a.cols == 0 || a.rowEnd <= a.rowBegin)
        return errorf("mat_mat: %u columns, rows [%u, %u) is empty", a.cols, a.rowBegin, a.rowEnd);
    if (a.nTok == 0) return errorf("mat_mat: 0 vectors, expected at least 1");
    FACET_ASSIGN(const ProductShape ps, checkProductArgs("mat_mat", a.weight, a.type, a.cols, a.rowBegin, a.rowEnd, a.x, a.y,
                                                       a.xStride, a.yStride, a.nTok));
    const uint64_t rb = ps.rowBytes;
    const uint32_t rows = ps.rows, xStride = ps.xStride, yStride = ps.yStride;
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t limit = caps.maxStorageBufferRange;

    // Tokens per window: x and y of a window each fit one binding (a window
    // starts at any float, so up to align - 4 bytes before it join the
    // binding). One window in the usual case; prompts whose activations
    // exceed maxStorageBufferRange split.
    const uint64_t budget = limit - std::min<uint64_t>(limit, align - 4);
    const uint64_t tokX = vectorsPerBinding(budget, a.cols, xStride);
    const uint64_t tokY = vectorsPerBinding(budget, rows, yStride);
    if (tokX == 0 || tokY == 0)
        return errorf("mat_mat: one vector of x (%u floats) or y (%u floats) does not fit a %llu-byte storage binding",
                      a.cols, rows, static_cast<unsigned long long>(limit));
    const uint64_t tokFit = std::min(tokX, tokY);

    MatMatTile tile = a.tile;
    if (tile.empty()) {
        tile = matMatTile(caps, static_cast<uint32_t>(std::min<uint64_t>(a.nTok, tokFit)));
        // A benchmark's FACET_VK_MATMAT_TILE (DeviceOptions::matMatTile).
        if (const auto& o = dev.matMatTileOverride(); o[0] != 0) {
            tile = {o[0], o[1], o[2], o[3], o[4], tile.directW};
        } else {
            if (ProductLog* log = cmd.productLog()) log->matMat.push_back(a);
            if (auto tuned = tunedTile(dev, a)) tile = *tuned;
        }
    }
    FACET_TRY(checkMatMatTile(tile, caps));
    // llvmpipe silently ends loops after 65535 iterations per invocation in
    // total (see mat_mat.comp): refuse rows that long rather than truncate.
    if (caps.driverName == "llvmpipe" && a.cols / (tile.directW ? 8 : tile.bk) + 8 >= 65535)
        return errorf("mat_mat: %u columns exceed llvmpipe's loop limit (about %u)", a.cols,
                      (65535 - 8) * (tile.directW ? 8 : tile.bk));

    // Rows per window: the most that fit one binding with room for the worst
    // misalignment of the window start and the rounding up to a whole word,
    // and whose row tiles fit one dispatch.
    FACET_ASSIGN(const uint64_t bindRows, weightWindowRows("mat_mat", rb, limit, align));
    const uint64_t windowRows = std::min<uint64_t>(bindRows, uint64_t(caps.maxComputeWorkGroupCount[0]) * tile.bm);
    // Token tiles of a window fit one dispatch too.
    const uint64_t windowTok = std::min<uint64_t>(tokFit, uint64_t(caps.maxComputeWorkGroupCount[1]) * tile.bn);

    PipelineDesc desc;
    desc.shader = "mat_mat_" + stem;
    desc.spec = {SpecConstant::u32(0, tile.invocations()), SpecConstant::u32(1, tile.bm),
                 SpecConstant::u32(2, tile.bn),           SpecConstant::u32(3, tile.bk),
                 SpecConstant::u32(4, tile.tm),           SpecConstant::u32(5, tile.tn),
                 SpecConstant::boolean(6, tile.directW)};
    desc.pushBytes = sizeof(MatMatPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    bool first = true;
    for (uint64_t t0 = 0; t0 < a.nTok; t0 += windowTok) {
        const uint64_t nt = std::min<uint64_t>(windowTok, a.nTok - t0);
        const FloatWindow x = floatWindow(a.x, a.x.offset + t0 * xStride * 4, (nt - 1) * xStride + a.cols, align);
        const FloatWindow y = floatWindow(a.y, a.y.offset + t0 * yStride * 4, (nt - 1) * yStride + rows, align);
        for (uint64_t r0 = 0; r0 < rows; r0 += windowRows) {
            const uint64_t k = std::min<uint64_t>(windowRows, rows - r0);
            // Every row window binds all of this token window's y (its rows
            // interleave with the other windows' per token), and aligned-down
            // y bindings of token windows may share a few bytes: order the
            // writes, which the synchronization validation rightly flags at
            // binding-range level otherwise. Only tensors or prompts beyond
            // maxStorageBufferRange split.
            if (!first) cmd.computeBarrier();
            first = false;
            const WeightWindow w = weightWindow(a.weight, a.rowBegin + r0, k, rb, align);
            FACET_TRY(cmd.bind(*pipe, {w.bind, x.bind, y.bind}));
            MatMatPush p{};
            p.rows = static_cast<uint32_t>(k);
            p.cols = a.cols;
            p.rowBytes = static_cast<uint32_t>(rb);
            p.wByteOffset = w.byteOffset;
            p.xOffset = x.elemOffset;
            p.xStride = xStride;
            p.yOffset = y.elemOffset + static_cast<uint32_t>(r0);
            p.yStride = yStride;
            p.nTok = static_cast<uint32_t>(nt);
            p.accumulate = a.accumulate ? 1u : 0u;
            FACET_TRY(cmd.push(p));
            FACET_TRY(cmd.dispatch(static_cast<uint32_t>((k + tile.bm - 1) / tile.bm),
                                   static_cast<uint32_t>((nt + tile.bn - 1) / tile.bn)));
        }
    }
    return {};
}

}  // namespace facet::vk
