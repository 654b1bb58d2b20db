// The interface and work split shared by the CPU-device GEMV shaders
// (mat_vec_lanes.comp and its per-type decoders mat_vec_lanes_q4_0.comp,
// _q4_k.comp, _q6_k.comp): the same product, push block and bindings as
// mat_vec.comp, an invocation per ROWS whole rows (no reduction).
//
//   y[t][r] (+)= Σ_c W[rowBegin + r][c] · x[t][c]    t < NTOK, r < rows
//
// Spec constants: 0 WG_SIZE (invocations per workgroup), 1 ROWS (rows per
// invocation), 2 NTOK (vectors, 1..8). The includer accumulates into a
// local float acc[NTOK * ROWS] (acc[t * ROWS + r]; a module-scope array
// measured ~30% slower on llvmpipe, and glslang 12 miscompiles it as a
// parameter) and ends with lanesStore() of each row in range. Host:
// engine/vulkan/ops/mat_vec_op.cpp (dispatchLanes).
#ifndef FACET_MAT_VEC_LANES_GLSL
#define FACET_MAT_VEC_LANES_GLSL

layout(constant_id = 0) const uint WG_SIZE = 32;
layout(constant_id = 1) const uint ROWS = 2;
layout(constant_id = 2) const uint NTOK = 1;
layout(local_size_x_id = 0) in;

// Weights as R32_UINT (word i of the weight range) or R32G32B32A32_UINT
// (bytes 16i..16i+15) texels, as the includer's pipeline declares; x as
// R32G32B32A32_SFLOAT texels (x[4i..4i+3]).
layout(set = 0, binding = 0) uniform usamplerBuffer wTex;
layout(set = 0, binding = 1) uniform samplerBuffer xTex;
layout(std430, set = 0, binding = 2) buffer YBuf { float y[]; };

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
} p;

// This invocation's first row (rows past the end are read as the last row
// and their results dropped).
uint lanesFirstRow() {
    const uint wg = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    return (wg * WG_SIZE + gl_LocalInvocationID.x) * ROWS;
}

// Byte offset in the weight view of row `first + r`, clamped to the last row.
uint lanesRowByte(uint first, uint r) { return p.wByteOffset + min(first + r, p.rows - 1u) * p.rowBytes; }

// y[t][row] (+)= v
void lanesStore(uint row, uint t, float v) {
    const uint o = p.yOffset + t * p.yStride + row;
    y[o] = p.accumulate != 0u ? y[o] + v : v;
}

#endif  // FACET_MAT_VEC_LANES_GLSL
