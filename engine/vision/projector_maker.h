// Random-weight Gemma 4 projector files (gemma4v mmproj GGUF, spec
// gemma4-vision.md §2 and §8) of any tower shape, for tests and the vision
// benchmark: the real E2B/E4B and 26B/31B towers, or anything smaller.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vision/vision_model.h"

namespace facet {

// "e2b" (also E4B's tower) or "31b" (also 26B-A4B's); false when unknown.
// The text width is the model's: E2B 1536, E4B 2560, 26B-A4B 2816, 31B 5376.
bool projectorShapeByName(const std::string& name, VisionDesc& out);

struct ProjectorOptions {
    GgmlType weightType = GgmlType::F16;  // the 2-D weights and the patch kernel
    uint64_t seed = 1;
    bool clamps = false;       // clamp scalars on every linear
    bool standardize = false;  // v.std_bias / v.std_scale
};

Status writeRandomProjector(const VisionDesc& shape, const ProjectorOptions& options, const std::string& path);

}  // namespace facet
