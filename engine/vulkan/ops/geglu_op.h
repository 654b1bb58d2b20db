// Host side of shaders/geglu.comp (rule 7: geglu.comp <-> dispatchGeglu <->
// GegluPush; CPU twin facet::cpu::geglu): out[t][i] = gelu_tanh(g[t][i]) * u[t][i].
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of geglu.comp, field for field. Offsets and strides in floats.
struct GegluPush {
    uint32_t nTok;
    uint32_t n;
    uint32_t gOffset;
    uint32_t gStride;
    uint32_t uOffset;
    uint32_t uStride;
    uint32_t oOffset;
    uint32_t oStride;
};
static_assert(sizeof(GegluPush) == 32, "GegluPush must match the push block of shaders/geglu.comp");

// nTok rows of n values. g and u may be one buffer (e.g. MoE gate_up rows of
// 2n: g = whole, u = the same buffer, uFirst = n, strides 2n).
struct GegluArgs {
    BufferSlice g, u, out;  // out may be the same range as g or u
    uint32_t nTok = 0;
    uint32_t n = 0;
    uint32_t gFirst = 0, uFirst = 0, outFirst = 0;     // float offset of row 0 inside each slice
    uint32_t gStride = 0, uStride = 0, outStride = 0;  // floats; 0 = n
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
Status dispatchGeglu(Cmd& cmd, const GegluArgs& args);

}  // namespace facet::vk
