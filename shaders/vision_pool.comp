// The vision tower's k×k average pooling with its ×√E and standardization
// (spec gemma4-vision.md §5; CPU twin: poolRows in tests/tst_vk_vision_ops.cpp,
// the same steps as vision_forward.cpp's pooling loop):
//   out[t][e] = (Σ_{dy, dx < k} x[(oy·k + dy)·gridCols + ox·k + dx][e]) · scale,  t = oy·outCols + ox
//   STANDARDIZE: out[t][e] = (out[t][e] − bias[e]) · stdScale[e]
// scale = √E / k² folds the mean and the ×√E into one multiply. x is the
// patch grid row-major ([gridRows][gridCols][E]); the sum runs dy outer, dx
// inner, in float32. x over the row, y over pooled tokens.
//
// Spec constants: 0 WG_SIZE, 1 STANDARDIZE. Host side: engine/vulkan/ops/vision_pool_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 256;
layout(constant_id = 1) const bool STANDARDIZE = false;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 1) readonly buffer BBuf { float bias[]; };
layout(std430, set = 0, binding = 2) readonly buffer SBuf { float stdScale[]; };
layout(std430, set = 0, binding = 3) writeonly buffer OBuf { float o[]; };

// Must match VisionPoolPush (static_assert there). Offsets in floats.
layout(push_constant) uniform Push {
    uint nOut;      // pooled tokens
    uint width;     // E
    uint gridCols;  // patches per row
    uint outCols;   // pooled tokens per row (gridCols / k)
    uint k;
    uint xOffset;
    uint oOffset;
    uint bOffset;
    uint sOffset;
    float scale;
} p;

void main() {
    const uint e = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (e >= p.width || t >= p.nOut) return;
    const uint oy = t / p.outCols, ox = t - oy * p.outCols;
    float s = 0.0;
    for (uint dy = 0; dy < p.k; ++dy) {
        const uint row = (oy * p.k + dy) * p.gridCols + ox * p.k;
        for (uint dx = 0; dx < p.k; ++dx) s += x[p.xOffset + (row + dx) * p.width + e];
    }
    float v = s * p.scale;
    if (STANDARDIZE) v = (v - bias[p.bOffset + e]) * stdScale[p.sOffset + e];
    o[p.oOffset + t * p.width + e] = v;
}
