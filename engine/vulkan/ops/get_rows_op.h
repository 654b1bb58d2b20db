// Host side of shaders/get_rows.comp, the embedding gather (house style rule
// 7: get_rows.comp <-> dispatchGetRows <-> GetRowsPush; CPU twin:
// facet::dequantizeTensorRow followed by the scale).
//   out[t][c] = dequant(table[ids[t]])[c] * scale    t < n
// The ids are read on the GPU (no readback between sampling and the next
// step). Bit-exact with the CPU.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// Row windows one dispatch can bind (bindings W0..W3 of get_rows.comp).
inline constexpr uint32_t kGetRowsWindows = 4;

// The push block of get_rows.comp, field for field (see the shader).
struct GetRowsPush {
    uint32_t n;
    uint32_t cols;
    uint32_t idsOffset;  // uints
    uint32_t oOffset;    // floats
    uint32_t oStride;    // floats
    uint32_t rowBytes;
    uint32_t rowsTotal;
    uint32_t poison;
    uint32_t winFirst[kGetRowsWindows];
    uint32_t winEnd;
    uint32_t winByte[kGetRowsWindows];
    float scale;
    uint32_t tileRows;  // 0, or the windows' rows are row-interleaved in tiles of this many (row_interleave.h)
};
// 19 scalars of 4 bytes (arrays of uint have a 4-byte stride in push blocks);
// pipeline creation also compares this with the size reflected from the SPIR-V.
static_assert(sizeof(GetRowsPush) == 76, "GetRowsPush must match the push block of shaders/get_rows.comp");

struct GetRowsArgs {
    // The whole table: row r starts at byte table.offset + r * rowBytes(type, cols).
    BufferSlice table;
    // Or the table as pieces (DeviceTensor::pieces) when it is stored in
    // several, or row-interleaved (TensorPiece::tileRows, the same in all).
    std::span<const TensorPiece> pieces;
    GgmlType type = GgmlType::F32;
    uint32_t cols = 0;  // ne[0]; a multiple of the block size for quantized types
    uint32_t rows = 0;  // rows of the table; an id >= rows gives a row of NaN
    BufferSlice ids;    // n uint32 row ids
    BufferSlice out;    // out[t][c] at float t * outStride + c
    uint32_t n = 0;
    uint32_t outStride = 0;  // 0 = cols
    float scale = 1.0f;      // Gemma: sqrt(hidden size), rounded as the model does
};

// Records the dispatches (no barriers before or after) into `cmd`, which
// must be recording. A table larger than one binding (maxStorageBufferRange)
// is bound as row windows, up to kGetRowsWindows per dispatch; a table
// needing more takes several dispatches (with barriers between them).
Status dispatchGetRows(Cmd& cmd, const GetRowsArgs& args);

}  // namespace facet::vk
