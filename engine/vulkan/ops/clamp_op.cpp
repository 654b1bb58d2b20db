#include "vulkan/ops/clamp_op.h"

#include <cmath>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Status dispatchClamp(Cmd& cmd, const ClampArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    constexpr const char* op = "clamp";
    if (a.nTok == 0 || a.n == 0) return errorf("clamp: %u x %u is empty", a.nTok, a.n);
    if (std::isnan(a.lo) || std::isnan(a.hi))
        return errorf("clamp: bounds [%g, %g] must be numbers or infinities", double(a.lo), double(a.hi));
    if (a.nTok > caps.maxComputeWorkGroupCount[1])
        return errorf("clamp: %u tokens > %u workgroups in y", a.nTok, caps.maxComputeWorkGroupCount[1]);
    const uint32_t xS = a.xStride ? a.xStride : a.n, oS = a.outStride ? a.outStride : a.n;
    if (xS < a.n || oS < a.n) return errorf("clamp: a row stride is below %u values", a.n);
    FACET_ASSIGN(const opbind::Bound x,
                 opbind::bindRange(op, "x", a.x, a.xFirst, opbind::rowSpan(a.nTok, a.n, xS), 4, caps));
    FACET_ASSIGN(const opbind::Bound o,
                 opbind::bindRange(op, "out", a.out, a.outFirst, opbind::rowSpan(a.nTok, a.n, oS), 4, caps));

    const uint32_t wg = opbind::workgroupSize(caps, 256);
    PipelineDesc desc;
    desc.shader = "clamp";
    desc.spec = {SpecConstant::u32(0, wg)};
    desc.pushBytes = sizeof(ClampPush);
    desc.bindings = 2;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {x.bind, o.bind}));
    const ClampPush p{a.nTok, a.n, x.elemOffset, xS, o.elemOffset, oS, a.lo, a.hi};
    FACET_TRY(cmd.push(p));
    return cmd.dispatch((a.n + wg - 1) / wg, a.nTok);
}

}  // namespace facet::vk
