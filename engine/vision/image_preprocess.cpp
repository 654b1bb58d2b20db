// Spec gemma4-vision.md §3.1 (llama.cpp's calc_size_preserved_ratio, resize
// with PAD_CEIL and resize_bilinear, reproduced bit for bit). Every float
// expression keeps the reference's float32 operand order; CMake compiles this
// file with -ffp-contract=off so `a + b·c` is never fused into one rounding.
#include "vision/image_preprocess.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace facet {

namespace {

// Bounds that keep every int product below 2^31 (house style rule 6).
constexpr int kMaxPatchSize = 256;
constexpr int kMaxPoolKernel = 16;

Status checkBudget(const ImageBudget& b) {
    if (b.patchSize < 1 || b.patchSize > kMaxPatchSize)
        return errorf("image budget: patch size %d, expected 1..%d", b.patchSize, kMaxPatchSize);
    if (b.poolKernel < 1 || b.poolKernel > kMaxPoolKernel)
        return errorf("image budget: pool kernel %d, expected 1..%d", b.poolKernel, kMaxPoolKernel);
    if (b.minTokens < 1) return errorf("image budget: min tokens %d, expected at least 1", b.minTokens);
    if (b.minTokens > b.maxTokens)
        return errorf("image budget: min tokens %d > max tokens %d", b.minTokens, b.maxTokens);
    const int64_t align = int64_t(b.patchSize) * b.poolKernel;
    if (int64_t(b.maxTokens) * align * align > std::numeric_limits<int>::max())
        return errorf("image budget: max tokens %d × %lld² pixels overflows", b.maxTokens,
                      static_cast<long long>(align));
    return Status::success();
}

Status checkInputSize(int width, int height) {
    if (width <= 0 || height <= 0) return errorf("image: size %d×%d, expected a non-empty picture", width, height);
    if (width > kMaxImageSide || height > kMaxImageSide)
        return errorf("image: size %d×%d, expected each side at most %d", width, height, kMaxImageSide);
    if (int64_t(width) * height > kMaxImagePixels)
        return errorf("image: size %d×%d is %lld pixels, expected at most %lld", width, height,
                      static_cast<long long>(int64_t(width) * height), static_cast<long long>(kMaxImagePixels));
    return Status::success();
}

// llama.cpp's round/ceil/floor_by_factor: x / align in float32, then the
// integer multiple (std::round: half away from zero, as the reference).
int roundBy(float x, int align) { return static_cast<int>(std::round(x / static_cast<float>(align))) * align; }
int ceilBy(float x, int align) { return static_cast<int>(std::ceil(x / static_cast<float>(align))) * align; }
int floorBy(float x, int align) { return static_cast<int>(std::floor(x / static_cast<float>(align))) * align; }

// Bilinear, align-corners, u8 → u8 with truncation (§3.1 step 5). Writes the
// dw×dh result into `dst` (row stride dstStride pixels) at (ox, oy).
void resizeBilinear(const RgbImage& src, int dw, int dh, uint8_t* dst, int dstStride, int ox, int oy) {
    const int sw = src.width, sh = src.height;
    const float xr = dw > 1 ? static_cast<float>(sw - 1) / static_cast<float>(dw - 1) : 0.0f;
    const float yr = dh > 1 ? static_cast<float>(sh - 1) / static_cast<float>(dh - 1) : 0.0f;
    const uint8_t* s = src.rgb.data();
    for (int y = 0; y < dh; ++y) {
        const float py = static_cast<float>(y) * yr;
        const int y0 = std::min(static_cast<int>(py), sh - 1);
        const int y1 = std::min(y0 + 1, sh - 1);
        const float yf = py - static_cast<float>(y0);
        uint8_t* row = dst + (size_t(oy + y) * size_t(dstStride) + size_t(ox)) * 3;
        for (int x = 0; x < dw; ++x) {
            const float px = static_cast<float>(x) * xr;
            const int x0 = std::min(static_cast<int>(px), sw - 1);
            const int x1 = std::min(x0 + 1, sw - 1);
            const float xf = px - static_cast<float>(x0);
            const uint8_t* p00 = s + (size_t(y0) * size_t(sw) + size_t(x0)) * 3;
            const uint8_t* p10 = s + (size_t(y0) * size_t(sw) + size_t(x1)) * 3;
            const uint8_t* p01 = s + (size_t(y1) * size_t(sw) + size_t(x0)) * 3;
            const uint8_t* p11 = s + (size_t(y1) * size_t(sw) + size_t(x1)) * 3;
            for (int c = 0; c < 3; ++c) {
                const float a = p00[c], b = p10[c], d = p01[c], e = p11[c];
                const float top = a + (b - a) * xf;
                const float bottom = d + (e - d) * xf;
                row[size_t(x) * 3 + size_t(c)] = static_cast<uint8_t>(top + (bottom - top) * yf);
            }
        }
    }
}

}  // namespace

Result<ImagePlan> planImage(int width, int height, const ImageBudget& budget) {
    FACET_TRY(checkBudget(budget));
    FACET_TRY(checkInputSize(width, height));

    ImagePlan p;
    p.inputWidth = width;
    p.inputHeight = height;
    p.align = budget.patchSize * budget.poolKernel;
    p.minPixels = budget.minTokens * p.align * p.align;
    p.maxPixels = budget.maxTokens * p.align * p.align;
    const int align = p.align;

    // §3.1 step 3 (calc_size_preserved_ratio). width·height < 2^26 and the
    // aligned sides < 2^15 + align, so every int product here fits.
    int h = std::max(align, roundBy(static_cast<float>(height), align));
    int w = std::max(align, roundBy(static_cast<float>(width), align));
    if (int64_t(h) * w > p.maxPixels) {
        const float beta = std::sqrt(static_cast<float>(height * width) / static_cast<float>(p.maxPixels));
        h = std::max(align, floorBy(static_cast<float>(height) / beta, align));
        w = std::max(align, floorBy(static_cast<float>(width) / beta, align));
    } else if (int64_t(h) * w < p.minPixels) {
        const float beta = std::sqrt(static_cast<float>(p.minPixels) / static_cast<float>(height * width));
        h = ceilBy(static_cast<float>(height) * beta, align);
        w = ceilBy(static_cast<float>(width) * beta, align);
    }
    // Extreme aspect ratios leave the budget (the max(align, ·) floor); the
    // canvas is still bounded like an input.
    if (int64_t(w) * h > kMaxImagePixels)
        return errorf("image %d×%d: target canvas %d×%d exceeds %lld pixels", width, height, w, h,
                      static_cast<long long>(kMaxImagePixels));
    p.targetWidth = w;
    p.targetHeight = h;

    // §3.1 step 4: unchanged when the size already fits, else aspect-preserving
    // resize (PAD_CEIL) pasted centred on black.
    if (w == width && h == height) {
        p.contentWidth = width;
        p.contentHeight = height;
    } else {
        p.resized = true;
        const float s = std::min(static_cast<float>(w) / static_cast<float>(width),
                                 static_cast<float>(h) / static_cast<float>(height));
        p.contentWidth = std::min(static_cast<int>(std::ceil(static_cast<float>(width) * s)), w);
        p.contentHeight = std::min(static_cast<int>(std::ceil(static_cast<float>(height) * s)), h);
        p.padX = (w - p.contentWidth) / 2;
        p.padY = (h - p.contentHeight) / 2;
    }

    // §6: one soft token per align×align cell.
    p.gridCols = w / align;
    p.gridRows = h / align;
    p.nTokens = p.gridCols * p.gridRows;
    return p;
}

Result<PreprocessedImage> preprocessImage(const RgbImage& image, const ImageBudget& budget) {
    if (image.width <= 0 || image.height <= 0 || image.rgb.empty())
        return errorf("image: empty picture (%d×%d, %zu bytes)", image.width, image.height, image.rgb.size());
    FACET_ASSIGN(ImagePlan plan, planImage(image.width, image.height, budget));
    const size_t expected = size_t(image.width) * size_t(image.height) * 3;
    if (image.rgb.size() != expected)
        return errorf("image %d×%d: %zu RGB bytes, expected %zu", image.width, image.height, image.rgb.size(),
                      expected);

    PreprocessedImage out;
    out.plan = plan;
    out.canvas.width = plan.targetWidth;
    out.canvas.height = plan.targetHeight;
    if (!plan.resized) {
        out.canvas.rgb = image.rgb;
        return out;
    }
    out.canvas.rgb.assign(size_t(plan.targetWidth) * size_t(plan.targetHeight) * 3, 0);  // black padding
    resizeBilinear(image, plan.contentWidth, plan.contentHeight, out.canvas.rgb.data(), plan.targetWidth, plan.padX,
                   plan.padY);
    return out;
}

std::vector<float> encoderInput(const PreprocessedImage& image) {
    const RgbImage& c = image.canvas;
    const size_t plane = size_t(c.width) * size_t(c.height);
    if (c.rgb.size() != plane * 3) return {};
    std::vector<float> out(plane * 3);
    for (size_t i = 0; i < plane; ++i)
        for (size_t ch = 0; ch < 3; ++ch) {
            const float v = static_cast<float>(c.rgb[i * 3 + ch]) / 255.0f;
            out[ch * plane + i] = 2.0f * v - 1.0f;
        }
    return out;
}

}  // namespace facet
