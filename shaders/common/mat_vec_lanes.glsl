// The interface and work split shared by the CPU-device GEMV shaders
// (mat_vec_lanes.comp and its per-type decoders mat_vec_lanes_q4_0.comp,
// _q4_k.comp, _q6_k.comp): the same product, push block and bindings as
// mat_vec.comp, an invocation per ROWS whole rows (no reduction).
//
//   y[t][r] (+)= Σ_c W[rowBegin + r][c] · x[t][c]    t < NTOK, r < rows
// or, in GLU mode, the gate and up products of a GeGLU in one pass:
//   GLU 1: y[t][r] = gelu_tanh(W[r] · x[t]) · (W[r + pair] · x[t])
// where the up row lies pairBytes after its gate row in the same binding, or
//   GLU 2: y[t][r] = gelu_tanh(W[r] · x[t]) · u[uOffset + t · uStride + r]
// with u in binding 3 (bound always).
//
// Spec constants: 0 WG_SIZE (invocations per workgroup), 1 OUT_ROWS (output
// rows per invocation), 2 NTOK (vectors, 1..8), 3 GLU (0, 1, 2), 4 LANES
// (the SIMD width; divides WG_SIZE), 5 TILE_ROWS (0: rows stored one after
// another; else row-interleaved tiles, engine/vulkan/row_interleave.h; the
// 16-byte texel shaders only). An invocation owns OUT_ROWS output rows
// LANES apart (lanesRow), so the lanes of one SIMD batch take adjacent rows:
// in a row-interleaved tile their texels are adjacent. It reads ROWS =
// OUT_ROWS (GLU 1: 2 OUT_ROWS) weight rows, row r of them at
// lanesRowByte(r) (or texel lanesRowTexel(r), then TEXEL_STEP texels apart).
// The includer accumulates into a local float acc[NTOK * ROWS]
// (acc[t * ROWS + r]; a module-scope array measured ~30% slower on
// llvmpipe, and glslang 12 miscompiles it as a parameter) and ends with
// LANES_STORE(acc), which also runs the closing norm where spec constant
// 8 TAIL asks for it (mat_vec_tail.glsl; no invocation returns before it).
// Host: engine/vulkan/ops/mat_vec_op.cpp (dispatchLanes).
#ifndef FACET_MAT_VEC_LANES_GLSL
#define FACET_MAT_VEC_LANES_GLSL

#include "gelu.glsl"

layout(constant_id = 0) const uint WG_SIZE = 32;
layout(constant_id = 1) const uint OUT_ROWS = 2;
layout(constant_id = 2) const uint NTOK = 1;
layout(constant_id = 3) const uint GLU = 0;
layout(constant_id = 4) const uint LANES = 8;
layout(constant_id = 5) const uint TILE_ROWS = 0;
layout(local_size_x_id = 0) in;
const uint ROWS = OUT_ROWS * (GLU == 1u ? 2u : 1u);  // weight rows per invocation
const uint TEXEL_STEP = TILE_ROWS == 0u ? 1u : TILE_ROWS;  // texels from one of a row's texels to the next

// Weights as R32_UINT (word i of the weight range) or R32G32B32A32_UINT
// (bytes 16i..16i+15) texels, as the includer's pipeline declares; x as
// R32G32B32A32_SFLOAT texels (x[4i..4i+3]).
layout(set = 0, binding = 0) uniform usamplerBuffer wTex;
layout(set = 0, binding = 1) uniform samplerBuffer xTex;
layout(std430, set = 0, binding = 2) buffer YBuf { float y[]; };
layout(std430, set = 0, binding = 3) readonly buffer UBuf { float u[]; };

// Must match MatVecPush (static_assert there), as in mat_vec.comp.
layout(push_constant) uniform Push {
    uint rows;
    uint cols;
    uint rowBytes;
    uint wByteOffset;  // in the weight view (a multiple of 16 for 16-byte texels)
    uint xOffset;      // floats, a multiple of 4
    uint xStride;      // floats, a multiple of 4
    uint yOffset;
    uint yStride;
    uint accumulate;
    uint pairBytes;    // GLU 1: from a gate row to its up row (mod 2^32; a multiple of 16 for 16-byte texels)
    uint uOffset;      // GLU 2: float of u[0][first row of this dispatch]
    uint uStride;
    uint rowShift;     // TILE_ROWS: the dispatch's first row is row rowShift of the tile at wByteOffset
    uint tailCounter;  // TAIL: as in mat_vec.comp
    uint tailROffset;
    uint tailRStride;
    uint tailWOffset;
    uint tailSOffset;
    uint tailW2Offset;
    uint tailNextOffset;
    uint tailNextStride;
    float tailEps;
    uint tailFlags;
} p;

#include "mat_vec_tail.glsl"

// Output row r (< OUT_ROWS) of this invocation: the batch of LANES
// invocations owns LANES * OUT_ROWS adjacent rows, lane l rows l, l + LANES, ...
// (rows past the end are read as the last row and their results dropped).
uint lanesRow(uint r) {
    const uint wg = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    const uint i = gl_LocalInvocationID.x, lane = i % LANES;
    return (wg * WG_SIZE + i - lane) * OUT_ROWS + r * LANES + lane;
}

// Weight row r (< ROWS) of this invocation: output row lanesRow(r), or in
// GLU 1 mode for r >= OUT_ROWS the up row of output row lanesRow(r - OUT_ROWS);
// clamped to the last row. Its byte in the weight view (rows one after another):
uint lanesRowByte(uint r) {
    const bool up = r >= OUT_ROWS;
    const uint row = min(lanesRow(up ? r - OUT_ROWS : r), p.rows - 1u);
    return p.wByteOffset + row * p.rowBytes + (up ? p.pairBytes : 0u);
}

// ... or its first 16-byte texel, in either storage (rowBytes, wByteOffset
// and pairBytes are then multiples of 16); texel j of the row is
// TEXEL_STEP * j after it.
uint lanesRowTexel(uint r) {
    if (TILE_ROWS == 0u) return lanesRowByte(r) >> 4;
    const bool up = r >= OUT_ROWS;
    const uint row = p.rowShift + min(lanesRow(up ? r - OUT_ROWS : r), p.rows - 1u);
    return (p.wByteOffset + (up ? p.pairBytes : 0u)) / 16u + (row / TILE_ROWS) * TILE_ROWS * (p.rowBytes / 16u) +
           row % TILE_ROWS;
}

// Stores the invocation's outputs from acc[NTOK * ROWS]; a macro, as acc
// cannot be a parameter (see above).
#define LANES_STORE(acc)                                                                          \
    for (uint r_ = 0; r_ < OUT_ROWS; ++r_) {                                                      \
        const uint row_ = lanesRow(r_);                                                           \
        if (row_ >= p.rows) continue;                                                             \
        for (uint t_ = 0; t_ < NTOK; ++t_) {                                                      \
            float v_ = acc[t_ * ROWS + r_];                                                       \
            if (GLU == 1u) v_ = geluTanh(v_) * acc[min(t_ * ROWS + OUT_ROWS + r_, NTOK * ROWS - 1u)]; \
            if (GLU == 2u) v_ = geluTanh(v_) * u[p.uOffset + t_ * p.uStride + row_];              \
            matVecStore(row_, t_, v_);                                                            \
        }                                                                                         \
    }                                                                                             \
    if (TAIL != 0u) matVecTail();

#endif  // FACET_MAT_VEC_LANES_GLSL
