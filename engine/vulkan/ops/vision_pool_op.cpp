#include "vulkan/ops/vision_pool_op.h"

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {
enum Binding : uint32_t { kX, kBias, kStdScale, kOut, kBindingCount };
}  // namespace

Status dispatchVisionPool(Cmd& cmd, const VisionPoolArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    constexpr const char* op = "vision_pool";
    if (a.k == 0 || a.width == 0 || a.gridCols == 0 || a.gridRows == 0 || a.gridCols % a.k || a.gridRows % a.k)
        return errorf("vision_pool: a %u x %u grid of width %u does not pool by %u", a.gridCols, a.gridRows, a.width, a.k);
    const bool standardize = !a.bias.empty();
    if (standardize == a.stdScale.empty()) return errorf("vision_pool: standardization needs both bias and scale");
    const uint64_t nOut = uint64_t(a.gridCols / a.k) * (a.gridRows / a.k);
    if (nOut > caps.maxComputeWorkGroupCount[1])
        return errorf("vision_pool: %llu pooled tokens > %u workgroups in y", static_cast<unsigned long long>(nOut),
                      caps.maxComputeWorkGroupCount[1]);
    const uint64_t patches = uint64_t(a.gridCols) * a.gridRows;
    FACET_ASSIGN(const opbind::Bound x, opbind::bindRange(op, "x", a.x, 0, patches * a.width, 4, caps));
    FACET_ASSIGN(const opbind::Bound o, opbind::bindRange(op, "out", a.out, 0, nOut * a.width, 4, caps));
    if (a.out.buffer == a.x.buffer && a.out.offset < a.x.offset + a.x.size && a.x.offset < a.out.offset + a.out.size)
        return errorf("vision_pool: out overlaps x");
    opbind::Bound b = x, s = x;  // absent inputs: x stands in (never read)
    if (standardize) {
        FACET_ASSIGN(b, opbind::bindRange(op, "bias", a.bias, 0, a.width, 4, caps));
        FACET_ASSIGN(s, opbind::bindRange(op, "scale", a.stdScale, 0, a.width, 4, caps));
    }

    const uint32_t wg = opbind::workgroupSize(caps, 256);
    PipelineDesc desc;
    desc.shader = "vision_pool";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::boolean(1, standardize)};
    desc.pushBytes = sizeof(VisionPoolPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {x.bind, b.bind, s.bind, o.bind}));
    VisionPoolPush p{};
    p.nOut = static_cast<uint32_t>(nOut);
    p.width = a.width;
    p.gridCols = a.gridCols;
    p.outCols = a.gridCols / a.k;
    p.k = a.k;
    p.xOffset = x.elemOffset;
    p.oOffset = o.elemOffset;
    p.bOffset = standardize ? b.elemOffset : 0;
    p.sOffset = standardize ? s.elemOffset : 0;
    p.scale = a.scale;
    FACET_TRY(cmd.push(p));
    return cmd.dispatch((a.width + wg - 1) / wg, p.nOut);
}

}  // namespace facet::vk
