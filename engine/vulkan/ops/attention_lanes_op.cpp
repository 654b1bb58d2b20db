#include "vulkan/ops/attention_lanes_op.h"

#include <algorithm>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

enum Binding : uint32_t { kQ, kK, kV, kOut, kBindingCount };

constexpr uint32_t kMaxHeadDim = 256;  // 4 · MAX_HD4 in attention_lanes.comp

struct Strides {
    uint32_t q, kv, out;
};

Strides stridesOf(const AttentionLanesArgs& a) {
    return {a.qStride ? a.qStride : a.nHeads * a.headDim, a.kvStride ? a.kvStride : a.nKvHeads * a.headDim,
            a.outStride ? a.outStride : a.nHeads * a.headDim};
}

// The first `texels` 16-byte texels of `t` as a view from a texel-aligned
// offset at or before it, plus t's texel offset inside the view.
Result<opbind::Bound> texelRange(const char* name, const BufferSlice& t, uint64_t texels, const DeviceCaps& caps) {
    constexpr const char* op = "attention_lanes";
    if (t.empty()) return errorf("%s: no %s buffer", op, name);
    if (t.offset % 16)
        return errorf("%s: %s starts at byte %llu, not a multiple of 16", op, name, static_cast<unsigned long long>(t.offset));
    if (t.size < texels * 16)
        return errorf("%s: %s needs %llu bytes, the range has %llu", op, name, static_cast<unsigned long long>(texels * 16),
                      static_cast<unsigned long long>(t.size));
    const uint64_t align = std::max<uint64_t>(caps.minTexelBufferOffsetAlignment, 16);
    const uint64_t bindStart = t.offset / align * align, bytes = t.offset - bindStart + texels * 16;
    if (bytes / 16 > caps.maxTexelBufferElements)
        return errorf("%s: %s needs %llu texels, the device's texel views hold %llu", op, name,
                      static_cast<unsigned long long>(bytes / 16),
                      static_cast<unsigned long long>(caps.maxTexelBufferElements));
    return opbind::Bound{BufferSlice{t.buffer, bindStart, bytes}, static_cast<uint32_t>((t.offset - bindStart) / 16)};
}

}  // namespace

bool attentionLanesFits(const DeviceCaps& caps, const AttentionLanesArgs& a) {
    const Strides s = stridesOf(a);
    const uint64_t align = std::max<uint64_t>(caps.minTexelBufferOffsetAlignment, 16) / 16;  // slack at a view's start
    return caps.texelBuffers && a.headDim > 0 && a.headDim % 4 == 0 && a.headDim <= kMaxHeadDim && s.q % 4 == 0 &&
           s.kv % 4 == 0 && s.out % 4 == 0 && uint64_t(a.nTok) * s.q / 4 + align <= caps.maxTexelBufferElements &&
           uint64_t(a.nKeys) * s.kv / 4 + align <= caps.maxTexelBufferElements;
}

Status dispatchAttentionLanes(Cmd& cmd, const AttentionLanesArgs& a) {
    constexpr const char* op = "attention_lanes";
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (a.nTok == 0 || a.nKeys == 0 || a.nHeads == 0 || a.nKvHeads == 0 || a.headDim == 0)
        return errorf("%s: empty shape (%u tokens, %u keys, %u heads, %u kv heads, head dim %u)", op, a.nTok, a.nKeys,
                      a.nHeads, a.nKvHeads, a.headDim);
    if (a.nHeads % a.nKvHeads) return errorf("%s: %u heads are not a multiple of %u kv heads", op, a.nHeads, a.nKvHeads);
    if (!caps.texelBuffers) return errorf("%s: %s has no texel buffers", op, caps.name.c_str());
    if (!attentionLanesFits(caps, a))
        return errorf("%s: head dim %u and row strides must be multiples of 4 floats, the head dim at most %u", op,
                      a.headDim, kMaxHeadDim);
    const Strides s = stridesOf(a);
    if (s.q < a.nHeads * a.headDim || s.kv < a.nKvHeads * a.headDim || s.out < a.nHeads * a.headDim)
        return errorf("%s: a row stride is below its heads' width", op);
    const uint32_t want = a.invocations ? a.invocations : (caps.type == DeviceType::Cpu ? 8u : 64u);
    const uint32_t wg = std::min({want, caps.maxComputeWorkGroupInvocations, caps.maxComputeWorkGroupSize[0]});
    const uint64_t groups = (uint64_t(a.nTok) + wg - 1) / wg;
    if (groups > caps.maxComputeWorkGroupCount[0] || a.nHeads > caps.maxComputeWorkGroupCount[1])
        return errorf("%s: %u tokens x %u heads exceed the dispatch limits", op, a.nTok, a.nHeads);
    const uint32_t h4 = a.headDim / 4;
    FACET_ASSIGN(const opbind::Bound q, texelRange("q", a.q, opbind::rowSpan(a.nTok, a.nHeads * h4, s.q / 4), caps));
    FACET_ASSIGN(const opbind::Bound k, texelRange("k", a.k, opbind::rowSpan(a.nKeys, a.nKvHeads * h4, s.kv / 4), caps));
    FACET_ASSIGN(const opbind::Bound v, texelRange("v", a.v, opbind::rowSpan(a.nKeys, a.nKvHeads * h4, s.kv / 4), caps));
    FACET_ASSIGN(const opbind::Bound o,
                 opbind::bindRange(op, "out", a.out, 0, opbind::rowSpan(a.nTok, a.nHeads * h4, s.out / 4), 16, caps));

    PipelineDesc desc;
    desc.shader = "attention_lanes";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, a.headDim)};
    desc.pushBytes = sizeof(AttentionLanesPush);
    desc.bindings = kBindingCount;
    desc.texelFormats = {VK_FORMAT_R32G32B32A32_SFLOAT, VK_FORMAT_R32G32B32A32_SFLOAT, VK_FORMAT_R32G32B32A32_SFLOAT};
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {q.bind, k.bind, v.bind, o.bind}));
    AttentionLanesPush p{};
    p.nTok = a.nTok;
    p.nKeys = a.nKeys;
    p.nHeads = a.nHeads;
    p.nKvHeads = a.nKvHeads;
    p.qOffset = q.elemOffset;
    p.qStride = s.q / 4;
    p.kOffset = k.elemOffset;
    p.vOffset = v.elemOffset;
    p.kvStride = s.kv / 4;
    p.oOffset = o.elemOffset;
    p.oStride = s.out / 4;
    p.scale = a.scale;
    FACET_TRY(cmd.push(p));
    return cmd.dispatch(static_cast<uint32_t>(groups), a.nHeads);
}

}  // namespace facet::vk
