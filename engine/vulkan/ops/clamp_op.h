// Host side of shaders/clamp.comp (rule 7: clamp.comp <-> dispatchClamp <->
// ClampPush): out[t][i] = min(max(x[t][i], lo), hi) over nTok rows, the
// input and output bounds of the vision tower's clamped linears.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of clamp.comp, field for field. Offsets and strides in floats.
struct ClampPush {
    uint32_t nTok;
    uint32_t n;
    uint32_t xOffset;
    uint32_t xStride;
    uint32_t oOffset;
    uint32_t oStride;
    float lo;
    float hi;
};
static_assert(sizeof(ClampPush) == 32, "ClampPush must match the push block of shaders/clamp.comp");

struct ClampArgs {
    BufferSlice x, out;  // out may be the same range as x
    float lo = 0, hi = 0;  // either may be ±infinity; lo > hi gives hi everywhere (min after max, as the CPU)
    uint32_t nTok = 0;
    uint32_t n = 0;
    uint32_t xFirst = 0, outFirst = 0;    // float offsets inside the slices
    uint32_t xStride = 0, outStride = 0;  // floats; 0 = n
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
Status dispatchClamp(Cmd& cmd, const ClampArgs& args);

}  // namespace facet::vk
