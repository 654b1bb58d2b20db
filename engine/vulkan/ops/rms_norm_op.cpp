#include "vulkan/ops/rms_norm_op.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

// Binding order of rms_norm.comp.
enum Binding : uint32_t { kX, kWeight, kResidual, kOut, kScale, kNextWeight, kNextOut, kBindingCount };

// Invocations per row: 256 on GPUs (enough for rows of thousands of
// floats); on CPU devices one SIMD batch of 8, as llvmpipe runs a workgroup's
// batches as coroutines that switch at every barrier (E2B decode on 2 cores:
// 107 norms 16-18 ms per token with 256, 12-13 ms with 8). Lowered to the
// device's limits and to a power of two (the shared-memory tree needs one).
uint32_t workgroupSize(const DeviceCaps& c) {
    const uint32_t want = c.type == DeviceType::Cpu ? 8u : 256u;
    const uint32_t limit = std::min(
        {want, c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0], c.maxComputeSharedMemorySize / 4u});
    return std::bit_floor(std::max(limit, 1u));
}

// One tensor's rows [r0, r0 + k) as a binding that starts at an aligned
// offset at or before row r0, plus the float offset of row r0 inside it.
struct Window {
    BufferSlice bind;
    uint32_t elemOffset = 0;
};

Window windowOf(const BufferSlice& t, uint64_t r0, uint64_t k, uint64_t stride, uint64_t cols, uint64_t align) {
    const uint64_t start = t.offset + r0 * stride * 4;
    const uint64_t bindStart = start / align * align;
    const uint64_t bytes = (start - bindStart) + ((k - 1) * stride + cols) * 4;
    return {BufferSlice{t.buffer, bindStart, bytes}, static_cast<uint32_t>((start - bindStart) / 4)};
}

bool overlaps(const BufferSlice& a, const BufferSlice& b) {
    return a.buffer && a.buffer == b.buffer && a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

struct Tensor {
    const char* name;
    const BufferSlice* slice;
    uint32_t stride;
    uint32_t rows;   // 1 for the weights and the scale
    uint32_t width;  // floats per row: cols, 1 for the scale
};

}  // namespace

Status dispatchRmsNorm(Cmd& cmd, const RmsNormArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    const bool hasWeight = !a.weight.empty();
    const bool hasResidual = !a.residual.empty();
    const bool hasScale = !a.then.scale.empty();
    const bool hasNext = !a.then.nextOut.empty();
    if (hasNext != !a.then.nextWeight.empty())
        return errorf("rms_norm: the next norm needs both its weight and its output");
    if (hasNext && (overlaps(a.then.nextOut, a.x) || overlaps(a.then.nextOut, a.out) ||
                    (hasResidual && overlaps(a.then.nextOut, a.residual))))
        return errorf("rms_norm: the next norm's output overlaps x, residual or out");
    if (a.rows == 0 || a.cols == 0) return errorf("rms_norm: %u x %u is empty", a.rows, a.cols);
    if (!(a.eps >= 0.0f)) return errorf("rms_norm: eps %g must be >= 0", static_cast<double>(a.eps));

    const uint32_t xStride = a.xStride ? a.xStride : a.cols;
    const uint32_t rStride = a.residualStride ? a.residualStride : a.cols;
    const uint32_t oStride = a.outStride ? a.outStride : a.cols;
    const uint32_t o2Stride = a.then.nextOutStride ? a.then.nextOutStride : a.cols;
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t limit = caps.maxStorageBufferRange;

    std::vector<Tensor> tensors = {{"x", &a.x, xStride, a.rows, a.cols}, {"out", &a.out, oStride, a.rows, a.cols}};
    if (hasWeight) tensors.push_back({"weight", &a.weight, a.cols, 1, a.cols});
    if (hasResidual) tensors.push_back({"residual", &a.residual, rStride, a.rows, a.cols});
    if (hasScale) tensors.push_back({"scale", &a.then.scale, 1, 1, 1});
    if (hasNext) {
        tensors.push_back({"next weight", &a.then.nextWeight, a.cols, 1, a.cols});
        tensors.push_back({"next out", &a.then.nextOut, o2Stride, a.rows, a.cols});
    }

    // Rows per window: the most that fit one binding in every tensor, with
    // room for the worst misalignment of the window start.
    uint64_t windowRows = a.rows;
    for (const Tensor& t : tensors) {
        if (t.slice->empty()) return errorf("rms_norm: no %s buffer", t.name);
        if (t.slice->offset % 4)
            return errorf("rms_norm: %s starts at byte %llu, not a float boundary", t.name,
                          static_cast<unsigned long long>(t.slice->offset));
        if (t.stride < t.width) return errorf("rms_norm: %s row stride %u < %u columns", t.name, t.stride, t.width);
        const uint64_t need = ((uint64_t(t.rows) - 1) * t.stride + t.width) * 4;
        if (t.slice->size < need)
            return errorf("rms_norm: %s needs %llu bytes for %u x %u (stride %u), the range has %llu", t.name,
                          static_cast<unsigned long long>(need), t.rows, t.width, t.stride,
                          static_cast<unsigned long long>(t.slice->size));
        const uint64_t fixed = (align - 4) + uint64_t(a.cols) * 4;
        if (fixed > limit)
            return errorf("rms_norm: one %s row of %u floats does not fit a %llu-byte storage binding", t.name, a.cols,
                          static_cast<unsigned long long>(limit));
        if (t.rows > 1) windowRows = std::min(windowRows, (limit - fixed) / (uint64_t(t.stride) * 4) + 1);
    }

    const uint32_t wg = a.invocations ? a.invocations : workgroupSize(caps);
    if (!opbind::workgroupFits(caps, wg, 4))
        return errorf("rms_norm: %u invocations per row is not a power of two within the device's limits", wg);
    PipelineDesc desc;
    desc.shader = caps.subgroupReduce() ? "rms_norm_subgroup" : "rms_norm";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::boolean(1, hasWeight), SpecConstant::boolean(2, hasResidual),
                 SpecConstant::boolean(3, hasScale), SpecConstant::boolean(4, hasNext)};
    desc.pushBytes = sizeof(RmsNormPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    const Window w = hasWeight ? windowOf(a.weight, 0, 1, a.cols, a.cols, align) : Window{};
    const Window sc = hasScale ? windowOf(a.then.scale, 0, 1, 1, 1, align) : Window{};
    const Window w2 = hasNext ? windowOf(a.then.nextWeight, 0, 1, a.cols, a.cols, align) : Window{};
    // In place and split: a window's aligned-down binding can reach back into
    // the previous window's output rows. No element is read after another
    // window wrote it, but the bindings overlap, so order them (the
    // synchronization validation flags it otherwise, rightly at range level).
    const bool inPlace = overlaps(a.out, a.x) || (hasResidual && overlaps(a.out, a.residual));
    const uint32_t maxX = caps.maxComputeWorkGroupCount[0];
    for (uint64_t r0 = 0; r0 < a.rows; r0 += windowRows) {
        const uint64_t k = std::min<uint64_t>(windowRows, a.rows - r0);
        if (r0 > 0 && inPlace) cmd.computeBarrier();
        const Window x = windowOf(a.x, r0, k, xStride, a.cols, align);
        const Window o = windowOf(a.out, r0, k, oStride, a.cols, align);
        const Window r = hasResidual ? windowOf(a.residual, r0, k, rStride, a.cols, align) : Window{};
        const Window o2 = hasNext ? windowOf(a.then.nextOut, r0, k, o2Stride, a.cols, align) : Window{};
        // Absent inputs still need a valid descriptor: x stands in (never
        // read), and out for the absent next output (never written; a
        // range this dispatch writes anyway, so no false hazard).
        FACET_TRY(cmd.bind(*pipe, {x.bind, hasWeight ? w.bind : x.bind, hasResidual ? r.bind : x.bind, o.bind,
                                   hasScale ? sc.bind : x.bind, hasNext ? w2.bind : x.bind,
                                   hasNext ? o2.bind : o.bind}));
        RmsNormPush p{};
        p.rows = static_cast<uint32_t>(k);
        p.cols = a.cols;
        p.xOffset = x.elemOffset;
        p.xStride = xStride;
        p.wOffset = w.elemOffset;
        p.rOffset = r.elemOffset;
        p.rStride = rStride;
        p.oOffset = o.elemOffset;
        p.oStride = oStride;
        p.eps = a.eps;
        p.sOffset = sc.elemOffset;
        p.w2Offset = w2.elemOffset;
        p.o2Offset = o2.elemOffset;
        p.o2Stride = o2Stride;
        FACET_TRY(cmd.push(p));
        const uint32_t gx = static_cast<uint32_t>(std::min<uint64_t>(k, maxX));
        FACET_TRY(cmd.dispatch(gx, static_cast<uint32_t>((k + gx - 1) / gx)));
    }
    return {};
}

Status recordRmsNorm(Cmd& cmd, const BufferSlice& x, const BufferSlice& w, const BufferSlice& out, uint32_t rows,
                     uint32_t cols, float eps, const BufferSlice& residual, const RmsNormThen& then) {
    RmsNormArgs a;
    a.x = x;
    a.weight = w;
    a.residual = residual;
    a.out = out;
    a.then = then;
    a.rows = rows;
    a.cols = cols;
    a.eps = eps;
    return dispatchRmsNorm(cmd, a);
}

}  // namespace facet::vk
