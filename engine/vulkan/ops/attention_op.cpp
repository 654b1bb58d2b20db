#include "vulkan/ops/attention_op.h"

#include <algorithm>
#include <bit>

#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

enum Binding : uint32_t { kQ, kK, kV, kOut, kPart, kBindingCount };
enum CombineBinding : uint32_t { kCombinePart, kCombineOut, kCombineBindingCount };

constexpr uint32_t kMaxDimsPerInvocation = 8;  // MAX_DIMS in attention.comp

uint32_t workgroupSize(const DeviceCaps& c, uint32_t headDim) {
    // Shared memory: q (headDim) + probs + reduction (2 × WG) floats.
    const uint32_t bySharedMem = (c.maxComputeSharedMemorySize / 4 - headDim) / 2;
    const uint32_t limit = std::min({128u, c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0], bySharedMem});
    return std::bit_floor(std::max(limit, 1u));
}

Status checkRange(const char* name, const BufferSlice& s, uint64_t need, uint64_t limit) {
    if (s.empty()) return errorf("attention: no %s buffer", name);
    if (s.offset % 4) return errorf("attention: %s starts at byte %llu, not a 4-byte boundary", name,
                                    static_cast<unsigned long long>(s.offset));
    if (s.size < need)
        return errorf("attention: %s needs %llu bytes, the range has %llu", name, static_cast<unsigned long long>(need),
                      static_cast<unsigned long long>(s.size));
    if (need > limit)
        return errorf("attention: %s of %llu bytes exceeds the %llu-byte storage binding limit", name,
                      static_cast<unsigned long long>(need), static_cast<unsigned long long>(limit));
    return {};
}

// Whether the attention_texel module can take these buffers (see the TEXEL_READS
// notes in attention.comp): a CPU device with texel buffers, 8 halves per K
// texel, every range on a 16-byte (and texel-offset) boundary, views within
// the buffers and the texel limit.
bool texelReadsFit(const DeviceCaps& c, const AttentionArgs& a, uint32_t qStride, uint64_t qBytes, uint64_t cacheBytes) {
    if (c.type != DeviceType::Cpu || !c.texelBuffers || a.headDim % 8 || qStride % 4) return false;
    const uint64_t align = std::max<uint64_t>(c.minTexelBufferOffsetAlignment, 16);
    for (const BufferSlice* s : {&a.q, &a.kCache, &a.vCache})
        if (s->offset % align) return false;
    return a.q.offset + (qBytes + 15) / 16 * 16 <= a.q.buffer->size() && cacheBytes % 16 == 0 &&
           cacheBytes / 4 <= c.maxTexelBufferElements && (qBytes + 15) / 16 <= c.maxTexelBufferElements;
}

}  // namespace

uint32_t attentionSplits(const DeviceCaps& caps, uint32_t nTok, uint32_t nHeads, uint64_t keysPerToken) {
    const uint64_t groups = uint64_t(nTok) * nHeads;
    if (caps.type == DeviceType::Cpu || groups >= 256) return 1;
    const uint64_t byKeys = (keysPerToken + 255) / 256;
    const uint64_t byGroups = (256 + groups - 1) / groups;
    // 16 at most: measured on an H200; more ranges are for llvmpipe's limit.
    return static_cast<uint32_t>(std::clamp<uint64_t>(std::min(byKeys, byGroups), 1, 16));
}

uint32_t attentionLoopLimitSplits(const DeviceCaps& caps, uint32_t headDim, uint64_t keys) {
    if (caps.driverName != "llvmpipe" || headDim == 0) return 1;
    const uint64_t wg = workgroupSize(caps, headDim);
    // Loop iterations per block of wg keys in attention.comp, counting every
    // loop as not unrolled: the q.k loop (headDim / 2), the p.v loops (wg
    // keys for each of the invocation's ceil(headDim / wg) dims, plus the
    // MAX_DIMS outer loop) and the two reduction trees. Measured on llvmpipe
    // 15: one range breaks between 9472 and 10500 keys at head dim 512 and
    // between 20000 and 22000 at 256, where this count reaches ~62000 to
    // ~66000; a budget of 50000 leaves a fifth spare.
    const uint64_t perBlock = headDim / 2 + (headDim + wg - 1) / wg * wg + kMaxDimsPerInvocation +
                              2 * std::bit_width(wg) + 1;
    const uint64_t keysPerSplit = std::max<uint64_t>(1, 50000 / perBlock - 1) * wg;
    return static_cast<uint32_t>((keys + keysPerSplit - 1) / keysPerSplit);
}

Status dispatchAttention(Cmd& cmd, const AttentionArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (a.nTok == 0 || a.nHeads == 0 || a.nKvHeads == 0 || a.headDim == 0)
        return errorf("attention: empty shape (%u tokens, %u heads, %u kv heads, head dim %u)", a.nTok, a.nHeads,
                      a.nKvHeads, a.headDim);
    if (a.nHeads % a.nKvHeads) return errorf("attention: %u heads are not a multiple of %u kv heads", a.nHeads, a.nKvHeads);
    if (a.headDim % 2) return errorf("attention: head dim %u must be even (halves are packed in pairs)", a.headDim);
    // Every attended position must still be in the ring (see the header).
    if (a.imageBegin > a.imageEnd || a.imageEnd > a.nTok)
        return errorf("attention: image block [%u, %u) lies outside the %u tokens", a.imageBegin, a.imageEnd, a.nTok);
    // Keys one query reads at most (an image block's queries see past their window's end).
    const uint64_t image = a.imageEnd - a.imageBegin;
    const uint64_t span = a.window ? std::min<uint64_t>(a.window + image, uint64_t(a.pos0) + a.nTok)
                                   : uint64_t(a.pos0) + a.nTok;
    if (a.capacity == 0 || span > a.capacity)
        return errorf("attention: %llu attended positions do not fit a cache of %u slots",
                      static_cast<unsigned long long>(span), a.capacity);
    const uint32_t wg = workgroupSize(caps, a.headDim);
    if (a.headDim > wg * kMaxDimsPerInvocation)
        return errorf("attention: head dim %u exceeds %u per workgroup", a.headDim, wg * kMaxDimsPerInvocation);

    const uint32_t qStride = a.qStride ? a.qStride : a.nHeads * a.headDim;
    const uint32_t oStride = a.outStride ? a.outStride : a.nHeads * a.headDim;
    const uint64_t limit = caps.maxStorageBufferRange;
    const uint64_t cacheBytes = uint64_t(a.capacity) * a.nKvHeads * a.headDim * 2;
    const uint64_t qBytes = (uint64_t(a.nTok - 1) * qStride + a.nHeads * a.headDim) * 4;
    FACET_TRY(checkRange("q", a.q, qBytes, limit));
    FACET_TRY(checkRange("out", a.out, (uint64_t(a.nTok - 1) * oStride + a.nHeads * a.headDim) * 4, limit));
    FACET_TRY(checkRange("k cache", a.kCache, cacheBytes, limit));
    FACET_TRY(checkRange("v cache", a.vCache, cacheBytes, limit));
    if (a.nTok > caps.maxComputeWorkGroupCount[1] || a.nHeads > caps.maxComputeWorkGroupCount[0])
        return errorf("attention: %u tokens x %u heads exceed the dispatch limits", a.nTok, a.nHeads);

    const uint32_t needed = attentionLoopLimitSplits(caps, a.headDim, span);
    if (needed > kAttentionMaxSplits)
        return errorf("attention: %llu keys need %u key ranges on %s (its loop limit), more than %u; use a shorter "
                      "context on this device", static_cast<unsigned long long>(span), needed, caps.name.c_str(),
                      kAttentionMaxSplits);
    if (needed > 1 && a.scratch.empty())
        return errorf("attention: %llu keys need split-K scratch on %s (its loop limit)",
                      static_cast<unsigned long long>(span), caps.name.c_str());
    uint32_t splits = a.splits ? a.splits : a.scratch.empty() ? 1 : attentionSplits(caps, a.nTok, a.nHeads, span);
    if (splits < needed) {
        if (a.splits) return errorf("attention: %u splits forced, %s needs %u for %llu keys", a.splits,
                                    caps.name.c_str(), needed, static_cast<unsigned long long>(span));
        splits = needed;
    }
    if (splits > kAttentionMaxSplits) return errorf("attention: %u splits > %u", splits, kAttentionMaxSplits);
    const uint32_t splitLen = splits > 1 ? static_cast<uint32_t>((span + splits - 1) / splits) : 0;
    if (splits > 1) {
        FACET_TRY(checkRange("scratch", a.scratch, attentionScratchBytes(a.nTok, a.nHeads, a.headDim, splits), limit));
        if (splits > caps.maxComputeWorkGroupCount[2]) return errorf("attention: %u splits exceed the dispatch limit", splits);
    }

    const bool texel = texelReadsFit(caps, a, qStride, qBytes, cacheBytes);
    PipelineDesc desc;
    desc.shader = texel ? "attention_texel" : "attention";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, a.headDim)};
    desc.pushBytes = sizeof(AttentionPush);
    desc.bindings = kBindingCount;
    if (texel) desc.texelFormats = {VK_FORMAT_R32G32B32A32_SFLOAT, VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32_UINT};
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    // Without splits the partials binding is never written: out stands in.
    const BufferSlice q = texel ? BufferSlice{a.q.buffer, a.q.offset, (qBytes + 15) / 16 * 16} : a.q;
    const BufferSlice k = texel ? BufferSlice{a.kCache.buffer, a.kCache.offset, cacheBytes} : a.kCache;
    const BufferSlice v = texel ? BufferSlice{a.vCache.buffer, a.vCache.offset, cacheBytes} : a.vCache;
    FACET_TRY(cmd.bind(*pipe, {q, k, v, a.out, splits > 1 ? a.scratch : a.out}));
    AttentionPush p{};
    p.nTok = a.nTok;
    p.nHeads = a.nHeads;
    p.nKvHeads = a.nKvHeads;
    p.pos0 = a.pos0;
    p.window = a.window;
    p.capacity = a.capacity;
    p.qOffset = 0;
    p.qStride = qStride;
    p.oOffset = 0;
    p.oStride = oStride;
    p.splitLen = splitLen;
    p.imgBegin = a.imageBegin;
    p.imgEnd = a.imageEnd;
    FACET_TRY(cmd.push(p));
    FACET_TRY(cmd.dispatch(a.nHeads, a.nTok, splits));
    if (splits == 1) return {};

    cmd.computeBarrier();
    PipelineDesc cdesc;
    cdesc.shader = "attention_combine";
    cdesc.spec = {SpecConstant::u32(0, std::min<uint32_t>(wg, 128)), SpecConstant::u32(1, a.headDim)};
    cdesc.pushBytes = sizeof(AttentionCombinePush);
    cdesc.bindings = kCombineBindingCount;
    FACET_ASSIGN(const Pipeline* combine, dev.pipelines().get(cdesc));
    FACET_TRY(cmd.bind(*combine, {a.scratch, a.out}));
    const AttentionCombinePush cp{a.nTok, a.nHeads, splits, 0, oStride};
    FACET_TRY(cmd.push(cp));
    return cmd.dispatch(a.nHeads, a.nTok);
}

}  // namespace facet::vk
