// Linear layers of the forward pass over a weight stored as pieces: the
// decode GEMV (mat_vec) for up to 8 tokens, the tiled GEMM (mat_mat) for more,
// looping over the tensor's pieces, each piece's rows at their place in y.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/ops/mat_vec_tail.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_weights.h"

namespace facet::vk {

class Cmd;

struct LinearArgs {
    const DeviceTensor* weight = nullptr;
    uint32_t cols = 0;
    int64_t rowBegin = 0, rowEnd = -1;  // rows of the tensor; -1 = all
    BufferSlice x, y;                   // x[t] at float t * xStride, y[t][r - rowBegin] at t * yStride
    uint32_t nTok = 1;
    uint32_t xStride = 0, yStride = 0;  // 0 = cols / rows
    bool accumulate = false;
    // y[t][i] = gelu_tanh(W[rowBegin + i] · x[t]) · u[t][i], u[t][i] at float
    // t * upStride + i of upValues (the PLE gate; mat_vec's up values). Only
    // where linearTakesUpValues; empty: the plain product.
    BufferSlice upValues;
    uint32_t upStride = 0;
    // The block's closing norm in the product's own dispatch (mat_vec_tail.h):
    // only where linearCanTail says so; empty: none.
    MatVecTail tail;
};

// Records the products (no barrier after; barriers between dispatches that
// write the same y binding).
Status recordLinear(Cmd& cmd, const LinearArgs& args);
// The plain product y[t] = W · x[t] over all of W's rows for `nTok` tokens.
Status recordProduct(Cmd& cmd, const DeviceTensor& w, uint32_t cols, const BufferSlice& x, const BufferSlice& y,
                     uint32_t nTok);

// Whether recordLinear takes `args` with its tail: a decode GEMV over all of
// one piece's rows for at most kMatVecMaxTokens tokens, in one dispatch
// (matVecCanTail). Where not, the caller records the norm after the product.
bool linearCanTail(Cmd& cmd, const LinearArgs& args);

// Whether recordLinear takes LinearArgs::upValues for `nTok` tokens: the
// GEMV does (decode; every prompt on CPU devices), the prefill GEMM does not
// (the caller then records the product and a geglu dispatch).
bool linearTakesUpValues(Cmd& cmd, uint32_t nTok);

// A GeGLU's two products as one: y[t][r] = gelu_tanh(gate[r]·x[t]) · (up[r]·x[t])
// over all rows of `gate` and `up` (same type and shape), by mat_vec in GLU
// mode. False where that does not apply (prefill through the GEMM, a tensor
// in several pieces, the two not in one binding: matVecCanPair); the caller
// then records the two products and a geglu dispatch.
bool canRecordGluLinear(Cmd& cmd, const DeviceTensor& gate, const DeviceTensor& up, uint32_t cols, uint32_t nTok);
Status recordGluLinear(Cmd& cmd, const DeviceTensor& gate, const DeviceTensor& up, uint32_t cols, const BufferSlice& x,
                       const BufferSlice& y, uint32_t nTok);

}  // namespace facet::vk
