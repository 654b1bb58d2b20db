#include "vulkan/forward/vk_linear.h"

#include <algorithm>

#include "vulkan/ops/mat_mat_op.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"

namespace facet::vk {

Status recordLinear(Cmd& cmd, const LinearArgs& a) {
    if (!a.weight || !a.weight->view) return errorf("linear: no weight");
    const TensorView& v = *a.weight->view;
    const int64_t rowEnd = a.rowEnd < 0 ? v.rows() : a.rowEnd;
    if (a.rowBegin < 0 || rowEnd > v.rows() || rowEnd <= a.rowBegin)
        return errorf("linear: rows [%lld, %lld) of '%s' (%lld rows)", static_cast<long long>(a.rowBegin),
                      static_cast<long long>(rowEnd), v.name.c_str(), static_cast<long long>(v.rows()));
    const uint32_t rows = static_cast<uint32_t>(rowEnd - a.rowBegin);
    const uint32_t xStride = a.xStride ? a.xStride : a.cols;
    const uint32_t yStride = a.yStride ? a.yStride : rows;
    // Prefill takes the tiled GEMM, which reads each weight tile once for many
    // tokens, except on CPU devices: there mat_vec's lanes layout in groups of
    // 8 tokens is faster than the GEMM's shared-memory tiles (llvmpipe, E2B
    // Q4_0 prefill of 64 tokens: 0.71 t/s with mat_mat, 2.3 t/s with 8-token mat-vecs).
    const bool gemm = a.nTok > kMatVecMaxTokens && defaultMatVecLayout(cmd.device().caps()) != MatVecLayout::Lanes;
    bool first = true;
    for (const TensorPiece& pc : a.weight->pieces) {
        const int64_t r0 = std::max(a.rowBegin, pc.rowBegin), r1 = std::min(rowEnd, pc.rowEnd);
        if (r1 <= r0) continue;
        if (gemm) {
            if (!first) cmd.computeBarrier();
            first = false;
            MatMatArgs m;
            m.weight = pc.slice;
            m.type = v.type;
            m.cols = a.cols;
            m.rowBegin = static_cast<uint32_t>(r0 - pc.rowBegin);
            m.rowEnd = static_cast<uint32_t>(r1 - pc.rowBegin);
            m.nTok = a.nTok;
            m.x = a.x;
            m.y = a.y.sub(uint64_t(r0 - a.rowBegin) * 4, a.y.size);
            m.xStride = xStride;
            m.yStride = yStride;
            m.accumulate = a.accumulate;
            FACET_TRY(dispatchMatMat(cmd, m));
            continue;
        }
        for (uint32_t t0 = 0; t0 < a.nTok; t0 += kMatVecMaxTokens) {
            // Pieces and token groups write disjoint parts of y, but the
            // bindings may share bytes at their aligned starts: order them.
            if (!first) cmd.computeBarrier();
            first = false;
            MatVecArgs m;
            m.weight = pc.slice;
            m.type = v.type;
            m.cols = a.cols;
            m.rowBegin = static_cast<uint32_t>(r0 - pc.rowBegin);
            m.rowEnd = static_cast<uint32_t>(r1 - pc.rowBegin);
            m.nTok = std::min(kMatVecMaxTokens, a.nTok - t0);
            m.x = a.x.sub(uint64_t(t0) * xStride * 4, a.x.size);
            m.y = a.y.sub((uint64_t(t0) * yStride + (r0 - a.rowBegin)) * 4, a.y.size);
            m.xStride = xStride;
            m.yStride = yStride;
            m.accumulate = a.accumulate;
            FACET_TRY(dispatchMatVec(cmd, m));
        }
    }
    if (first) return errorf("linear: '%s' has no piece with rows [%lld, %lld)", v.name.c_str(),
                             static_cast<long long>(a.rowBegin), static_cast<long long>(rowEnd));
    return {};
}

}  // namespace facet::vk
