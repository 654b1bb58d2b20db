// Host side of shaders/quantize_act.comp and shaders/mat_vec_dot.comp, the
// decode GEMV by 8-bit integer dot products (house style rule 7: mat_vec_dot.comp
// <-> dispatchMatVecDot <-> MatVecDotPush; CPU twin facet::cpu::matmul up to
// the activations' 8-bit rounding):
//   quantized[t] = 8-bit blocks of x[t]                          (dispatchQuantizeActivations)
//   y[t][r - rowBegin] = Σ_c W[r][c] · x[t][c]   r in [rowBegin, rowEnd), t < nTok  (dispatchMatVecDot)
// The quantization runs once per distinct input vector; every product over
// that input (q, k and v; gate and up) reads the same scratch. W stays in its
// GGUF encoding (Q4_0 or Q8_0).
//
// Scratch layout for nTok vectors of `cols` values (quantizedActivationBytes):
//   bytes [0, nTok·cols)            int8 quants, vector t's at byte t·cols
//                                    (16-byte aligned per block of 32)
//   then nTok·cols/32 entries of 8 bytes: block b of vector t at entry
//   t·cols/32 + b = (float bits of the scale d, int32 Σq of the block).
// x[t][32b + i] ≈ d · q[i], q = round(127·x/max|x| of the block), exact
// integer rounding on every device (see quantize_act.comp).
#pragma once

#include <bit>
#include <cstdint>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk {

class Cmd;

// Values per block of the quantized activations (and of Q4_0/Q8_0 weights).
inline constexpr uint32_t kActBlock = 32;
// The activations' scale is max|x| times this, rounded once (quantize_act.comp
// writes the same bits as a constant).
inline constexpr float kActInv127 = 1.0f / 127.0f;
static_assert(std::bit_cast<uint32_t>(kActInv127) == 0x3C010204u, "quantize_act.comp's 1/127");

// The push block of quantize_act.comp. x in floats, q in 16-byte words, the
// scale entries in 8-byte entries, each relative to its binding.
struct QuantizeActPush {
    uint32_t blocks;
    uint32_t xOffset;
    uint32_t xStride;
    uint32_t qOffset;
    uint32_t qStride;
    uint32_t dOffset;
    uint32_t dStride;
};
static_assert(sizeof(QuantizeActPush) == 28, "QuantizeActPush must match the push block of shaders/quantize_act.comp");

// The push block of mat_vec_dot.comp. W in bytes; q, scale entries and y as above.
struct MatVecDotPush {
    uint32_t rows;
    uint32_t blocks;
    uint32_t rowBytes;
    uint32_t wByteOffset;
    uint32_t qOffset;
    uint32_t qStride;
    uint32_t dOffset;
    uint32_t dStride;
    uint32_t yOffset;
    uint32_t yStride;
};
static_assert(sizeof(MatVecDotPush) == 40, "MatVecDotPush must match the push block of shaders/mat_vec_dot.comp");

// Bytes of the scratch for nTok vectors of cols values (cols a multiple of 32).
inline uint64_t quantizedActivationBytes(uint32_t cols, uint32_t nTok) {
    return uint64_t(nTok) * cols + uint64_t(nTok) * (cols / kActBlock) * 8;
}

// Whether mat_vec_dot multiplies `type` rows of `cols` on this device:
// Q4_0 or Q8_0, whole blocks, and integer dot products available.
bool matVecDotSupports(const DeviceCaps& caps, GgmlType type, uint32_t cols);

// Records quantize_act: nTok vectors of cols floats (vector t at float
// t · xStride of x; 0 = cols) into `quantized` (at least
// quantizedActivationBytes(cols, nTok), starting on a 16-byte boundary).
Status dispatchQuantizeActivations(Cmd& cmd, const BufferSlice& x, uint32_t cols, uint32_t nTok, uint32_t xStride,
                                   const BufferSlice& quantized);

// The product's work split: invocations per workgroup (a power of two) and
// rows per workgroup (1..4). Zeros: the device's defaults.
struct MatVecDotShape {
    uint32_t wgSize = 0, rows = 0;
};

struct MatVecDotArgs {
    // As MatVecArgs: row r starts at byte weight.offset + r · rowBytes(type, cols).
    BufferSlice weight;
    GgmlType type = GgmlType::Q4_0;
    uint32_t cols = 0;  // a multiple of 32
    uint32_t rowBegin = 0;
    uint32_t rowEnd = 0;
    // The float input x[t] at float t · xStride. Given: the product first
    // quantizes it into `quantized` (then a compute barrier). Empty:
    // `quantized` already holds it (one dispatchQuantizeActivations shared
    // by every product over the same input).
    BufferSlice x;
    BufferSlice y;          // y[t][i] at float t · yStride + i, i = r - rowBegin
    uint32_t xStride = 0;   // 0 = cols
    uint32_t yStride = 0;   // 0 = rowEnd - rowBegin
    uint32_t nTok = 1;      // 1..8
    BufferSlice quantized;  // the scratch of x (layout above)
    MatVecDotShape shape;
};

// Records the product (no barriers). Refuses devices without integer dot
// products, other weight types and mismatched sizes, recording nothing.
Status dispatchMatVecDot(Cmd& cmd, const MatVecDotArgs& args);

}  // namespace facet::vk
