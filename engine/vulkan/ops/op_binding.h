// Binding helpers shared by the elementwise op dispatchers (rope, geglu,
// binary, logits, kv_store): a tensor's element range as a storage binding
// that starts at an aligned offset at or before it, plus the element offset
// of the range inside the binding (what the push blocks carry).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "vulkan/row_interleave.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk::opbind {

struct Bound {
    BufferSlice bind;
    uint32_t elemOffset = 0;  // in elements of `elemBytes`
};

// Elements [first, first + count) of `t` (elements of elemBytes bytes).
// Errors name the op and the tensor: no buffer, misaligned start, a range
// past the slice, or a binding over maxStorageBufferRange.
inline Result<Bound> bindRange(const char* op, const char* name, const BufferSlice& t, uint64_t first, uint64_t count,
                               uint32_t elemBytes, const DeviceCaps& caps) {
    if (t.empty()) return errorf("%s: no %s buffer", op, name);
    if (t.offset % elemBytes)
        return errorf("%s: %s starts at byte %llu, not a multiple of %u", op, name,
                      static_cast<unsigned long long>(t.offset), elemBytes);
    const uint64_t needBytes = (first + count) * elemBytes;
    if (t.size < needBytes)
        return errorf("%s: %s needs %llu bytes, the range has %llu", op, name,
                      static_cast<unsigned long long>(needBytes), static_cast<unsigned long long>(t.size));
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t start = t.offset + first * elemBytes;
    const uint64_t bindStart = start / align * align;
    // Bind whole elements only (a multiple of elemBytes): the slice's tail
    // past the range is not part of the binding.
    const uint64_t bytes = (start - bindStart) + count * elemBytes;
    if (bytes > caps.maxStorageBufferRange)
        return errorf("%s: %s needs a %llu-byte binding, the device allows %llu", op, name,
                      static_cast<unsigned long long>(bytes),
                      static_cast<unsigned long long>(caps.maxStorageBufferRange));
    if ((start - bindStart) % elemBytes)
        return errorf("%s: %s at byte %llu cannot be bound at a %llu-byte alignment", op, name,
                      static_cast<unsigned long long>(start), static_cast<unsigned long long>(align));
    return Bound{BufferSlice{t.buffer, bindStart, bytes}, static_cast<uint32_t>((start - bindStart) / elemBytes)};
}

// Elements spanned by `rows` rows of `cols` with row stride `stride`.
inline uint64_t rowSpan(uint64_t rows, uint64_t cols, uint64_t stride) {
    return rows == 0 ? 0 : (rows - 1) * stride + cols;
}

// Invocations per workgroup: `want`, lowered to the device's limits and to a
// power of two (the shared-memory reductions need one).
inline uint32_t workgroupSize(const DeviceCaps& c, uint32_t want) {
    const uint32_t limit = std::min({want, c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0]});
    return std::bit_floor(std::max(limit, 1u));
}

// Whether a caller-given workgroup size `wg` fits: a power of two within the
// device's invocation limits, with `sharedPerInvocation` bytes each.
inline bool workgroupFits(const DeviceCaps& c, uint32_t wg, uint32_t sharedPerInvocation) {
    return std::has_single_bit(wg) && wg <= std::min(c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0]) &&
           uint64_t(wg) * sharedPerInvocation <= c.maxComputeSharedMemorySize;
}

// A run of whole weight rows bound as one storage binding: row firstRow
// starts at byte `byte` of `bind`; rows [firstRow, endRow).
struct RowWindow {
    BufferSlice bind;
    uint32_t firstRow = 0, endRow = 0;
    uint32_t byte = 0;
};

// Rows [rowBegin, rowEnd) of a tensor stored as `pieces` (in row order,
// covering those rows), cut into windows that each fit one binding with
// the worst start misalignment and the rounding up to a whole word (the
// shaders read 32-bit words). A row-interleaved piece (TensorPiece::tileRows,
// rowBytes as stored) is one window from its first tile on a 16-byte
// boundary to the end of its last tile, and must be read from its start.
inline Result<std::vector<RowWindow>> rowWindows(const char* op, std::span<const TensorPiece> pieces,
                                                 uint64_t rowBytes, int64_t rowBegin, int64_t rowEnd,
                                                 const DeviceCaps& caps) {
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t limit = caps.maxStorageBufferRange;
    const uint64_t slack = (align - 1) + 3;
    if (rowBytes == 0 || limit <= slack || (limit - slack) / rowBytes == 0)
        return errorf("%s: one row of %llu bytes does not fit a %llu-byte storage binding", op,
                      static_cast<unsigned long long>(rowBytes), static_cast<unsigned long long>(limit));
    const int64_t perWindow = static_cast<int64_t>((limit - slack) / rowBytes);
    std::vector<RowWindow> out;
    int64_t next = rowBegin;
    for (const TensorPiece& pc : pieces) {
        if (pc.rowEnd <= next || pc.rowBegin >= rowEnd) continue;
        if (pc.rowBegin > next) return errorf("%s: rows %lld.. are in no piece", op, static_cast<long long>(next));
        if (pc.tileRows) {
            const uint64_t image = RowInterleave{pc.tileRows, uint64_t(pc.rowEnd - pc.rowBegin), rowBytes}.imageBytes();
            const uint64_t bindStart = pc.slice.offset / std::max<uint64_t>(align, 16) * std::max<uint64_t>(align, 16);
            const uint64_t bytes = pc.slice.offset - bindStart + image;
            if (pc.rowBegin != next || pc.slice.offset % 16 || rowBytes % 16 || pc.slice.size < image || bytes > limit)
                return errorf("%s: row-interleaved rows [%lld, %lld) must be read from their piece's start, with "
                              "16-byte rows, in one binding", op, static_cast<long long>(pc.rowBegin),
                              static_cast<long long>(pc.rowEnd));
            out.push_back({BufferSlice{pc.slice.buffer, bindStart, bytes}, static_cast<uint32_t>(pc.rowBegin),
                           static_cast<uint32_t>(std::min(pc.rowEnd, rowEnd)), static_cast<uint32_t>(pc.slice.offset - bindStart)});
            next = std::min(pc.rowEnd, rowEnd);
            if (next >= rowEnd) break;
            continue;
        }
        if (pc.slice.empty() || uint64_t(pc.rowEnd - pc.rowBegin) * rowBytes > pc.slice.size)
            return errorf("%s: a piece of rows [%lld, %lld) is smaller than its rows", op,
                          static_cast<long long>(pc.rowBegin), static_cast<long long>(pc.rowEnd));
        const int64_t end = std::min(pc.rowEnd, rowEnd);
        // The shaders read whole words: the word holding the last byte must exist.
        const uint64_t lastByte = pc.slice.offset + uint64_t(end - pc.rowBegin) * rowBytes;
        if ((lastByte + 3) / 4 * 4 > pc.slice.buffer->size())
            return errorf("%s: rows end at byte %llu of '%s', not padded to a 4-byte word", op,
                          static_cast<unsigned long long>(lastByte), pc.slice.buffer->name().c_str());
        for (int64_t r = next; r < end; r += perWindow) {
            const int64_t r1 = std::min(end, r + perWindow);
            const uint64_t start = pc.slice.offset + uint64_t(r - pc.rowBegin) * rowBytes;
            const uint64_t bindStart = start / align * align;
            const uint64_t bytes = ((start - bindStart) + uint64_t(r1 - r) * rowBytes + 3) / 4 * 4;
            out.push_back({BufferSlice{pc.slice.buffer, bindStart, bytes}, static_cast<uint32_t>(r),
                           static_cast<uint32_t>(r1), static_cast<uint32_t>(start - bindStart)});
        }
        next = end;
        if (next >= rowEnd) break;
    }
    if (next < rowEnd) return errorf("%s: rows %lld.. are in no piece", op, static_cast<long long>(next));
    return out;
}

}  // namespace facet::vk::opbind
