// Binding helpers shared by the elementwise op dispatchers (rope, geglu,
// binary, logits, kv_store): a tensor's element range as a storage binding
// that starts at an aligned offset at or before it, plus the element offset
// of the range inside the binding (what the push blocks carry).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

#include "core/result.h"
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

}  // namespace facet::vk::opbind
