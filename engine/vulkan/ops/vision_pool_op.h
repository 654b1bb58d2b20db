// Host side of shaders/vision_pool.comp (rule 7: vision_pool.comp <->
// dispatchVisionPool <-> VisionPoolPush): the vision tower's k×k average
// pooling of the patch grid, ×√E, and the optional standardization
// (spec gemma4-vision.md §5).
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of vision_pool.comp, field for field. Offsets in floats.
struct VisionPoolPush {
    uint32_t nOut;
    uint32_t width;
    uint32_t gridCols;
    uint32_t outCols;
    uint32_t k;
    uint32_t xOffset;
    uint32_t oOffset;
    uint32_t bOffset;
    uint32_t sOffset;
    float scale;
};
static_assert(sizeof(VisionPoolPush) == 40, "VisionPoolPush must match the push block of shaders/vision_pool.comp");

struct VisionPoolArgs {
    BufferSlice x;          // [gridRows · gridCols][width] f32, the patch grid row-major
    BufferSlice out;        // [(gridRows / k) · (gridCols / k)][width] f32; must not overlap x
    BufferSlice bias;       // width floats (v.std_bias); empty = no standardization
    BufferSlice stdScale;   // width floats (v.std_scale); both or neither
    uint32_t gridCols = 0, gridRows = 0;  // multiples of k
    uint32_t k = 1;
    uint32_t width = 0;
    float scale = 1.0f;     // the multiplier of each k×k sum: √E / k²
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
Status dispatchVisionPool(Cmd& cmd, const VisionPoolArgs& args);

}  // namespace facet::vk
