// Host side of shaders/mat_mat.comp, the prefill GEMM (house style rule 7:
// mat_mat.comp <-> dispatchMatMat <-> MatMatPush; CPU twin facet::cpu::matmul).
//   y[t][r - rowBegin] (+)= Σ_c W[r][c] · x[t][c]   for r in [rowBegin, rowEnd), t < nTok
// W stays in its GGUF encoding (any type isSupportedType() accepts); x and y
// are float32; accumulation is float32. The decode twin (<= 8 tokens) is
// dispatchMatVec; this one takes any number of tokens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;
struct DeviceCaps;

// The push block of mat_mat.comp, field for field. x/y offsets and strides
// are in floats relative to their binding; the W offset is in bytes.
struct MatMatPush {
    uint32_t rows;
    uint32_t cols;
    uint32_t rowBytes;
    uint32_t wByteOffset;
    uint32_t xOffset;
    uint32_t xStride;
    uint32_t yOffset;
    uint32_t yStride;
    uint32_t nTok;
    uint32_t accumulate;
};
// 10 scalars of 4 bytes in the GLSL block `Push`; pipeline creation also
// compares this with the size reflected from the SPIR-V.
static_assert(sizeof(MatMatPush) == 40, "MatMatPush must match the push block of shaders/mat_mat.comp");

// Tile of one workgroup (the spec constants of mat_mat.comp): BM rows x BN
// tokens of y, K steps of BK values through shared memory, TM x TN outputs
// per invocation. With directW (CPU implementations) each invocation
// dequantizes its own rows and reads x directly: no shared memory, no
// barrier, BK unused.
struct MatMatTile {
    uint32_t bm = 0, bn = 0, bk = 0, tm = 0, tn = 0;
    bool directW = false;
    bool empty() const { return bm == 0; }
    bool operator==(const MatMatTile&) const = default;
    uint32_t invocations() const { return (bm / tm) * (bn / tn); }
};

// The tile dispatchMatMat picks for `nTok` tokens (per dispatch) on a device:
// 64 x 16..64, 4 x 4 per invocation on GPUs; 64 x 8, 8 x 8, directW on CPU
// devices (see mat_mat_op.cpp for the measurements).
MatMatTile matMatTile(const DeviceCaps& caps, uint32_t nTok);

// Whether `tile` is well formed (tm | bm, tn | bn, 8 | bk) and fits `caps`
// (invocations, shared memory).
Status checkMatMatTile(const MatMatTile& tile, const DeviceCaps& caps);

// The same fields and meaning as MatVecArgs, except that nTok is any >= 1,
// plus an optional tile.
struct MatMatArgs {
    // The whole tensor: row r (flattened over ne[1..3], as TensorView::row)
    // starts at byte weight.offset + r * rowBytes(type, cols). Only rows
    // [rowBegin, rowEnd) are read.
    BufferSlice weight;
    GgmlType type = GgmlType::F32;
    uint32_t cols = 0;  // ne[0]; a multiple of the block size for quantized types, any for F32/F16/BF16
    uint32_t rowBegin = 0;
    uint32_t rowEnd = 0;
    BufferSlice x;            // nTok vectors of cols floats, vector t at float t * xStride
    BufferSlice y;            // y[t][i] at float t * yStride + i, i = r - rowBegin
    uint32_t xStride = 0;     // 0 = cols
    uint32_t yStride = 0;     // 0 = rowEnd - rowBegin
    uint32_t nTok = 1;        // >= 1
    bool accumulate = false;  // y += W x instead of y = W x
    // Empty: matMatTile(). Set by tests (the GPU tile on a CPU device) and
    // tuning; checked (tm | bm, tn | bn, 8 | bk, device limits).
    MatMatTile tile;
};

// Records the dispatches into `cmd`, which must be recording. As the other
// ops, no barrier before the first or after the last (the caller orders x's
// producer and y's consumers); successive dispatches of one call are
// separated by a barrier. Weights whose rows do not fit one binding
// (maxStorageBufferRange) are processed in row windows, prompts whose x or y
// does not fit one binding in token windows, each bound separately; one
// token's x (cols floats) and y (rows floats) must fit a binding. x and y
// start at 4-byte offsets (any float; no vec4 alignment needed), y must not
// overlap x or the weight, and the weight's last word lies inside its buffer.
Status dispatchMatMat(Cmd& cmd, const MatMatArgs& args);

// The kernel tuner's record of a product (Device::kernelChoices), as
// matVecChoiceKey: the key names type, columns x rows and tokens (in the
// default tile's buckets: <= 16, <= 32, more); the
// numbers are the tile (bm, bn, bk, tm, tn, directW). dispatchMatMat takes a
// recorded tile for products without one (and no FACET_VK_MATMAT_TILE), if
// it fits.
std::string matMatChoiceKey(const MatMatArgs& args);
std::vector<uint32_t> matMatChoiceNumbers(const MatMatTile& tile);

}  // namespace facet::vk
