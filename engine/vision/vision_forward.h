// The Gemma 4 vision tower on the CPU (spec gemma4-vision.md §4-§5): patch
// embedding, the encoder blocks with 2-D RoPE, k×k pooling, standardization
// and the projection to the text width. Plain float32 with double
// accumulation (engine/cpu/ops): the oracle the Vulkan tower is tested
// against. Decisions on the spec's open points follow Hugging Face: tanh GELU
// whatever the file says, and each clamped linear clamps its own input.
#pragma once

#include <vector>

#include "core/result.h"
#include "vision/vision_model.h"

namespace facet {

struct VisionOptions {
    // Test hook: gelu_quick (llama.cpp's choice for files without clip.use_gelu)
    // instead of the model's tanh GELU, to show a test tells them apart.
    bool geluQuick = false;
};

struct SoftTokens {
    int cols = 0, rows = 0;       // pooled grid: soft tokens row-major, column fastest
    int width = 0;                // text width of each token
    std::vector<float> values;    // [cols·rows][width]
    int count() const { return cols * rows; }
};

// `input` is the encoder input, planar [3][height][width] of 2·u8/255 − 1
// (image_preprocess.h); both sides must be multiples of patch·pool.
Result<SoftTokens> encodeImageCpu(const VisionModel& model, const std::vector<float>& input, int width, int height,
                                  const VisionOptions& options = {});

}  // namespace facet
