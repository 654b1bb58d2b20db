#include "vulkan/ops/moe_mat_vec_op.h"

#include <algorithm>
#include <string>

#include "vulkan/ops/mat_vec_op.h"  // shaderTypeStem
#include "vulkan/ops/moe_route_op.h"
#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {
enum Binding : uint32_t { kIds, kW0, kW1, kW2, kW3, kX, kY, kWeights, kBindingCount };
constexpr uint32_t kWindows = 4;
}  // namespace

Status dispatchMoeMatVec(Cmd& cmd, const MoeMatVecArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    const std::string stem = shaderTypeStem(a.type);
    if (stem.empty()) return errorf("moe_mat_vec: weight type %s has no shader", typeName(a.type).c_str());
    if (a.cols == 0 || a.rowsPerExpert == 0 || a.nExperts == 0 || a.nOut == 0 || a.group == 0 || a.xDiv == 0)
        return errorf("moe_mat_vec: empty shape (%u cols, %u rows per expert, %u experts, %u outputs)", a.cols,
                      a.rowsPerExpert, a.nExperts, a.nOut);
    const uint64_t rb = rowBytes(a.type, a.cols);
    if (rb == 0)
        return errorf("moe_mat_vec: %u columns is not a multiple of the %s block", a.cols, typeName(a.type).c_str());
    if (a.nOut > caps.maxComputeWorkGroupCount[2])
        return errorf("moe_mat_vec: %u outputs exceed the dispatch limit %u", a.nOut, caps.maxComputeWorkGroupCount[2]);
    const bool batched = !a.table.empty();
    if (batched && a.group != 1) return errorf("moe_mat_vec: the batched products take group 1, not %u", a.group);
    const uint32_t slots = a.nOut * a.group;
    const uint32_t xStride = a.xStride ? a.xStride : a.cols;
    const uint32_t yStride = a.yStride ? a.yStride : a.rowsPerExpert;
    const uint32_t nx = (slots + a.xDiv - 1) / a.xDiv;
    const uint32_t maxTiles = moeMaxTiles(slots, a.nExperts);
    if (batched && maxTiles > caps.maxComputeWorkGroupCount[2])
        return errorf("moe_mat_vec: %u tiles exceed the dispatch limit %u", maxTiles, caps.maxComputeWorkGroupCount[2]);
    FACET_ASSIGN(opbind::Bound ids, batched ? opbind::bindRange("moe_mat_vec", "route table", a.table, 0,
                                                                moeTableWords(slots, a.nExperts), 4, caps)
                                            : opbind::bindRange("moe_mat_vec", "ids", a.ids, 0, slots, 4, caps));
    const uint64_t xSpan = opbind::rowSpan(nx, a.cols, xStride);
    const uint64_t ySpan = opbind::rowSpan(a.nOut, a.rowsPerExpert, yStride);
    FACET_ASSIGN(opbind::Bound x, opbind::bindRange("moe_mat_vec", "x", a.x, 0, xSpan, 4, caps));
    FACET_ASSIGN(opbind::Bound y, opbind::bindRange("moe_mat_vec", "y", a.y, 0, ySpan, 4, caps));
    opbind::Bound w{ids.bind, 0};  // a stand-in binding when there are no weights
    if (!a.weights.empty()) {
        FACET_ASSIGN(w, opbind::bindRange("moe_mat_vec", "weights", a.weights, 0, slots, 4, caps));
    }
    const int64_t totalRows = int64_t(a.nExperts) * a.rowsPerExpert;
    for (const TensorPiece& pc : a.weight)  // (DeviceWeights never interleaves experts)
        if (pc.tileRows) return errorf("moe_mat_vec: expert weights are row-interleaved, which it does not read");
    FACET_ASSIGN(auto windows, opbind::rowWindows("moe_mat_vec", a.weight, rb, 0, totalRows, caps));

    const uint32_t kRowsPerGroup = matVecRowsPerGroup(caps, a.rowsPerExpert);
    const uint32_t outs = batched ? kMoeTileSlots : 1;  // sums per row (red[ROWS * NTOK][WG] in shared memory)
    const uint32_t wg = opbind::workgroupSize(
        caps, std::min<uint32_t>(64, caps.maxComputeSharedMemorySize / (4 * kRowsPerGroup * outs)));
    PipelineDesc desc;
    desc.shader = "moe_mat_vec_" + stem + (batched ? "_batched" : "") + (caps.subgroupReduce() ? "_subgroup" : "");
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, kRowsPerGroup), SpecConstant::u32(2, kMoeTileSlots)};
    desc.pushBytes = sizeof(MoeMatVecPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    const uint32_t groups = (a.rowsPerExpert + kRowsPerGroup - 1) / kRowsPerGroup;
    const uint32_t gx = std::min(groups, caps.maxComputeWorkGroupCount[0]);
    const uint32_t gy = (groups + gx - 1) / gx;
    for (size_t w0 = 0; w0 < windows.size(); w0 += kWindows) {
        if (w0 > 0) cmd.computeBarrier();  // the next dispatch adds to these outputs
        const size_t count = std::min<size_t>(kWindows, windows.size() - w0);
        MoeMatVecPush p{};
        p.rowsPerExpert = a.rowsPerExpert;
        p.cols = a.cols;
        p.rowBytes = static_cast<uint32_t>(rb);
        p.nExperts = a.nExperts;
        p.group = a.group;
        p.xDiv = a.xDiv;
        p.idsOffset = ids.elemOffset;
        p.xOffset = x.elemOffset;
        p.xStride = xStride;
        p.yOffset = y.elemOffset;
        p.yStride = yStride;
        p.sOffset = w.elemOffset;
        p.useWeights = a.weights.empty() ? 0u : 1u;
        p.accumulate = (a.accumulate || w0 > 0) ? 1u : 0u;
        p.winEnd = windows[w0 + count - 1].endRow;
        BufferSlice bind[kWindows];
        for (size_t k = 0; k < kWindows; ++k) {
            if (k >= count) {  // unused: never selected
                p.winFirst[k] = p.winEnd;
                bind[k] = windows[w0].bind;
                continue;
            }
            p.winFirst[k] = windows[w0 + k].firstRow;
            p.winByte[k] = windows[w0 + k].byte;
            bind[k] = windows[w0 + k].bind;
        }
        FACET_TRY(cmd.bind(*pipe, {ids.bind, bind[0], bind[1], bind[2], bind[3], x.bind, y.bind, w.bind}));
        FACET_TRY(cmd.push(p));
        FACET_TRY(cmd.dispatch(gx, gy, batched ? maxTiles : a.nOut));
    }
    return {};
}

}  // namespace facet::vk
