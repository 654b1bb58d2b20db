#include "vulkan/ops/geglu_op.h"

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Status dispatchGeglu(Cmd& cmd, const GegluArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    constexpr const char* op = "geglu";
    if (a.nTok == 0 || a.n == 0) return errorf("geglu: %u x %u is empty", a.nTok, a.n);
    if (a.nTok > caps.maxComputeWorkGroupCount[1])
        return errorf("geglu: %u tokens > %u workgroups in y", a.nTok, caps.maxComputeWorkGroupCount[1]);
    const uint32_t gS = a.gStride ? a.gStride : a.n, uS = a.uStride ? a.uStride : a.n;
    const uint32_t oS = a.outStride ? a.outStride : a.n;
    if (gS < a.n || uS < a.n || oS < a.n) return errorf("geglu: a row stride is below %u values", a.n);
    FACET_ASSIGN(const opbind::Bound g,
                 opbind::bindRange(op, "g", a.g, a.gFirst, opbind::rowSpan(a.nTok, a.n, gS), 4, caps));
    FACET_ASSIGN(const opbind::Bound u,
                 opbind::bindRange(op, "u", a.u, a.uFirst, opbind::rowSpan(a.nTok, a.n, uS), 4, caps));
    FACET_ASSIGN(const opbind::Bound o,
                 opbind::bindRange(op, "out", a.out, a.outFirst, opbind::rowSpan(a.nTok, a.n, oS), 4, caps));

    const uint32_t wg = opbind::workgroupSize(caps, 256);
    PipelineDesc desc;
    desc.shader = "geglu";
    desc.spec = {SpecConstant::u32(0, wg)};
    desc.pushBytes = sizeof(GegluPush);
    desc.bindings = 3;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {g.bind, u.bind, o.bind}));
    const GegluPush p{a.nTok, a.n, g.elemOffset, gS, u.elemOffset, uS, o.elemOffset, oS};
    FACET_TRY(cmd.push(p));
    return cmd.dispatch((a.n + wg - 1) / wg, a.nTok);
}

}  // namespace facet::vk
