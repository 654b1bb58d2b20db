#include "vulkan/ops/rope_op.h"

#include <algorithm>
#include <cmath>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {
// Binding order of rope.comp.
enum Binding : uint32_t { kX, kWeight, kTheta, kPositions, kCache, kKWeight, kVCache, kBindingCount };
// rope.comp's MAX_DIM: the STORE row buffer (2 KiB of shared memory).
constexpr uint32_t kMaxStoreDim = 512;
}  // namespace

namespace {
// x truncated to its top 12 significant bits (exact in double and in float
// while the exponent is in float's normal range).
double top12Bits(double x) {
    if (x == 0.0) return 0.0;
    int e = 0;
    const double m = std::frexp(x, &e);  // x = m·2^e, 0.5 <= |m| < 1
    return std::ldexp(std::trunc(std::ldexp(m, 12)), e - 12);
}
}  // namespace

std::vector<float> ropeThetaTable(const std::vector<double>& thetas) {
    std::vector<float> t(thetas.size() * 4, 0.0f);
    for (size_t j = 0; j < thetas.size(); ++j) {
        const double tau = thetas[j] / (2.0 * M_PI);
        const double t1 = top12Bits(tau);
        const double t2 = top12Bits(tau - t1);
        t[4 * j] = static_cast<float>(t1);
        t[4 * j + 1] = static_cast<float>(t2);
        t[4 * j + 2] = static_cast<float>(tau - t1 - t2);
    }
    return t;
}

Status dispatchRope(Cmd& cmd, const RopeArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    constexpr const char* op = "rope";
    if (a.nTok == 0 || a.nHeads == 0 || a.headDim == 0)
        return errorf("rope: %u tokens x %u heads x %u is empty", a.nTok, a.nHeads, a.headDim);
    if (a.headDim % 2) return errorf("rope: head dim %u is odd", a.headDim);
    if (!a.norm && !a.rotate) return errorf("rope: neither norm nor rotate asked for");
    if (!(a.eps >= 0.0f)) return errorf("rope: eps %g must be >= 0", static_cast<double>(a.eps));
    const uint32_t headStride = a.headStride ? a.headStride : a.headDim;
    const uint32_t tokStride = a.tokStride ? a.tokStride : a.nHeads * headStride;
    if (headStride < a.headDim) return errorf("rope: head stride %u < head dim %u", headStride, a.headDim);
    if (a.nHeads > 1 && tokStride < (a.nHeads - 1) * uint64_t(headStride) + a.headDim)
        return errorf("rope: token stride %u overlaps %u heads of stride %u", tokStride, a.nHeads, headStride);
    const bool usePos = !a.positions.empty();
    if (a.rotate && !usePos && (a.pos0 < 0 || uint64_t(a.pos0) + a.nTok > (uint64_t(1) << 24)))
        return errorf("rope: positions %d..%llu outside [0, 2^24)", a.pos0,
                      static_cast<unsigned long long>(int64_t(a.pos0) + a.nTok - 1));

    const bool store = !a.cache.empty();
    if (store && (usePos || a.capacity == 0 || a.nTok > a.capacity || a.headDim > kMaxStoreDim || a.pos0 < 0))
        return errorf("rope: storing into a KV ring needs pos0 >= 0 (no positions buffer), 1..%u tokens for its %u "
                      "slots and a head dim <= %u (have %u)",
                      a.capacity, a.capacity, kMaxStoreDim, a.headDim);

    const bool qkv = a.nKvHeads > 0;
    if (qkv && (!a.norm || !a.rotate || a.weight.empty() || a.kWeight.empty() || !store || a.vCache.empty()))
        return errorf("rope: q, k and v in one dispatch need norm, rotate, both norm weights and both KV rings");
    // Heads of a token's row, and those the dispatch takes (one workgroup each).
    const uint32_t rowHeads = qkv ? a.nHeads + (a.vFromK ? 1u : 2u) * a.nKvHeads : a.nHeads;
    const uint32_t workHeads = qkv ? a.nHeads + 2u * a.nKvHeads : a.nHeads;
    const uint32_t ringHeads = qkv ? a.nKvHeads : a.nHeads;
    if (qkv && tokStride < (rowHeads - 1) * uint64_t(headStride) + a.headDim)
        return errorf("rope: token stride %u overlaps the %u q, k and v heads of stride %u", tokStride, rowHeads,
                      headStride);
    const uint64_t rowFloats = opbind::rowSpan(rowHeads, a.headDim, headStride);
    FACET_ASSIGN(const opbind::Bound x,
                 opbind::bindRange(op, "x", a.x, 0, opbind::rowSpan(a.nTok, rowFloats, tokStride), 4, caps));
    opbind::Bound w = x, th = x, pos = x;  // absent inputs: x stands in (never read)
    const bool hasWeight = a.norm && !a.weight.empty();
    if (hasWeight) {
        FACET_ASSIGN(w, opbind::bindRange(op, "weight", a.weight, 0, a.headDim, 4, caps));
    }
    if (a.rotate) {
        FACET_ASSIGN(th, opbind::bindRange(op, "theta", a.theta, 0, a.headDim / 2, 16, caps));
    }
    if (a.rotate && usePos) {
        FACET_ASSIGN(pos, opbind::bindRange(op, "positions", a.positions, 0, a.nTok, 4, caps));
    }
    opbind::Bound kv = x;  // never written without STORE
    if (store) {
        FACET_ASSIGN(kv, opbind::bindRange(op, "cache", a.cache, 0,
                                           uint64_t(a.capacity) * ringHeads * (a.headDim / 2), 4, caps));
    }
    opbind::Bound wk = x, vc = x;  // QKV only (stand-ins never read or written otherwise)
    if (qkv) {
        FACET_ASSIGN(wk, opbind::bindRange(op, "k weight", a.kWeight, 0, a.headDim, 4, caps));
        FACET_ASSIGN(vc, opbind::bindRange(op, "v cache", a.vCache, 0,
                                           uint64_t(a.capacity) * ringHeads * (a.headDim / 2), 4, caps));
    }

    // 64 invocations: a 256-wide head is 128 pairs, two per invocation.
    // CPU devices: one SIMD batch per head (see rms_norm_op.cpp; E2B decode's
    // 65 ropes on 2 cores 9-10 ms per token with 64 invocations, 5.5 ms with 8).
    const uint32_t want = caps.type == DeviceType::Cpu ? 8u : 64u;
    const uint32_t wg = a.invocations ? a.invocations
                                      : opbind::workgroupSize(caps, std::min(want, caps.maxComputeSharedMemorySize / 4u));
    if (!opbind::workgroupFits(caps, wg, 4))
        return errorf("%s: %u invocations per head is not a power of two within the device's limits", op, wg);
    PipelineDesc desc;
    desc.shader = caps.subgroupReduce() ? "rope_subgroup" : "rope";
    desc.spec = {SpecConstant::u32(0, wg),          SpecConstant::boolean(1, a.norm),
                 SpecConstant::boolean(2, hasWeight), SpecConstant::boolean(3, a.rotate),
                 SpecConstant::boolean(4, store && !qkv), SpecConstant::u32(5, kMaxStoreDim),
                 SpecConstant::boolean(6, qkv)};
    desc.pushBytes = sizeof(RopePush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {x.bind, w.bind, th.bind, pos.bind, kv.bind, wk.bind, vc.bind}));

    RopePush p{};
    p.nTok = a.nTok;
    p.nHeads = a.nHeads;
    p.headDim = a.headDim;
    p.xOffset = x.elemOffset;
    p.tokStride = tokStride;
    p.headStride = headStride;
    p.wOffset = hasWeight ? w.elemOffset : 0;
    p.thetaOffset = a.rotate ? th.elemOffset : 0;
    p.posOffset = (a.rotate && usePos) ? pos.elemOffset : 0;
    p.usePositions = (a.rotate && usePos) ? 1u : 0u;
    p.pos0 = a.pos0;
    p.eps = a.eps;
    p.cacheOffset = store ? kv.elemOffset : 0;
    p.capacity = store ? a.capacity : 1;
    p.nKvHeads = a.nKvHeads;
    p.vHead0 = a.vFromK ? a.nHeads : a.nHeads + a.nKvHeads;
    p.wkOffset = qkv ? wk.elemOffset : 0;
    p.vCacheOffset = qkv ? vc.elemOffset : 0;
    FACET_TRY(cmd.push(p));
    const uint64_t rows = uint64_t(a.nTok) * workHeads;
    const uint32_t gx = static_cast<uint32_t>(std::min<uint64_t>(rows, caps.maxComputeWorkGroupCount[0]));
    return cmd.dispatch(gx, static_cast<uint32_t>((rows + gx - 1) / gx));
}

}  // namespace facet::vk
