#include "vulkan/ops/binary_op.h"

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Status dispatchBinary(Cmd& cmd, const BinaryArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    const char* op = cpu::binaryOpName(a.op);
    if (static_cast<uint32_t>(a.op) >= static_cast<uint32_t>(BinaryOp::Count))
        return errorf("binary: op %u is not a BinaryOp", static_cast<uint32_t>(a.op));
    if (a.nTok == 0 || a.n == 0) return errorf("%s: %u x %u is empty", op, a.nTok, a.n);
    if (a.nTok > caps.maxComputeWorkGroupCount[1])
        return errorf("%s: %u tokens > %u workgroups in y", op, a.nTok, caps.maxComputeWorkGroupCount[1]);
    const bool useB = a.op != BinaryOp::Scale;
    const bool useS = a.op == BinaryOp::Scale || a.op == BinaryOp::AddScale;
    const uint32_t aS = a.aStride ? a.aStride : a.n, bS = a.bStride ? a.bStride : a.n;
    const uint32_t oS = a.outStride ? a.outStride : a.n;
    if (aS < a.n || (useB && bS < a.n) || oS < a.n) return errorf("%s: a row stride is below %u values", op, a.n);

    FACET_ASSIGN(const opbind::Bound av,
                 opbind::bindRange(op, "a", a.a, a.aFirst, opbind::rowSpan(a.nTok, a.n, aS), 4, caps));
    FACET_ASSIGN(const opbind::Bound ov,
                 opbind::bindRange(op, "out", a.out, a.outFirst, opbind::rowSpan(a.nTok, a.n, oS), 4, caps));
    opbind::Bound bv = av, sv = av;  // unused inputs: a stands in (never read)
    if (useB) {
        FACET_ASSIGN(bv, opbind::bindRange(op, "b", a.b, a.bFirst, opbind::rowSpan(a.nTok, a.n, bS), 4, caps));
    }
    if (useS) {
        FACET_ASSIGN(sv, opbind::bindRange(op, "scalar", a.scalar, a.scalarFirst, 1, 4, caps));
    }

    const uint32_t wg = opbind::workgroupSize(caps, 256);
    PipelineDesc desc;
    desc.shader = "binary";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, static_cast<uint32_t>(a.op))};
    desc.pushBytes = sizeof(BinaryPush);
    desc.bindings = 4;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {av.bind, bv.bind, sv.bind, ov.bind}));
    const BinaryPush p{a.nTok,        a.n, av.elemOffset, aS, useB ? bv.elemOffset : 0, bS, useS ? sv.elemOffset : 0,
                       ov.elemOffset, oS};
    FACET_TRY(cmd.push(p));
    return cmd.dispatch((a.n + wg - 1) / wg, a.nTok);
}

}  // namespace facet::vk
