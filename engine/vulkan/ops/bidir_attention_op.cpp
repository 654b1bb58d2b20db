#include "vulkan/ops/bidir_attention_op.h"

#include <algorithm>
#include <bit>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

enum Binding : uint32_t { kQ, kK, kV, kBounds, kOut, kBindingCount };

constexpr uint32_t kMaxDimsPerInvocation = 8;  // MAX_DIMS in attention_bidir.comp

uint32_t workgroupSize(const DeviceCaps& c, uint32_t headDim) {
    // Shared memory: q (headDim) + probs + reduction (2 x WG) floats.
    const uint32_t bySharedMem = (c.maxComputeSharedMemorySize / 4 - headDim) / 2;
    const uint32_t limit = std::min({128u, c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0], bySharedMem});
    return std::bit_floor(std::max(limit, 1u));
}

// The most keys one workgroup may visit on llvmpipe, which silently ends
// loops once an invocation has run 65535 iterations (see
// attentionLoopLimitSplits). Per block of wg keys this shader runs the q·k
// loop (headDim), the p·v loops (wg keys for each of ceil(headDim / wg) dims,
// plus the MAX_DIMS loop) and two reduction trees; 50000 iterations leave the
// same fifth spare as attention.comp's measured budget. No limit elsewhere.
uint64_t maxKeysPerToken(const DeviceCaps& c, uint32_t headDim, uint32_t wg) {
    if (c.driverName != "llvmpipe") return UINT64_MAX;
    const uint64_t perBlock = headDim + (headDim + wg - 1) / wg * wg + kMaxDimsPerInvocation + 2 * std::bit_width(wg) + 1;
    return std::max<uint64_t>(1, 50000 / perBlock - 1) * wg;
}

}  // namespace

std::vector<uint32_t> sequenceBounds(const std::vector<int>& starts) {
    std::vector<uint32_t> b;
    for (size_t s = 0; s + 1 < starts.size(); ++s)
        for (int t = starts[s]; t < starts[s + 1]; ++t) {
            b.push_back(static_cast<uint32_t>(starts[s]));
            b.push_back(static_cast<uint32_t>(starts[s + 1] - 1));
        }
    return b;
}

Status dispatchBidirAttention(Cmd& cmd, const BidirAttentionArgs& a) {
    constexpr const char* op = "bidirectional attention";
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (a.nTok == 0 || a.nHeads == 0 || a.nKvHeads == 0 || a.headDim == 0)
        return errorf("%s: empty shape (%u tokens, %u heads, %u kv heads, head dim %u)", op, a.nTok, a.nHeads,
                      a.nKvHeads, a.headDim);
    if (a.nHeads % a.nKvHeads) return errorf("%s: %u heads are not a multiple of %u kv heads", op, a.nHeads, a.nKvHeads);
    const uint32_t wg = workgroupSize(caps, a.headDim);
    if (a.headDim > wg * kMaxDimsPerInvocation)
        return errorf("%s: head dim %u exceeds %u per workgroup", op, a.headDim, wg * kMaxDimsPerInvocation);
    if (a.nTok > caps.maxComputeWorkGroupCount[1] || a.nHeads > caps.maxComputeWorkGroupCount[0])
        return errorf("%s: %u tokens x %u heads exceed the dispatch limits", op, a.nTok, a.nHeads);
    const uint64_t keyLimit = maxKeysPerToken(caps, a.headDim, wg);
    if (a.maxKeys == 0 || a.maxKeys > keyLimit)
        return errorf("%s: %u keys per token %s on %s (its loop limit: %llu at head dim %u)", op, a.maxKeys,
                      a.maxKeys == 0 ? "not given" : "are too many", caps.name.c_str(),
                      static_cast<unsigned long long>(keyLimit == UINT64_MAX ? 0 : keyLimit), a.headDim);

    const uint32_t qStride = a.qStride ? a.qStride : a.nHeads * a.headDim;
    const uint32_t kvStride = a.kvStride ? a.kvStride : a.nKvHeads * a.headDim;
    const uint32_t oStride = a.outStride ? a.outStride : a.nHeads * a.headDim;
    if (qStride < a.nHeads * a.headDim || kvStride < a.nKvHeads * a.headDim || oStride < a.nHeads * a.headDim)
        return errorf("%s: a row stride is below its heads' width", op);
    FACET_ASSIGN(const opbind::Bound q,
                 opbind::bindRange(op, "q", a.q, 0, opbind::rowSpan(a.nTok, a.nHeads * a.headDim, qStride), 4, caps));
    FACET_ASSIGN(const opbind::Bound k,
                 opbind::bindRange(op, "k", a.k, 0, opbind::rowSpan(a.nTok, a.nKvHeads * a.headDim, kvStride), 4, caps));
    FACET_ASSIGN(const opbind::Bound v,
                 opbind::bindRange(op, "v", a.v, 0, opbind::rowSpan(a.nTok, a.nKvHeads * a.headDim, kvStride), 4, caps));
    FACET_ASSIGN(const opbind::Bound b, opbind::bindRange(op, "bounds", a.bounds, 0, uint64_t(a.nTok) * 2, 4, caps));
    FACET_ASSIGN(const opbind::Bound o,
                 opbind::bindRange(op, "out", a.out, 0, opbind::rowSpan(a.nTok, a.nHeads * a.headDim, oStride), 4, caps));

    PipelineDesc desc;
    desc.shader = "attention_bidir";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, a.headDim)};
    desc.pushBytes = sizeof(BidirAttentionPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {q.bind, k.bind, v.bind, b.bind, o.bind}));
    BidirAttentionPush p{};
    p.nTok = a.nTok;
    p.nHeads = a.nHeads;
    p.nKvHeads = a.nKvHeads;
    p.qOffset = q.elemOffset;
    p.qStride = qStride;
    p.kOffset = k.elemOffset;
    p.vOffset = v.elemOffset;
    p.kvStride = kvStride;
    p.bOffset = b.elemOffset;
    p.oOffset = o.elemOffset;
    p.oStride = oStride;
    p.sliding = a.sliding ? 1u : 0u;
    p.halfWindow = a.halfWindow;
    p.scale = a.scale;
    FACET_TRY(cmd.push(p));
    return cmd.dispatch(a.nHeads, a.nTok);
}

}  // namespace facet::vk
