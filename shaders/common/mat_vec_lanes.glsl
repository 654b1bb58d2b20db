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
// rows per invocation), 2 NTOK (vectors, 1..8), 3 GLU (0, 1, 2). An
// invocation reads ROWS = OUT_ROWS (GLU 1: 2 OUT_ROWS) weight rows, row r of
// them at lanesRowByte(first, r). The includer accumulates into a local
// float acc[NTOK * ROWS] (acc[t * ROWS + r]; a module-scope array measured
// ~30% slower on llvmpipe, and glslang 12 miscompiles it as a parameter)
// and ends with LANES_STORE(first, acc). Host:
// engine/vulkan/ops/mat_vec_op.cpp (dispatchLanes).
#ifndef FACET_MAT_VEC_LANES_GLSL
#define FACET_MAT_VEC_LANES_GLSL

#include "gelu.glsl"

layout(constant_id = 0) const uint WG_SIZE = 32;
layout(constant_id = 1) const uint OUT_ROWS = 2;
layout(constant_id = 2) const uint NTOK = 1;
layout(constant_id = 3) const uint GLU = 0;
layout(local_size_x_id = 0) in;
const uint ROWS = OUT_ROWS * (GLU == 1u ? 2u : 1u);  // weight rows per invocation

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
} p;

// This invocation's first output row (rows past the end are read as the
// last row and their results dropped).
uint lanesFirstRow() {
    const uint wg = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    return (wg * WG_SIZE + gl_LocalInvocationID.x) * OUT_ROWS;
}

// Byte offset in the weight view of weight row r (< ROWS) of the invocation
// whose first output row is `first`: output row first + r, or in GLU mode
// (GLU 1) for r >= OUT_ROWS the up row of output row first + r - OUT_ROWS; clamped
// to the last row.
uint lanesRowByte(uint first, uint r) {
    const bool up = r >= OUT_ROWS;
    const uint row = min(first + (up ? r - OUT_ROWS : r), p.rows - 1u);
    return p.wByteOffset + row * p.rowBytes + (up ? p.pairBytes : 0u);
}

// y[t][row] (+)= v
void lanesStore(uint row, uint t, float v) {
    const uint o = p.yOffset + t * p.yStride + row;
    y[o] = p.accumulate != 0u ? y[o] + v : v;
}

// Stores the invocation's outputs from acc[NTOK * ROWS]; a macro, as acc
// cannot be a parameter (see above).
#define LANES_STORE(first, acc)                                                                   \
    for (uint r_ = 0; r_ < OUT_ROWS; ++r_) {                                                      \
        if ((first) + r_ >= p.rows) continue;                                                     \
        for (uint t_ = 0; t_ < NTOK; ++t_) {                                                      \
            float v_ = acc[t_ * ROWS + r_];                                                       \
            if (GLU == 1u) v_ = geluTanh(v_) * acc[min(t_ * ROWS + OUT_ROWS + r_, NTOK * ROWS - 1u)]; \
            if (GLU == 2u) v_ = geluTanh(v_) * u[p.uOffset + t_ * p.uStride + (first) + r_];     \
            lanesStore((first) + r_, t_, v_);                                                     \
        }                                                                                         \
    }

#endif  // FACET_MAT_VEC_LANES_GLSL
