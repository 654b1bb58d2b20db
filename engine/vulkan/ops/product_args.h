// Argument checks shared by the weight x vectors products (mat_vec, mat_mat):
// the weight's rows inside its range and padded to a word (the shaders read
// 32-bit words), x and y large enough for their strides, float aligned, and
// y overlapping neither input. Errors start with the op's name.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

struct ProductShape {
    uint64_t rowBytes = 0;
    uint32_t rows = 0;               // rowEnd - rowBegin
    uint32_t xStride = 0, yStride = 0;  // defaults resolved
    uint64_t xFloats = 0, yFloats = 0;  // spans of x and y
    uint64_t wNeed = 0;                 // bytes of rows [0, rowEnd)
};

// Whether two byte ranges of one buffer share a byte.
inline bool slicesOverlap(const BufferSlice& a, const BufferSlice& b) {
    return a.buffer && a.buffer == b.buffer && a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

inline Result<ProductShape> checkProductArgs(const char* op, const BufferSlice& weight, GgmlType type, uint32_t cols,
                                             uint32_t rowBegin, uint32_t rowEnd, const BufferSlice& x,
                                             const BufferSlice& y, uint32_t xStride, uint32_t yStride,
                                             uint32_t nTok) {
    ProductShape s;
    s.rowBytes = rowBytes(type, cols);
    if (s.rowBytes == 0)
        return errorf("%s: %u columns is not a multiple of the %s block of %u", op, cols, typeName(type).c_str(),
                      typeInfo(type).blockElems);
    if (weight.empty() || x.empty() || y.empty()) return errorf("%s: missing weight, x or y buffer", op);
    s.rows = rowEnd - rowBegin;
    s.xStride = xStride ? xStride : cols;
    s.yStride = yStride ? yStride : s.rows;
    if (s.xStride < cols) return errorf("%s: x stride %u < %u columns", op, s.xStride, cols);
    if (nTok > 1 && s.yStride < s.rows) return errorf("%s: y stride %u < %u rows", op, s.yStride, s.rows);

    s.wNeed = uint64_t(rowEnd) * s.rowBytes;
    if (weight.size < s.wNeed)
        return errorf("%s: weight needs %llu bytes for rows < %u of %u %s values, the range has %llu", op,
                      static_cast<unsigned long long>(s.wNeed), rowEnd, cols, typeName(type).c_str(),
                      static_cast<unsigned long long>(weight.size));
    // The shader reads whole words: the word holding the last weight byte
    // must lie inside the buffer.
    const uint64_t wEnd = weight.offset + s.wNeed;
    if ((wEnd + 3) / 4 * 4 > weight.buffer->size())
        return errorf("%s: weight ends at byte %llu of '%s' (%llu bytes), not padded to a 4-byte word", op,
                      static_cast<unsigned long long>(wEnd), weight.buffer->name().c_str(),
                      static_cast<unsigned long long>(weight.buffer->size()));

    s.xFloats = uint64_t(nTok - 1) * s.xStride + cols;
    s.yFloats = uint64_t(nTok - 1) * s.yStride + s.rows;
    if (x.offset % 4 || y.offset % 4) return errorf("%s: x or y does not start on a float boundary", op);
    if (x.size < s.xFloats * 4)
        return errorf("%s: x needs %llu bytes for %u x %u (stride %u), the range has %llu", op,
                      static_cast<unsigned long long>(s.xFloats * 4), nTok, cols, s.xStride,
                      static_cast<unsigned long long>(x.size));
    if (y.size < s.yFloats * 4)
        return errorf("%s: y needs %llu bytes for %u x %u (stride %u), the range has %llu", op,
                      static_cast<unsigned long long>(s.yFloats * 4), nTok, s.rows, s.yStride,
                      static_cast<unsigned long long>(y.size));
    // The data ranges, not aligned-down bindings: those may reach into a
    // neighbour, which is harmless (read-only, never written through y).
    const BufferSlice yData{y.buffer, y.offset, s.yFloats * 4};
    if (slicesOverlap(BufferSlice{x.buffer, x.offset, s.xFloats * 4}, yData) ||
        slicesOverlap(BufferSlice{weight.buffer, weight.offset, s.wNeed}, yData))
        return errorf("%s: y overlaps x or the weight (no in-place product)", op);
    return s;
}

// Floats [0, count) from byte `offset` of `t`'s buffer, bound at an aligned
// offset at or before them, plus the float offset of the first inside it.
struct FloatWindow {
    BufferSlice bind;
    uint32_t elemOffset = 0;
};

inline FloatWindow floatWindow(const BufferSlice& t, uint64_t offset, uint64_t count, uint64_t align) {
    const uint64_t bindStart = offset / align * align;
    return {BufferSlice{t.buffer, bindStart, (offset - bindStart) + count * 4},
            static_cast<uint32_t>((offset - bindStart) / 4)};
}

// The most weight rows one binding of `limit` bytes holds, with room for the
// worst misalignment of the window start and the rounding up to a whole word.
inline Result<uint64_t> weightWindowRows(const char* op, uint64_t rowBytes, uint64_t limit, uint64_t align) {
    const uint64_t slack = (align - 1) + 3;
    if (rowBytes == 0 || limit <= slack || (limit - slack) / rowBytes == 0)
        return errorf("%s: one row of %llu bytes does not fit a %llu-byte storage binding", op,
                      static_cast<unsigned long long>(rowBytes), static_cast<unsigned long long>(limit));
    return (limit - slack) / rowBytes;
}

// Rows [firstRow, firstRow + rows) of `weight` as a binding that starts at an
// aligned offset and ends on a whole word, plus the byte of the first row in it.
struct WeightWindow {
    BufferSlice bind;
    uint32_t byteOffset = 0;
};

inline WeightWindow weightWindow(const BufferSlice& weight, uint64_t firstRow, uint64_t rows, uint64_t rowBytes,
                                 uint64_t align) {
    const uint64_t start = weight.offset + firstRow * rowBytes;
    const uint64_t bindStart = start / align * align;
    const uint64_t bytes = ((start - bindStart) + rows * rowBytes + 3) / 4 * 4;
    return {BufferSlice{weight.buffer, bindStart, bytes}, static_cast<uint32_t>(start - bindStart)};
}

}  // namespace facet::vk
