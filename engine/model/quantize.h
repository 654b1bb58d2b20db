// Reference quantizers: float32 -> GGML blocks for the 11 supported types.
// Simple round-to-nearest with per-block (and per-sub-block) min/max scales;
// they exist so test models and tests can write valid quantized weights, not
// to match llama.cpp's error-minimising quantizers.
#pragma once

#include <cstdint>
#include <vector>

#include "model/ggml_type.h"

namespace facet {

// Quantize `n` floats into rowBytes(t, n) bytes at `dst`. `n` must be a
// multiple of the type's block size and `t` supported; otherwise nothing is
// written (callers validate first, as for dequantizeRow).
void quantizeRow(GgmlType t, const float* src, void* dst, int64_t n);

// Convenience: the quantized bytes as a vector (empty if `t`/`n` are invalid).
std::vector<uint8_t> quantizeToBytes(GgmlType t, const float* src, int64_t n);

}  // namespace facet
