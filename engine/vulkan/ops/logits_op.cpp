#include "vulkan/ops/logits_op.h"

#include <algorithm>
#include <cmath>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {
// Binding order of logits.comp.
enum Binding : uint32_t { kLogits, kPartials, kIds, kValues, kBindingCount };
}  // namespace

Status dispatchLogits(Cmd& cmd, const LogitsArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    constexpr const char* op = "logits";
    if (a.nTok == 0 || a.vocab == 0) return errorf("logits: %u x %u is empty", a.nTok, a.vocab);
    if (a.k > kLogitsMaxK) return errorf("logits: top-k %u > %u", a.k, kLogitsMaxK);
    if (a.k > a.vocab) return errorf("logits: top-k %u > vocabulary %u", a.k, a.vocab);
    if (a.k == 0 && a.cap == 0.0f) return errorf("logits: neither softcap nor top-k asked for");
    if (!(a.cap >= 0.0f) || std::isinf(a.cap))
        return errorf("logits: softcap %g must be finite and >= 0", double(a.cap));
    const uint32_t stride = a.stride ? a.stride : a.vocab;
    if (stride < a.vocab) return errorf("logits: row stride %u < vocabulary %u", stride, a.vocab);
    const uint32_t nChunks = (a.vocab + kLogitsChunk - 1) / kLogitsChunk;
    if (nChunks > caps.maxComputeWorkGroupCount[0])
        return errorf("logits: %u chunks > %u workgroups in x", nChunks, caps.maxComputeWorkGroupCount[0]);

    // Whole-tensor checks first (nothing is recorded on a bad argument).
    if (a.logits.empty()) return errorf("logits: no logits buffer");
    const uint64_t needBytes = opbind::rowSpan(a.nTok, a.vocab, stride) * 4;
    if (a.logits.size < needBytes)
        return errorf("logits: logits needs %llu bytes, the range has %llu", static_cast<unsigned long long>(needBytes),
                      static_cast<unsigned long long>(a.logits.size));
    opbind::Bound part, ids, vals;
    const uint64_t perRow = uint64_t(nChunks) * a.k;
    if (a.k > 0) {
        FACET_ASSIGN(part, opbind::bindRange(op, "scratch", a.scratch, 0, a.nTok * perRow, 8, caps));
        FACET_ASSIGN(ids, opbind::bindRange(op, "ids", a.ids, 0, uint64_t(a.nTok) * a.k, 4, caps));
        FACET_ASSIGN(vals, opbind::bindRange(op, "values", a.values, 0, uint64_t(a.nTok) * a.k, 4, caps));
    }
    // Tokens per window: the most whose rows fit one binding (with room for
    // the worst misalignment), and at most maxComputeWorkGroupCount in y / x.
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t rowBytes = uint64_t(a.vocab) * 4;
    if (rowBytes + align > caps.maxStorageBufferRange)
        return errorf("logits: one row of %u floats does not fit a %llu-byte storage binding", a.vocab,
                      static_cast<unsigned long long>(caps.maxStorageBufferRange));
    uint64_t windowRows = (caps.maxStorageBufferRange - align - rowBytes) / (uint64_t(stride) * 4) + 1;
    windowRows =
        std::min<uint64_t>({windowRows, a.nTok, caps.maxComputeWorkGroupCount[1], caps.maxComputeWorkGroupCount[0]});

    const uint32_t wg = opbind::workgroupSize(caps, 256);
    PipelineDesc desc;
    desc.shader = "logits";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, kLogitsChunk), SpecConstant::u32(2, a.k),
                 SpecConstant::u32(3, 0)};
    desc.pushBytes = sizeof(LogitsPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pass0, dev.pipelines().get(desc));
    const Pipeline* pass1 = nullptr;
    if (a.k > 0) {
        desc.spec[3] = SpecConstant::u32(3, 1);
        FACET_ASSIGN(pass1, dev.pipelines().get(desc));
    }

    LogitsPush p{};
    p.vocab = a.vocab;
    p.lStride = stride;
    p.nChunks = nChunks;
    p.cap = a.cap;
    for (int pass = 0; pass < (a.k > 0 ? 2 : 1); ++pass) {
        if (pass == 1) cmd.computeBarrier();  // pass 1 reads what pass 0 wrote
        for (uint64_t r0 = 0; r0 < a.nTok; r0 += windowRows) {
            // Windows share the candidate and output bindings (and their
            // aligned-down logits bindings may overlap): order them, or the
            // synchronization validation rightly reports write-after-write.
            if (r0 > 0) cmd.computeBarrier();
            const uint64_t n = std::min<uint64_t>(windowRows, a.nTok - r0);
            FACET_ASSIGN(const opbind::Bound l, opbind::bindRange(op, "logits", a.logits, r0 * stride,
                                                                  opbind::rowSpan(n, a.vocab, stride), 4, caps));
            // K = 0: the candidate bindings are never touched; logits stands in.
            const opbind::Bound& pb = a.k > 0 ? part : l;
            const opbind::Bound& ib = a.k > 0 ? ids : l;
            const opbind::Bound& vb = a.k > 0 ? vals : l;
            FACET_TRY(cmd.bind(pass == 0 ? *pass0 : *pass1, {l.bind, pb.bind, ib.bind, vb.bind}));
            p.nTok = static_cast<uint32_t>(n);
            p.lOffset = l.elemOffset;
            p.partOffset = static_cast<uint32_t>(part.elemOffset + r0 * perRow);
            p.idOffset = static_cast<uint32_t>(ids.elemOffset + r0 * a.k);
            p.valOffset = static_cast<uint32_t>(vals.elemOffset + r0 * a.k);
            FACET_TRY(cmd.push(p));
            if (pass == 0) {
                FACET_TRY(cmd.dispatch(nChunks, static_cast<uint32_t>(n)));
            } else {
                FACET_TRY(cmd.dispatch(static_cast<uint32_t>(n)));
            }
        }
    }
    return {};
}

}  // namespace facet::vk
