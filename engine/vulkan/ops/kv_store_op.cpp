#include "vulkan/ops/kv_store_op.h"

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Status dispatchKvStore(Cmd& cmd, const KvStoreArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    constexpr const char* op = "kv_store";
    if (a.nTok == 0 || a.width == 0) return errorf("kv_store: %u x %u is empty", a.nTok, a.width);
    if (a.width % 2) return errorf("kv_store: row width %u is odd (two halves per word)", a.width);
    if (a.capacity == 0) return errorf("kv_store: the ring has no slots");
    // More rows than slots would store two rows in one slot in one dispatch:
    // which one wins is undefined.
    if (a.nTok > a.capacity) return errorf("kv_store: %u rows into a ring of %u slots", a.nTok, a.capacity);
    if (a.nTok > caps.maxComputeWorkGroupCount[1])
        return errorf("kv_store: %u tokens > %u workgroups in y", a.nTok, caps.maxComputeWorkGroupCount[1]);
    if (uint64_t(a.pos0) + a.nTok > 0xffffffffull) return errorf("kv_store: position %u overflows", a.pos0);
    const bool hasV = !a.v.empty();
    const uint32_t kS = a.kStride ? a.kStride : a.width, vS = a.vStride ? a.vStride : a.width;
    if (kS < a.width || (hasV && vS < a.width)) return errorf("kv_store: a row stride is below %u values", a.width);
    const uint32_t words = a.width / 2;

    FACET_ASSIGN(const opbind::Bound k,
                 opbind::bindRange(op, "k", a.k, 0, opbind::rowSpan(a.nTok, a.width, kS), 4, caps));
    FACET_ASSIGN(const opbind::Bound kc,
                 opbind::bindRange(op, "k cache", a.kCache, 0, uint64_t(a.capacity) * words, 4, caps));
    opbind::Bound v = k, vc = kc;  // K only: K stands in (never touched)
    if (hasV) {
        FACET_ASSIGN(v, opbind::bindRange(op, "v", a.v, 0, opbind::rowSpan(a.nTok, a.width, vS), 4, caps));
        FACET_ASSIGN(vc, opbind::bindRange(op, "v cache", a.vCache, 0, uint64_t(a.capacity) * words, 4, caps));
    }

    const uint32_t wg = opbind::workgroupSize(caps, 128);
    PipelineDesc desc;
    desc.shader = "kv_store";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::boolean(1, hasV)};
    desc.pushBytes = sizeof(KvStorePush);
    desc.bindings = 4;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {k.bind, v.bind, kc.bind, vc.bind}));
    const KvStorePush p{
        a.nTok,     words, k.elemOffset, kS, hasV ? v.elemOffset : 0, vS, kc.elemOffset, hasV ? vc.elemOffset : 0,
        a.capacity, a.pos0};
    FACET_TRY(cmd.push(p));
    return cmd.dispatch((words + wg - 1) / wg, a.nTok);
}

}  // namespace facet::vk
