// Bit-exact dequantization of GGML blocks to float32, following the published
// block layouts (ggml-common.h). The CPU reference forward reads weights only
// through these functions, so they are the oracle for the GPU shaders too.
#pragma once

#include <cstdint>

#include "model/ggml_type.h"
#include "model/tensor_view.h"

namespace facet {

// Dequantize `n` consecutive elements starting at `src` (the start of a block).
// `n` must be a multiple of the type's block size; `type` must be supported.
void dequantizeRow(GgmlType type, const void* src, float* dst, int64_t n);

// Row `r` of a 2-D (or flattened higher-D) tensor into `dst` (ne[0] floats).
void dequantizeTensorRow(const TensorView& t, int64_t r, float* dst);

// Dot product of row `r` of `t` with `x` (ne[0] floats), accumulated in double.
double dotRow(const TensorView& t, int64_t r, const float* x, float* scratch);

}  // namespace facet
