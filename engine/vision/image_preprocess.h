// Image preprocessing for Gemma 4 vision, as llama.cpp does it
// (spec gemma4-vision.md §3.1, `mtmd_image_preprocessor_dyn_size`): pick a
// target size that is a multiple of patch·pool and holds minTokens…maxTokens
// soft tokens, resize the picture (bilinear, align-corners, u8→u8) keeping its
// aspect ratio, paste it centred on a black canvas. Bit-exact with llama.cpp:
// the arithmetic is float32 in the reference's order, and this file's .cpp is
// compiled with -ffp-contract=off (engine/CMakeLists.txt) so no FMA changes a
// rounding.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"

namespace facet {

// 8-bit RGB, row-major, 3 bytes per pixel, no row padding.
struct RgbImage {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

// Inputs larger than this are refused (decoders check it on the header,
// before allocating; preprocessImage checks it again).
inline constexpr int kMaxImageSide = 16384;
inline constexpr int64_t kMaxImagePixels = int64_t(64) * 1024 * 1024;

// The soft-token budget. Defaults: a real Gemma 4 projector (patch 16, 3×3
// pooling) with llama.cpp's set_limit_image_tokens(40, 280) (spec §3.1 step 2).
struct ImageBudget {
    int patchSize = 16;
    int poolKernel = 3;
    int minTokens = 40;
    int maxTokens = 280;
};

// Where the picture goes (spec §3.1 steps 2-4).
struct ImagePlan {
    int inputWidth = 0, inputHeight = 0;
    int align = 0;                        // patch·pool: one soft token's side in pixels
    int minPixels = 0, maxPixels = 0;     // minTokens·align², maxTokens·align²
    int targetWidth = 0, targetHeight = 0;    // w', h': the canvas the encoder sees
    int contentWidth = 0, contentHeight = 0;  // nw, nh: the resized picture on it
    int padX = 0, padY = 0;               // top-left of the picture on the canvas
    int gridCols = 0, gridRows = 0;       // soft tokens across and down
    int nTokens = 0;                      // gridCols·gridRows
    bool resized = false;                 // false: canvas is the input, unchanged
};

struct PreprocessedImage {
    ImagePlan plan;
    RgbImage canvas;  // targetWidth × targetHeight
};

// Fails on a non-positive or oversized input, or an unusable budget.
Result<ImagePlan> planImage(int width, int height, const ImageBudget& budget);

// The u8 canvas the encoder sees. Fails like planImage, and when `image.rgb`
// does not hold width·height·3 bytes.
Result<PreprocessedImage> preprocessImage(const RgbImage& image, const ImageBudget& budget);

// The vision tower's input: planar float32 [3][h'][w'] (R, G, B planes),
// x = 2·(u8/255) − 1 (spec §3.1 step 6 plus the tower's own 2x−1).
std::vector<float> encoderInput(const PreprocessedImage& image);

}  // namespace facet
