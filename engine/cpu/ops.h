// CPU twins of the shader op families (house style rule 8): plain float32
// code with double accumulation, written to be obviously right. They are the
// oracle the Vulkan shaders are tested against.
#pragma once

#include <cstdint>
#include <vector>

#include "model/tensor_view.h"

namespace facet::cpu {

// out[i] = x[i] / sqrt(mean(x²) + eps) * (w ? w[i] : 1)   (spec §2.1: weight applied directly)
void rmsNorm(const float* x, const float* w, float* out, int n, float eps);

// gelu_pytorch_tanh (spec §2.4).
float geluTanh(float z);

// NeoX rotation of pairs (j, j + d/2) by φ = pos·θ_j, θ from `thetas` (d/2 entries).
void rope(float* x, int d, int pos, const double* thetas);

// In-place numerically stable softmax over n values.
void softmax(float* x, int n);

// y[t][r] = Σ_c W[r][c]·x[t][c] for `nTok` inputs of width W.ne[0] (row-major,
// stride `xStride`), output stride `yStride`. Rows `rowBegin..rowEnd` of a
// tensor (row = flattened index over ne[1..3]); each weight row is dequantized
// once per call and reused for every token. Parallel over rows when large.
void matmul(const TensorView& W, int64_t rowBegin, int64_t rowEnd, const float* x, int nTok, int64_t xStride,
            float* y, int64_t yStride);

// Whole 1-D tensor (norm weights, scales) as float32.
std::vector<float> readVector(const TensorView& t);

}  // namespace facet::cpu
