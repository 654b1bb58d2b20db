// Host side of shaders/mat_vec.comp, the decode GEMV (house style rule 7:
// mat_vec.comp <-> dispatchMatVec <-> MatVecPush; CPU twin facet::cpu::matmul).
//   y[t][r - rowBegin] (+)= Σ_c W[r][c] · x[t][c]   for r in [rowBegin, rowEnd), t < nTok
// or in GLU mode (a GeGLU's gate and up products in one dispatch)
//   y[t][r - rowBegin] = gelu_tanh(W[r] · x[t]) · (P[r] · x[t])
// or with the up half given as values (the PLE gate)
//   y[t][i] = gelu_tanh(W[rowBegin + i] · x[t]) · u[t][i]
// optionally followed, in the same dispatch, by a block's closing norm over
// y (MatVecArgs::tail, mat_vec_tail.h).
// W stays in its GGUF encoding (any type isSupportedType() accepts); x and y
// are float32; accumulation is float32.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vulkan/ops/mat_vec_tail.h"
#include "vulkan/row_interleave.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk {

class Cmd;
class Device;

// The push block of mat_vec.comp, field for field. x/y offsets and strides
// are in floats relative to their binding; the W offset is in bytes.
struct MatVecPush {
    uint32_t rows;
    uint32_t cols;
    uint32_t rowBytes;
    uint32_t wByteOffset;
    uint32_t xOffset;
    uint32_t xStride;
    uint32_t yOffset;
    uint32_t yStride;
    uint32_t accumulate;
    uint32_t pairBytes;  // GLU: bytes from a row of W to the same row of P (mod 2^32)
    uint32_t uOffset;    // up values: float of u[0][first row of the dispatch] in its binding
    uint32_t uStride;    // up values: floats between vectors
    uint32_t rowShift;   // lanes layout, row-interleaved weights: the first row's place in its tile
    MatVecTailPush tail; // the closing norm's fields (mat_vec_tail.h)
};
// 23 scalars of 4 bytes in the GLSL block `Push` (mat_vec.comp and
// common/mat_vec_lanes.glsl); pipeline creation also compares this with the
// size reflected from the SPIR-V.
static_assert(sizeof(MatVecPush) == 92, "MatVecPush must match the push block of shaders/mat_vec.comp");

// Which shader does the product:
//   Groups  mat_vec.comp: a workgroup per ROWS rows, its invocations stride
//           over the row (adjacent invocations, adjacent words), a reduction
//           at the end. Storage buffers; the layout for GPUs.
//   Lanes   mat_vec_lanes.comp: an invocation per ROWS rows, weights and x
//           through uniform texel buffers, no reduction. For CPU devices
//           (llvmpipe), where it runs ~10x faster (see the shader).
//   Blocks  mat_vec.comp built with BLOCKWISE: as Groups, but an invocation
//           takes whole blocks (a block's words loaded once, one scale per
//           block): fewer instructions per weight, fewer invocations busy on
//           short rows. Quantized types only (others take Groups); not a
//           default until a GPU measures it (facet-bench --kernels).
//   Default Lanes on CPU devices with texel buffers, Groups elsewhere.
// The values are FACET_VK_MATVEC_LAYOUT's (DeviceOptions::matVecLayout).
enum class MatVecLayout { Default, Groups, Lanes, Blocks };

// What MatVecLayout::Default means on `caps`.
MatVecLayout defaultMatVecLayout(const DeviceCaps& caps);

// How the shader splits the work. Groups: invocations per workgroup (a power
// of two), rows per workgroup, adjacent groups of 8 values per invocation
// step. Blocks: as Groups, unroll 1. Lanes: invocations per workgroup, rows
// per invocation (unroll unused).
struct MatVecShape {
    uint32_t wgSize = 0, rows = 0, unroll = 0;
    MatVecLayout layout = MatVecLayout::Default;
    bool operator==(const MatVecShape&) const = default;
};

// The most input vectors one dispatch takes (the decode batch; prefill uses a GEMM).
inline constexpr uint32_t kMatVecMaxTokens = 8;

struct MatVecArgs {
    // The whole tensor: row r (flattened over ne[1..3], as TensorView::row)
    // starts at byte weight.offset + r * rowBytes(type, cols). Only rows
    // [rowBegin, rowEnd) are read, so a slice may be any tensor of a split
    // or stacked set (MoE experts: rowBegin = expert * rowsPerExpert).
    BufferSlice weight;
    GgmlType type = GgmlType::F32;
    uint32_t cols = 0;  // ne[0]; a multiple of the block size for quantized types
    uint32_t rowBegin = 0;
    uint32_t rowEnd = 0;
    BufferSlice x;            // nTok vectors of cols floats, vector t at float t * xStride
    BufferSlice y;            // y[t][i] at float t * yStride + i, i = r - rowBegin
    uint32_t xStride = 0;     // 0 = cols
    uint32_t yStride = 0;     // 0 = rowEnd - rowBegin
    uint32_t nTok = 1;        // 1..kMatVecMaxTokens
    bool accumulate = false;  // y += W x instead of y = W x
    // GLU mode: P, the up matrix of the same type and columns as W (the
    // gate), rows [rowBegin, rowEnd) of both; see matVecCanPair. Empty: the
    // plain product.
    BufferSlice pair;
    // GLU mode with the up half as values instead of rows of P: u[t][i] at
    // float t * upStride + i of upValues (i = r - rowBegin), not overlapping
    // y; no accumulate, no pair. Empty: no such epilogue.
    BufferSlice upValues;
    uint32_t upStride = 0;    // 0 = rowEnd - rowBegin
    MatVecShape shape;        // zeros: the device's defaults (matVecShape)
    // The weight's storage (TensorPiece::tileRows): 0 rows one after another;
    // else row-interleaved in tiles of this many rows from the slice's start
    // (row_interleave.h; P likewise in GLU mode). Only the lanes layout reads
    // it, for the types and widths matVecCanInterleave accepts.
    uint32_t tileRows = 0;
    // The block's closing norm in the same dispatch (mat_vec_tail.h; see
    // matVecCanTail). Empty: none.
    MatVecTail tail;
};

// Whether the lanes layout has a 16-byte texel shader for `type` rows of
// `cols` columns (Q4_0, Q8_0, Q4_K, Q5_K and Q6_K rows of whole 256-value groups;
// Q6_K only row-interleaved, its blocks padded to 224 bytes), which also
// reads them row-interleaved: then DeviceWeights may store them so.
bool matVecCanInterleave(GgmlType type, uint64_t cols);

// The row-interleaved storage of `rows` such rows in tiles of `tileRows`
// (with Q6_K's block padding); inactive when tileRows is 0.
RowInterleave matVecTileLayout(GgmlType type, uint64_t cols, uint64_t rows, uint32_t tileRows);

// The tile rows DeviceWeights gives such matrices on this device: the
// lanes layout's SIMD width times its decode rows per invocation, so that
// one SIMD batch reads one contiguous run; 0 where the lanes layout is not
// the default (GPUs: their prefill GEMM reads rows in file order), where
// FACET_VK_MATVEC_LAYOUT names another, or FACET_VK_NO_ROW_TILES is set.
uint32_t matVecTileRows(const Device& device);

// Whether `args` in GLU mode fits one dispatch: P lies after W's rows in
// W's buffer and both row ranges fit one binding, no accumulate. Callers
// fall back to two products and a geglu dispatch otherwise.
bool matVecCanPair(const DeviceCaps& caps, const MatVecArgs& args);

// Records the dispatches (no barriers) into `cmd`, which must be recording.
// Groups: the reduction uses subgroupAdd when caps().subgroupReduce(), else
// shared memory. Lanes needs x at a 16-byte offset and, for several vectors, a
// stride of a multiple of 4 floats; other x (rare) takes Groups. Weights whose rows do not fit one binding (maxStorageBufferRange)
// are processed in row windows, each bound separately (not with a tail); x
// and y must each fit one binding.
Status dispatchMatVec(Cmd& cmd, const MatVecArgs& args);

// Rows per workgroup of mat_vec and moe_mat_vec for a product of
// `matrixRows` rows. Rows share each x load and put more independent weight
// loads in flight per invocation; more rows cost shared memory and registers
// per token, and leave fewer workgroups to fill the GPU's cores. Measured on
// an H200 (facet-bench --kernels, Q4_0, 1 token): 5376x21504 at 1/2/4/8 rows
// 508/884/1210/1173 GB/s, 1536x6144 at 2/4 rows 10.4/9.2 us; E2B decode as a
// whole lost 10% with 4 rows everywhere (its 256..2048-row products), so GPUs
// take 4 rows from 4096 rows up, else 2. A CPU device (llvmpipe) in this
// layout (texel buffers off) runs a workgroup per thread with scalarized
// loads: 8 rows per group measured 3x faster than 2 there (Q4_0 6144x1536 on
// 2 cores).
uint32_t matVecRowsPerGroup(const DeviceCaps& caps, uint64_t matrixRows);

// The shape dispatchMatVec uses for `nTok` vectors of a `matrixRows`-row
// product where args.shape is zero (each zero field is filled, the layout
// chosen); an error when a given field does not fit the device (shared memory,
// workgroup limits, not a power of two, Lanes without texel buffers). UNROLL
// stays 1 by default: 2..8 measured no faster on an H200.
// `glu`: the shape of a GLU-mode product (twice the weight rows per output row).
// `tiled`: the type of a row-interleaved weight (MatVecArgs::tileRows),
// whose lanes shaders take their own rows per invocation (lanesTiledRows).
Result<MatVecShape> matVecShape(const DeviceCaps& caps, uint32_t nTok, MatVecShape want = {},
                                uint64_t matrixRows = 0, bool glu = false, std::optional<GgmlType> tiled = {});

// The kernel tuner's record of a product (Device::kernelChoices): the key
// names what the best shape depends on (type, columns x rows, GLU mode,
// vectors, row tiles); the numbers are the shape (invocations, rows,
// unroll, layout). dispatchMatVec takes a recorded shape for products that
// set none (and no FACET_VK_MATVEC_* override is set), if it fits.
std::string matVecChoiceKey(const MatVecArgs& args);
std::vector<uint32_t> matVecChoiceNumbers(const MatVecShape& shape);

// The shape dispatchMatVec gives `args` when it sets none (before any
// override or kernel-tuner choice): matVecShape with the product's rows,
// GLU mode and row tiles.
Result<MatVecShape> matVecDefaultShape(const DeviceCaps& caps, const MatVecArgs& args);

// "q4_k": the shader-name stem of a supported type ("" for others).
const char* shaderTypeStem(GgmlType t);

}  // namespace facet::vk
