// Embedding gather (CPU twin: facet::dequantizeTensorRow times scale):
//   out[t][c] = dequant(W[ids[t]])[c] * scale     t < n
// W is raw GGUF blocks of one type (TYPE_* define, dequant.glsl); the ids are
// read on the GPU, so the host cannot pick the binding per row. A table
// larger than one binding (maxStorageBufferRange; Gemma's 262144-row
// embeddings) is bound as up to 4 row windows W0..W3, chosen here per row;
// bigger tables take several dispatches, each covering the ids that fall in
// its windows (rows outside them are left for the other dispatches).
// Values are bit-exact with the CPU: dequant.glsl is, and the scale is one
// float multiply.
//
// One workgroup per token; invocations stride over the row in groups of 8.
// Spec constant 0 WG_SIZE. Host: engine/vulkan/ops/get_rows_op.cpp.
#version 450
#extension GL_GOOGLE_include_directive : require

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer IdBuf { uint ids[]; };
layout(std430, set = 0, binding = 1) readonly buffer W0Buf { uint w0[]; };
layout(std430, set = 0, binding = 2) readonly buffer W1Buf { uint w1[]; };
layout(std430, set = 0, binding = 3) readonly buffer W2Buf { uint w2[]; };
layout(std430, set = 0, binding = 4) readonly buffer W3Buf { uint w3[]; };
layout(std430, set = 0, binding = 5) writeonly buffer OBuf { float o[]; };

// Must match GetRowsPush (static_assert there). Window k holds rows
// [winFirst[k], winFirst[k+1]) (the last one up to winEnd); unused windows
// have winFirst = winEnd. winByte[k]: byte of row winFirst[k] in binding k.
layout(push_constant) uniform Push {
    uint n;          // tokens
    uint cols;
    uint idsOffset;  // in uints
    uint oOffset;    // in floats
    uint oStride;    // in floats
    uint rowBytes;
    uint rowsTotal;  // rows of the table: larger ids are invalid
    uint poison;     // 1: write NaN rows for invalid ids (one dispatch of the set does)
    uint winFirst[4];
    uint winEnd;
    uint winByte[4];
    float scale;
    uint tileRows;   // 0, or rows row-interleaved in tiles (engine/vulkan/row_interleave.h)
} p;

uint g_win = 0;   // the window of the row being read (uniform per workgroup)
uint g_tile = 0;  // row-interleaved: texel of the row's first 16 bytes in its window
// Word i of the binding, or with tileRows word i of the row (whose bytes
// lie 16 at a time, tileRows texels apart).
uint dqWord(uint i) {
    if (p.tileRows != 0u) i = (g_tile + (i >> 2) * p.tileRows) * 4u + (i & 3u);
    switch (g_win) {
        case 0u: return w0[i];
        case 1u: return w1[i];
        case 2u: return w2[i];
        default: return w3[i];
    }
}
#include "dequant.glsl"

void main() {
    const uint t = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (t >= p.n) return;
    const uint tid = gl_LocalInvocationID.x;
    const uint id = ids[p.idsOffset + t];
    const uint ob = p.oOffset + t * p.oStride;
    if (id >= p.rowsTotal) {
        // A bad id must not pass for a real embedding (as dequantizeRow poisons).
        if (p.poison != 0u)
            for (uint c = tid; c < p.cols; c += WG_SIZE) o[ob + c] = uintBitsToFloat(0x7FC00000u);
        return;
    }
    if (id < p.winFirst[0] || id >= p.winEnd) return;  // another dispatch's window
    g_win = id >= p.winFirst[3] ? 3u : id >= p.winFirst[2] ? 2u : id >= p.winFirst[1] ? 1u : 0u;
    const uint rel = id - p.winFirst[g_win];
    uint rowByte = p.winByte[g_win] + rel * p.rowBytes;
    if (p.tileRows != 0u) {  // dequant.glsl then addresses bytes of the row itself
        g_tile = p.winByte[g_win] / 16u + (rel / p.tileRows) * p.tileRows * (p.rowBytes / 16u) + rel % p.tileRows;
        rowByte = 0u;
    }

    const uint units = p.cols / 8u;
    for (uint u = tid; u < units; u += WG_SIZE) {
        const uint blk = u / GROUPS;
        vec4 lo, hi;
        uint e0, e1;
        dequantGroup(rowByte + blk * BLOCK_BYTES, u % GROUPS, lo, hi, e0, e1);
        const uint c0 = ob + blk * BLOCK_ELEMS + e0, c1 = ob + blk * BLOCK_ELEMS + e1;
        precise vec4 a = lo * p.scale;
        precise vec4 b = hi * p.scale;
        o[c0] = a.x;
        o[c0 + 1u] = a.y;
        o[c0 + 2u] = a.z;
        o[c0 + 3u] = a.w;
        o[c1] = b.x;
        o[c1 + 1u] = b.y;
        o[c1 + 2u] = b.z;
        o[c1 + 3u] = b.w;
    }
#ifdef HAS_TAIL
    for (uint c = units * 8u + tid; c < p.cols; c += WG_SIZE) {
        precise float v = dequantOne(rowByte, c) * p.scale;
        o[ob + c] = v;
    }
#endif
}
