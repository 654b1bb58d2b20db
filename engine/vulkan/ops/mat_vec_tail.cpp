#include "vulkan/ops/mat_vec_tail.h"

#include <algorithm>

#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/ops/op_binding.h"
#include "vulkan/ops/product_args.h"
#include "vulkan/vk_device.h"

namespace facet::vk {

namespace {

// The data ranges a tail touches besides y: each checked for its size here,
// then for overlaps (a written one may share no byte with anything else).
struct Range {
    const char* name;
    BufferSlice data;
    bool written;
};

uint64_t spanBytes(uint32_t nTok, uint32_t stride, uint32_t rows) { return (uint64_t(nTok - 1) * stride + rows) * 4; }

}  // namespace

Result<TailBinding> matVecTailBinding(const DeviceCaps& caps, const MatVecArgs& a, const BufferSlice& yBind) {
    TailBinding b;
    b.binds.fill(yBind);  // stand-ins: a range the product writes anyway (no false hazard)
    if (a.tail.empty()) return b;
    const MatVecTail& t = a.tail;
    if (!a.pair.empty() || !a.upValues.empty() || a.accumulate)
        return errorf("mat_vec: a closing norm (tail) follows a plain product, not GLU mode or accumulate");
    if (t.weight.empty() || t.residual.empty())
        return errorf("mat_vec: the closing norm needs its weight and the residual x");
    if (t.nextWeight.empty() != t.nextOut.empty())
        return errorf("mat_vec: the closing norm's next pre-norm needs both its weight and its output");
    if (!(t.eps >= 0.0f)) return errorf("mat_vec: the closing norm's eps %g must be >= 0", static_cast<double>(t.eps));
    const uint32_t rows = a.rowEnd - a.rowBegin, n = a.nTok;
    const uint32_t rStride = t.residualStride ? t.residualStride : rows;
    const uint32_t nStride = t.nextOutStride ? t.nextOutStride : rows;
    if ((n > 1 && rStride < rows) || (n > 1 && !t.nextOut.empty() && nStride < rows))
        return errorf("mat_vec: the closing norm's strides (x %u, next %u) are under the %u rows", rStride, nStride,
                      rows);

    const char* op = "mat_vec (tail)";
    FACET_ASSIGN(const opbind::Bound counter, opbind::bindRange(op, "counter", t.counter, 0, 1, 4, caps));
    FACET_ASSIGN(const opbind::Bound w, opbind::bindRange(op, "weight", t.weight, 0, rows, 4, caps));
    const uint64_t rBytes = spanBytes(n, rStride, rows), nBytes = spanBytes(n, nStride, rows);
    FACET_ASSIGN(const opbind::Bound x, opbind::bindRange(op, "residual", t.residual, 0, rBytes / 4, 4, caps));
    opbind::Bound s, w2, next;
    if (!t.scale.empty()) {
        FACET_ASSIGN(s, opbind::bindRange(op, "scale", t.scale, 0, 1, 4, caps));
    }
    if (!t.nextOut.empty()) {
        FACET_ASSIGN(w2, opbind::bindRange(op, "next weight", t.nextWeight, 0, rows, 4, caps));
        FACET_ASSIGN(next, opbind::bindRange(op, "next out", t.nextOut, 0, nBytes / 4, 4, caps));
    }

    // The product's own ranges (checkProductArgs passed), then the tail's.
    const uint64_t rb = rowBytes(a.type, a.cols);
    const uint32_t xStride = a.xStride ? a.xStride : a.cols, yStride = a.yStride ? a.yStride : rows;
    auto from = [](const BufferSlice& t, uint64_t skip, uint64_t bytes) {
        return BufferSlice{t.buffer, t.offset + skip, bytes};
    };
    const bool hasNext = !t.nextOut.empty();
    const Range ranges[] = {
        {"the weights", from(a.weight, a.rowBegin * rb, rows * rb), false},
        {"x", from(a.x, 0, spanBytes(n, xStride, a.cols)), false},
        {"y", from(a.y, 0, spanBytes(n, yStride, rows)), true},
        {"the counter", from(t.counter, 0, 4), true},
        {"the norm weight", from(t.weight, 0, uint64_t(rows) * 4), false},
        {"the residual", from(t.residual, 0, rBytes), true},
        {"the scale", from(t.scale, 0, t.scale.empty() ? 0 : 4), false},
        {"the next weight", from(t.nextWeight, 0, hasNext ? uint64_t(rows) * 4 : 0), false},
        {"the next out", from(t.nextOut, 0, hasNext ? nBytes : 0), true},
    };
    for (size_t i = 0; i < std::size(ranges); ++i)
        for (size_t j = i + 1; j < std::size(ranges); ++j)
            if ((ranges[i].written || ranges[j].written) && ranges[i].data.size && ranges[j].data.size &&
                slicesOverlap(ranges[i].data, ranges[j].data))
                return errorf("mat_vec: the closing norm's %s overlaps %s", ranges[j].name, ranges[i].name);

    b.binds = {counter.bind, x.bind, w.bind, t.scale.empty() ? yBind : s.bind, t.nextOut.empty() ? yBind : w2.bind,
               t.nextOut.empty() ? yBind : next.bind};
    b.push.counter = counter.elemOffset;
    b.push.rOffset = x.elemOffset;
    b.push.rStride = rStride;
    b.push.wOffset = w.elemOffset;
    b.push.sOffset = s.elemOffset;
    b.push.w2Offset = w2.elemOffset;
    b.push.nextOffset = next.elemOffset;
    b.push.nextStride = nStride;
    b.push.eps = t.eps;
    b.push.flags = (t.scale.empty() ? 0u : kTailScale) | (t.nextOut.empty() ? 0u : kTailNext);
    b.spec = 1;
    return b;
}

Status matVecTailFits(const DeviceCaps& caps, const MatVecShape& shape, uint32_t nTok, uint32_t windows) {
    if (windows != 1)
        return errorf("mat_vec: a closing norm needs the product in one dispatch; its rows take %u bindings on %s",
                      windows, caps.name.c_str());
    // Groups: the product's reduction array, then the norm's (reduce.glsl) and a flag.
    const uint64_t product = shape.layout == MatVecLayout::Lanes ? 0 : uint64_t(nTok) * shape.rows * shape.wgSize * 4;
    const uint64_t bytes = product + uint64_t(shape.wgSize) * 4 + 4;
    if (bytes > caps.maxComputeSharedMemorySize)
        return errorf("mat_vec: a closing norm with %u invocations x %u rows x %u vectors needs %llu bytes of shared "
                      "memory, %s has %u",
                      shape.wgSize, shape.rows, nTok, static_cast<unsigned long long>(bytes), caps.name.c_str(),
                      caps.maxComputeSharedMemorySize);
    return {};
}

bool matVecCanTail(const Device& device, const MatVecArgs& a) {
    const DeviceCaps& caps = device.caps();
    if (device.tailFusionOff() || a.tail.empty() || a.rowEnd <= a.rowBegin || a.cols == 0) return false;
    auto ps = checkProductArgs("mat_vec", a.weight, a.type, a.cols, a.rowBegin, a.rowEnd, a.x, a.y, a.xStride,
                               a.yStride, a.nTok);
    if (!ps.ok() || !matVecTailBinding(caps, a, a.y).ok()) return false;
    // One window in either layout: the rows from an aligned start, a word
    // past them (Blocks, the word decoder), within a storage binding and,
    // where texel buffers serve the lanes layout, a view of 4-byte texels.
    const RowInterleave tiles = matVecTileLayout(a.type, a.cols, 0, a.tileRows);
    const uint64_t R = std::max(a.tileRows, 1u);
    const uint64_t rows = (uint64_t(a.rowEnd) + R - 1) / R * R - uint64_t(a.rowBegin) / R * R;
    const uint64_t align = std::max<uint64_t>(
        {caps.minStorageBufferOffsetAlignment, caps.texelBuffers ? caps.minTexelBufferOffsetAlignment : 0, 16});
    const uint64_t span = rows * tiles.rowBytes + align + 16 + 4;
    uint64_t limit = caps.maxStorageBufferRange;
    if (caps.texelBuffers) limit = std::min<uint64_t>(limit, uint64_t(caps.maxTexelBufferElements) * 4);
    return span <= limit;
}

}  // namespace facet::vk
