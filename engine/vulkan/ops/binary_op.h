// Host side of shaders/binary.comp (rule 7: binary.comp <-> dispatchBinary <->
// BinaryPush; CPU twin facet::cpu::binary). Elementwise ops over nTok rows.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "cpu/elementwise.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The op enum is shared with the CPU twin (its values are binary.comp's OP
// specialization constant).
using cpu::BinaryOp;

// The push block of binary.comp, field for field. Offsets and strides in floats.
struct BinaryPush {
    uint32_t nTok;
    uint32_t n;
    uint32_t aOffset;
    uint32_t aStride;
    uint32_t bOffset;
    uint32_t bStride;
    uint32_t sOffset;
    uint32_t oOffset;
    uint32_t oStride;
};
static_assert(sizeof(BinaryPush) == 36, "BinaryPush must match the push block of shaders/binary.comp");

struct BinaryArgs {
    BinaryOp op = BinaryOp::Add;
    BufferSlice a, b, out;  // b unused by Scale; out may be the same range as a or b
    BufferSlice scalar;     // Scale, AddScale: the float at scalarFirst
    uint32_t nTok = 0;
    uint32_t n = 0;
    uint32_t aFirst = 0, bFirst = 0, outFirst = 0, scalarFirst = 0;  // float offsets inside the slices
    uint32_t aStride = 0, bStride = 0, outStride = 0;                // floats; 0 = n
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
Status dispatchBinary(Cmd& cmd, const BinaryArgs& args);

}  // namespace facet::vk
