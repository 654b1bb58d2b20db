#include "vulkan/ops/moe_route_op.h"

#include <algorithm>

#include "vulkan/ops/op_binding.h"
#include "vulkan/ops/product_args.h"  // slicesOverlap
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Status dispatchMoeRoute(Cmd& cmd, const MoeRouteArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (a.nSlots == 0 || a.nExperts == 0) return errorf("moe_route: empty shape (%u slots, %u experts)", a.nSlots, a.nExperts);
    if (uint64_t(a.nExperts) * 12 > caps.maxComputeSharedMemorySize)
        return errorf("moe_route: %u experts do not fit %u bytes of shared memory", a.nExperts,
                      caps.maxComputeSharedMemorySize);
    FACET_ASSIGN(opbind::Bound ids, opbind::bindRange("moe_route", "ids", a.ids, 0, a.nSlots, 4, caps));
    FACET_ASSIGN(opbind::Bound table, opbind::bindRange("moe_route", "table", a.table, 0,
                                                        moeTableWords(a.nSlots, a.nExperts), 4, caps));
    const uint32_t wg = opbind::workgroupSize(caps, std::min(128u, a.nExperts));
    PipelineDesc desc;
    desc.shader = "moe_route";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, a.nExperts)};
    desc.pushBytes = sizeof(MoeRoutePush);
    desc.bindings = 2;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {ids.bind, table.bind}));
    const MoeRoutePush p{a.nSlots, a.nExperts, kMoeTileSlots, moeMaxTiles(a.nSlots, a.nExperts), ids.elemOffset,
                         table.elemOffset};
    FACET_TRY(cmd.push(p));
    return cmd.dispatch(1);
}

Status dispatchMoeSlotSum(Cmd& cmd, const MoeSlotSumArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (a.nTok == 0 || a.k == 0 || a.rows == 0)
        return errorf("moe_slot_sum: empty shape (%u tokens, k %u, %u rows)", a.nTok, a.k, a.rows);
    FACET_ASSIGN(opbind::Bound ys, opbind::bindRange("moe_slot_sum", "slot rows", a.ys, 0,
                                                     uint64_t(a.nTok) * a.k * a.rows, 4, caps));
    FACET_ASSIGN(opbind::Bound y, opbind::bindRange("moe_slot_sum", "y", a.y, 0, uint64_t(a.nTok) * a.rows, 4, caps));
    if (slicesOverlap(BufferSlice{a.ys.buffer, a.ys.offset, uint64_t(a.nTok) * a.k * a.rows * 4},
                      BufferSlice{a.y.buffer, a.y.offset, uint64_t(a.nTok) * a.rows * 4}))
        return errorf("moe_slot_sum: y overlaps the slot rows");
    const uint32_t wg = opbind::workgroupSize(caps, 64);
    PipelineDesc desc;
    desc.shader = "moe_slot_sum";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, 1)};
    desc.pushBytes = sizeof(MoeSlotSumPush);
    desc.bindings = 2;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {ys.bind, y.bind}));
    const MoeSlotSumPush p{a.nTok, a.k, a.rows, ys.elemOffset, a.rows, y.elemOffset, a.rows, a.accumulate ? 1u : 0u};
    FACET_TRY(cmd.push(p));
    const uint64_t groups = (uint64_t(a.nTok) * a.rows + wg - 1) / wg;
    const uint32_t gx = static_cast<uint32_t>(std::min<uint64_t>(groups, caps.maxComputeWorkGroupCount[0]));
    return cmd.dispatch(gx, static_cast<uint32_t>((groups + gx - 1) / gx));
}

}  // namespace facet::vk
