#include "vulkan/forward/vk_linear.h"

#include <algorithm>

#include "vulkan/ops/mat_mat_op.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"

namespace facet::vk {

namespace {

// "blk.12.ffn_up.weight" -> "ffn_up": the weight's role, the same in every layer.
std::string roleLabel(const std::string& tensorName) {
    std::string s = tensorName;
    if (s.rfind("blk.", 0) == 0) {
        const size_t dot = s.find('.', 4);
        if (dot != std::string::npos) s = s.substr(dot + 1);
    }
    const std::string suffix = ".weight";
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
        s.resize(s.size() - suffix.size());
    return s;
}

// Labels the dispatches recorded while alive (the profiler's per-weight totals).
struct ScopedLabel {
    Cmd& cmd;
    ScopedLabel(Cmd& c, std::string label) : cmd(c) { cmd.setLabel(std::move(label)); }
    ~ScopedLabel() { cmd.setLabel({}); }
};

// Prefill takes the tiled GEMM, which reads each weight tile once for many
// tokens, except on CPU devices: there mat_vec's lanes layout in groups of
// 8 tokens is faster than the GEMM's shared-memory tiles (llvmpipe, E2B
// Q4_0 prefill of 64 tokens: 0.71 t/s with mat_mat, 2.3 t/s with 8-token mat-vecs).
bool useGemm(Cmd& cmd, uint32_t nTok) {
    return nTok > kMatVecMaxTokens && defaultMatVecLayout(cmd.device().caps()) != MatVecLayout::Lanes;
}

// The mat_vec arguments of rows [r0, r1) of piece `pc` for tokens [t0, t0 + n).
MatVecArgs pieceProduct(const TensorPiece& pc, GgmlType type, uint32_t cols, int64_t r0, int64_t r1, const BufferSlice& x,
                        const BufferSlice& y, uint32_t xStride, uint32_t yStride, int64_t yRow0, uint32_t t0, uint32_t n) {
    MatVecArgs m;
    m.weight = pc.slice;
    m.type = type;
    m.cols = cols;
    m.rowBegin = static_cast<uint32_t>(r0 - pc.rowBegin);
    m.rowEnd = static_cast<uint32_t>(r1 - pc.rowBegin);
    m.nTok = n;
    m.x = x.sub(uint64_t(t0) * xStride * 4, x.size);
    m.y = y.sub((uint64_t(t0) * yStride + (r0 - yRow0)) * 4, y.size);
    m.xStride = xStride;
    m.yStride = yStride;
    m.tileRows = pc.tileRows;
    return m;
}

MatVecArgs gluProduct(const DeviceTensor& gate, const DeviceTensor& up, uint32_t cols, const BufferSlice& x,
                      const BufferSlice& y, uint32_t t0, uint32_t n) {
    const TensorPiece& g = gate.pieces.front();
    MatVecArgs m = pieceProduct(g, gate.view->type, cols, g.rowBegin, g.rowEnd, x, y, cols,
                                static_cast<uint32_t>(gate.view->rows()), 0, t0, n);
    m.pair = up.pieces.front().slice;
    return m;
}

// The shape a tail needs from recordLinear: one GEMV dispatch over all of
// y's rows (the norm runs over the rows the dispatch sees). The device's own
// conditions are matVecCanTail's, which dispatchMatVec checks again.
bool tailShapeFits(Cmd& cmd, const LinearArgs& a) {
    return !a.tail.empty() && a.weight && a.weight->view && a.weight->pieces.size() == 1 && !useGemm(cmd, a.nTok) &&
           a.nTok <= kMatVecMaxTokens && a.rowBegin == 0 && (a.rowEnd < 0 || a.rowEnd == a.weight->view->rows()) &&
           a.upValues.empty() && !a.accumulate;
}

}  // namespace

bool linearTakesUpValues(Cmd& cmd, uint32_t nTok) { return !useGemm(cmd, nTok); }

bool linearCanTail(Cmd& cmd, const LinearArgs& a) {
    if (!tailShapeFits(cmd, a)) return false;
    const TensorView& v = *a.weight->view;
    const TensorPiece& pc = a.weight->pieces.front();
    MatVecArgs m = pieceProduct(pc, v.type, a.cols, 0, v.rows(), a.x, a.y, a.xStride ? a.xStride : a.cols,
                                a.yStride ? a.yStride : static_cast<uint32_t>(v.rows()), 0, 0, a.nTok);
    m.tail = a.tail;
    return matVecCanTail(cmd.device(), m);
}

bool canRecordGluLinear(Cmd& cmd, const DeviceTensor& gate, const DeviceTensor& up, uint32_t cols, uint32_t nTok) {
    if (useGemm(cmd, nTok) || !gate.view || !up.view || gate.pieces.size() != 1 || up.pieces.size() != 1 ||
        gate.view->type != up.view->type || gate.view->rows() != up.view->rows() || gate.view->ne[0] != up.view->ne[0] ||
        gate.view->rows() > UINT32_MAX || gate.pieces.front().tileRows != up.pieces.front().tileRows)
        return false;
    const MatVecArgs m = gluProduct(gate, up, cols, BufferSlice{}, BufferSlice{}, 0, 1);
    return matVecCanPair(cmd.device().caps(), m);
}

Status recordGluLinear(Cmd& cmd, const DeviceTensor& gate, const DeviceTensor& up, uint32_t cols, const BufferSlice& x,
                       const BufferSlice& y, uint32_t nTok) {
    if (!canRecordGluLinear(cmd, gate, up, cols, nTok))
        return errorf("linear: '%s' and '%s' cannot be one GLU product", gate.view ? gate.view->name.c_str() : "?",
                      up.view ? up.view->name.c_str() : "?");
    const ScopedLabel label(cmd, roleLabel(gate.view->name) + "+" + roleLabel(up.view->name));
    for (uint32_t t0 = 0; t0 < nTok; t0 += kMatVecMaxTokens) {
        if (t0) cmd.computeBarrier();  // token groups' y bindings may share bytes at their aligned starts
        FACET_TRY(dispatchMatVec(cmd, gluProduct(gate, up, cols, x, y, t0, std::min(kMatVecMaxTokens, nTok - t0))));
    }
    return {};
}

Status recordLinear(Cmd& cmd, const LinearArgs& a) {
    if (!a.weight || !a.weight->view) return errorf("linear: no weight");
    const TensorView& v = *a.weight->view;
    const int64_t rowEnd = a.rowEnd < 0 ? v.rows() : a.rowEnd;
    if (a.rowBegin < 0 || rowEnd > v.rows() || rowEnd <= a.rowBegin)
        return errorf("linear: rows [%lld, %lld) of '%s' (%lld rows)", static_cast<long long>(a.rowBegin),
                      static_cast<long long>(rowEnd), v.name.c_str(), static_cast<long long>(v.rows()));
    const uint32_t rows = static_cast<uint32_t>(rowEnd - a.rowBegin);
    const ScopedLabel label(cmd, roleLabel(v.name));
    const uint32_t xStride = a.xStride ? a.xStride : a.cols;
    const uint32_t yStride = a.yStride ? a.yStride : rows;
    const bool gemm = useGemm(cmd, a.nTok);
    if (gemm && !a.upValues.empty())
        return errorf("linear: '%s' with up values takes the GEMV (at most %u tokens), not %u", v.name.c_str(),
                      kMatVecMaxTokens, a.nTok);
    const uint32_t upStride = a.upStride ? a.upStride : rows;
    if (!a.tail.empty() && !tailShapeFits(cmd, a))  // (dispatchMatVec checks the rest)
        return errorf("linear: '%s' cannot take its closing norm in the product (linearCanTail)", v.name.c_str());
    bool first = true;
    for (const TensorPiece& pc : a.weight->pieces) {
        const int64_t r0 = std::max(a.rowBegin, pc.rowBegin), r1 = std::min(rowEnd, pc.rowEnd);
        if (r1 <= r0) continue;
        if (gemm) {
            if (pc.tileRows)
                return errorf("linear: '%s' is stored row-interleaved, which the GEMM does not read", v.name.c_str());
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
            MatVecArgs m = pieceProduct(pc, v.type, a.cols, r0, r1, a.x, a.y, xStride, yStride, a.rowBegin, t0,
                                        std::min(kMatVecMaxTokens, a.nTok - t0));
            m.accumulate = a.accumulate;
            m.tail = a.tail;  // (one piece, one token group: linearCanTail)
            if (!a.upValues.empty()) {
                m.upValues = a.upValues.sub((uint64_t(t0) * upStride + uint64_t(r0 - a.rowBegin)) * 4, a.upValues.size);
                m.upStride = upStride;
            }
            FACET_TRY(dispatchMatVec(cmd, m));
        }
    }
    if (first) return errorf("linear: '%s' has no piece with rows [%lld, %lld)", v.name.c_str(),
                             static_cast<long long>(a.rowBegin), static_cast<long long>(rowEnd));
    return {};
}

Status recordProduct(Cmd& cmd, const DeviceTensor& w, uint32_t cols, const BufferSlice& x, const BufferSlice& y,
                     uint32_t nTok) {
    LinearArgs a;
    a.weight = &w;
    a.cols = cols;
    a.x = x;
    a.y = y;
    a.nTok = nTok;
    return recordLinear(cmd, a);
}

}  // namespace facet::vk
