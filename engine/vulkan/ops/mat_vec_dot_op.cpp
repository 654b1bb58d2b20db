#include "vulkan/ops/mat_vec_dot_op.h"

#include <algorithm>
#include <string>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

enum QuantizeBinding : uint32_t { kQX, kQQuants, kQScales, kQBindingCount };
enum DotBinding : uint32_t { kDW, kDQuants, kDScales, kDY, kDBindingCount };

constexpr uint32_t kMaxTokens = 8;  // MAX_TOK of mat_vec_dot.comp
constexpr uint32_t kMaxRows = 4;    // MAX_ROWS

// The scratch's two parts as bindings: quants in 16-byte words, scale
// entries in 8-byte ones (layout in the header).
struct ScratchBinds {
    opbind::Bound quants, scales;
};

Result<ScratchBinds> bindScratch(const char* op, const BufferSlice& s, uint32_t cols, uint32_t nTok,
                                 const DeviceCaps& caps) {
    if (s.empty()) return errorf("%s: no quantized-activation scratch", op);
    if (s.offset % 16)
        return errorf("%s: the quantized-activation scratch starts at byte %llu, not on 16 bytes", op,
                      static_cast<unsigned long long>(s.offset));
    const uint64_t need = quantizedActivationBytes(cols, nTok);
    if (s.size < need)
        return errorf("%s: the quantized activations of %u x %u need %llu bytes, the scratch has %llu", op, nTok, cols,
                      static_cast<unsigned long long>(need), static_cast<unsigned long long>(s.size));
    const uint64_t quantBytes = uint64_t(nTok) * cols;
    ScratchBinds b;
    FACET_ASSIGN(b.quants, opbind::bindRange(op, "quants", s, 0, quantBytes / 16, 16, caps));
    const BufferSlice tail{s.buffer, s.offset + quantBytes, s.size - quantBytes};
    FACET_ASSIGN(b.scales, opbind::bindRange(op, "scales", tail, 0, quantBytes / kActBlock, 8, caps));
    return b;
}

// GPUs: 128 invocations over 2 rows (4 warps striding along K, as CUDA's
// mmvq and llama.cpp's large mul_mat_vec; vulkan-gpu-speed.md §5.2). CPU
// devices: 16 over 4 rows, fewer barrier switches of llvmpipe's coroutines.
MatVecDotShape defaultShape(const DeviceCaps& c) {
    return c.type == DeviceType::Cpu ? MatVecDotShape{16, 4} : MatVecDotShape{128, 2};
}

}  // namespace

bool matVecDotSupports(const DeviceCaps& caps, GgmlType type, uint32_t cols) {
    return caps.integerDotProduct && (type == GgmlType::Q4_0 || type == GgmlType::Q8_0) && cols > 0 &&
           cols % kActBlock == 0;
}

Status dispatchQuantizeActivations(Cmd& cmd, const BufferSlice& x, uint32_t cols, uint32_t nTok, uint32_t xStride,
                                   const BufferSlice& quantized) {
    constexpr const char* kOp = "quantize_act";
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (cols == 0 || cols % kActBlock) return errorf("%s: %u columns is not a multiple of %u", kOp, cols, kActBlock);
    if (nTok == 0 || nTok > caps.maxComputeWorkGroupCount[1])
        return errorf("%s: %u vectors, expected 1..%u", kOp, nTok, caps.maxComputeWorkGroupCount[1]);
    const uint32_t stride = xStride ? xStride : cols;
    if (stride < cols) return errorf("%s: x stride %u < %u columns", kOp, stride, cols);
    FACET_ASSIGN(const opbind::Bound xb, opbind::bindRange(kOp, "x", x, 0, opbind::rowSpan(nTok, cols, stride), 4, caps));
    FACET_ASSIGN(const ScratchBinds sb, bindScratch(kOp, quantized, cols, nTok, caps));

    const uint32_t wg = opbind::workgroupSize(caps, caps.type == DeviceType::Cpu ? 8u : 64u);
    PipelineDesc desc;
    desc.shader = "quantize_act";
    desc.spec = {SpecConstant::u32(0, wg)};
    desc.pushBytes = sizeof(QuantizeActPush);
    desc.bindings = kQBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {xb.bind, sb.quants.bind, sb.scales.bind}));
    const uint32_t blocks = cols / kActBlock;
    QuantizeActPush p{};
    p.blocks = blocks;
    p.xOffset = xb.elemOffset;
    p.xStride = stride;
    p.qOffset = sb.quants.elemOffset;
    p.qStride = cols / 16;
    p.dOffset = sb.scales.elemOffset;
    p.dStride = blocks;
    FACET_TRY(cmd.push(p));
    const uint32_t gx = (blocks + wg - 1) / wg;
    if (gx > caps.maxComputeWorkGroupCount[0]) return errorf("%s: %u columns exceed the dispatch limit", kOp, cols);
    return cmd.dispatch(gx, nTok);
}

Status dispatchMatVecDot(Cmd& cmd, const MatVecDotArgs& a) {
    constexpr const char* kOp = "mat_vec_dot";
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (!caps.integerDotProduct)
        return errorf("%s: the device has no integer dot products (shaderIntegerDotProduct%s)", kOp,
                      caps.switchedOff.empty() ? "" : ", or it is switched off");
    if (a.type != GgmlType::Q4_0 && a.type != GgmlType::Q8_0)
        return errorf("%s: %s weights have no shader (Q4_0 and Q8_0 only)", kOp, typeInfo(a.type).name);
    if (a.cols == 0 || a.cols % kActBlock)
        return errorf("%s: %u columns is not a multiple of %u", kOp, a.cols, kActBlock);
    if (a.nTok == 0 || a.nTok > kMaxTokens) return errorf("%s: %u vectors, expected 1..%u", kOp, a.nTok, kMaxTokens);
    if (a.rowEnd <= a.rowBegin) return errorf("%s: rows [%u, %u) are empty", kOp, a.rowBegin, a.rowEnd);
    const uint32_t rows = a.rowEnd - a.rowBegin;
    const uint32_t yStride = a.yStride ? a.yStride : rows;
    if (yStride < rows) return errorf("%s: y stride %u < %u rows", kOp, yStride, rows);
    const uint64_t rb = rowBytes(a.type, a.cols);
    const uint64_t wNeed = uint64_t(a.rowEnd) * rb;
    if (a.weight.size < wNeed)
        return errorf("%s: weight needs %llu bytes for rows up to %u, the range has %llu", kOp,
                      static_cast<unsigned long long>(wNeed), a.rowEnd,
                      static_cast<unsigned long long>(a.weight.size));

    const MatVecDotShape dflt = defaultShape(caps);
    const uint32_t wg = a.shape.wgSize ? a.shape.wgSize : opbind::workgroupSize(caps, dflt.wgSize);
    const uint32_t rowsPerGroup = a.shape.rows ? a.shape.rows : dflt.rows;
    if (rowsPerGroup > kMaxRows) return errorf("%s: %u rows per workgroup, expected 1..%u", kOp, rowsPerGroup, kMaxRows);
    // Shared floats of the reduction: ROWS·NTOK per subgroup or per
    // invocation (the tree). Subgroups are at least minSubgroupSize wide only
    // where size control reports the range (without it, some drivers run
    // narrower subgroups than they report: google/uVkCompute#43).
    const bool subgroups = caps.subgroupReduce();
    const uint32_t minSg = caps.subgroupSizeControl ? std::max(caps.minSubgroupSize, 1u) : 1u;
    const uint32_t perSum = subgroups ? (wg + minSg - 1) / minSg : wg;
    const uint32_t redSize = perSum * rowsPerGroup * a.nTok;
    if (!opbind::workgroupFits(caps, wg, 0) || uint64_t(redSize) * 4 > caps.maxComputeSharedMemorySize)
        return errorf("%s: shape %u invocations x %u rows does not fit the device (a power of two, %u shared bytes)",
                      kOp, wg, rowsPerGroup, caps.maxComputeSharedMemorySize);

    FACET_ASSIGN(const ScratchBinds sb, bindScratch(kOp, a.quantized, a.cols, a.nTok, caps));
    // (y bound per row window below: windows write disjoint ranges, no false hazard)
    FACET_TRY(opbind::bindRange(kOp, "y", a.y, 0, opbind::rowSpan(a.nTok, rows, yStride), 4, caps));
    const TensorPiece piece{a.weight, 0, int64_t(a.rowEnd)};
    FACET_ASSIGN(auto windows, opbind::rowWindows(kOp, {&piece, 1}, rb, a.rowBegin, a.rowEnd, caps));

    if (!a.x.empty()) {
        FACET_TRY(dispatchQuantizeActivations(cmd, a.x, a.cols, a.nTok, a.xStride, a.quantized));
        cmd.computeBarrier();
    }

    PipelineDesc desc;
    desc.shader = std::string("mat_vec_dot_") + (a.type == GgmlType::Q4_0 ? "q4_0" : "q8_0") +
                  (subgroups ? "_subgroup" : "");
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, rowsPerGroup), SpecConstant::u32(2, a.nTok),
                 SpecConstant::u32(3, redSize)};
    desc.pushBytes = sizeof(MatVecDotPush);
    desc.bindings = kDBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    const uint32_t blocks = a.cols / kActBlock;
    for (const opbind::RowWindow& w : windows) {
        const uint32_t n = w.endRow - w.firstRow;
        FACET_ASSIGN(const opbind::Bound yb, opbind::bindRange(kOp, "y", a.y, w.firstRow - a.rowBegin,
                                                               opbind::rowSpan(a.nTok, n, yStride), 4, caps));
        FACET_TRY(cmd.bind(*pipe, {w.bind, sb.quants.bind, sb.scales.bind, yb.bind}));
        MatVecDotPush p{};
        p.rows = n;
        p.blocks = blocks;
        p.rowBytes = static_cast<uint32_t>(rb);
        p.wByteOffset = w.byte;
        p.qOffset = sb.quants.elemOffset;
        p.qStride = a.cols / 16;
        p.dOffset = sb.scales.elemOffset;
        p.dStride = blocks;
        p.yOffset = yb.elemOffset;
        p.yStride = yStride;
        FACET_TRY(cmd.push(p));
        const uint32_t groups = (n + rowsPerGroup - 1) / rowsPerGroup;
        const uint32_t gx = std::min(groups, caps.maxComputeWorkGroupCount[0]);
        FACET_TRY(cmd.dispatch(gx, (groups + gx - 1) / gx));
    }
    return {};
}

}  // namespace facet::vk
