// Decode GEMV by 8-bit integer dot products (llama.cpp's MMVQ idea; design:
// shared/design/vulkan-gpu-speed.md §5.1a). CPU twin: facet::cpu::matmul, up
// to the activations' 8-bit rounding (quantize_act.comp):
//   y[t][r] = Σ_b dw[r][b] · dx[t][b] · Σ_i qw[r][32b+i] · qx[t][32b+i]
// Q4_0 stores qw + 8 as nibbles: Σ (n - 8) qx = Σ n qx - 8 s, s = Σ qx from
// quantize_act. A block's integer sum is exact in int32 (|·| <= 32·127·127);
// its scale is applied once per block in float, so the inner loop is four
// (Q8_0: eight) packed dot products per 32 weights and no int->float
// conversion per weight (the issue-slot budget of §5.1).
//
// OpSDot / OpSUDot (SPV_KHR_integer_dot_product, 4x8-bit packed operands)
// through GL_EXT_spirv_intrinsics: glslang 12 has no
// GL_EXT_integer_dot_product. The host uses this module only where
// DeviceCaps::integerDotProduct (the feature is then enabled).
//
// Weights are raw GGUF blocks (TYPE_Q4_0: f16 d + 16 bytes of nibbles, low
// nibbles elements 0..15, high 16..31; TYPE_Q8_0: f16 d + 32 int8). Blocks
// start at even bytes only, so a block's words are read as 32-bit words and
// realigned by 16 bits where needed (as common/dequant.glsl); the 18-byte
// (34-byte) block always lies within 5 (9) words. Activations are read as
// 16-byte words: two per block and token.
//
// A workgroup takes ROWS rows; its invocations stride over the row's blocks
// (two per step for 1-2 vectors), each block's activations loaded once for all ROWS
// rows; then one reduction for all ROWS·NTOK sums (no split-K: decode rows
// are many).
// Spec constants: 0 WG_SIZE (a power of two), 1 ROWS (1..4), 2 NTOK (1..8),
// 3 RED_SIZE (shared floats: ROWS·NTOK per subgroup, or per invocation for
// the shared-memory tree). Define USE_SUBGROUPS for subgroupAdd.
// Host side: engine/vulkan/ops/mat_vec_dot_op.cpp.
#version 450
#extension GL_EXT_spirv_intrinsics : require
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// Capabilities DotProductKHR (6019) and DotProductInput4x8BitPackedKHR
// (6018); the last operand is PackedVectorFormat4x8Bit (0).
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6019, 6018], id = 4450)
int sdot4x8(uint a, uint b, spirv_literal int fmt);  // OpSDot: both signed
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6019, 6018], id = 4452)
int sudot4x8(uint a, uint b, spirv_literal int fmt);  // OpSUDot: a signed, b unsigned

#define MAX_ROWS 4
#define MAX_TOK 8

layout(constant_id = 0) const uint WG_SIZE = 128;
layout(constant_id = 1) const uint ROWS = 2;
layout(constant_id = 2) const uint NTOK = 1;
layout(constant_id = 3) const uint RED_SIZE = 256;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer WBuf { uint w[]; };
layout(std430, set = 0, binding = 1) readonly buffer QBuf { uvec4 xq[]; };
layout(std430, set = 0, binding = 2) readonly buffer DBuf { uvec2 xd[]; };
layout(std430, set = 0, binding = 3) writeonly buffer YBuf { float y[]; };

// Must match MatVecDotPush (static_assert there). W in bytes; xq in uvec4s,
// xd in uvec2s, y in floats, each relative to its binding.
layout(push_constant) uniform Push {
    uint rows;  // rows of this dispatch; y index = row
    uint blocks;
    uint rowBytes;
    uint wByteOffset;
    uint qOffset;
    uint qStride;
    uint dOffset;
    uint dStride;
    uint yOffset;
    uint yStride;
} p;

shared float red[RED_SIZE];

// Quant word k (bytes 2 + 4k .. 5 + 4k) of the block whose first word is wi:
// whole word wi + 1 + k where the block starts at 2 mod 4 (`odd`: d is the
// high half of word wi), else the halves of words wi + k and wi + k + 1.
uint quantWord(const uint wi, const bool odd, const uint k) {
    return odd ? w[wi + k + 1u] : ((w[wi + k] >> 16) | (w[wi + k + 1u] << 16));
}

// The partial sums of this invocation (private: registers once unrolled).
float acc[MAX_ROWS * MAX_TOK];

// Block b of rows row0 .. row0 + ROWS - 1 into acc.
void addBlock(const uint b, const uint row0) {
    uvec4 xa[MAX_TOK], xb[MAX_TOK];
    uvec2 xs[MAX_TOK];
    for (uint t = 0; t < NTOK; ++t) {
        const uint q0 = p.qOffset + t * p.qStride + 2u * b;
        xa[t] = xq[q0];
        xb[t] = xq[q0 + 1u];
        xs[t] = xd[p.dOffset + t * p.dStride + b];
    }
    for (uint r = 0; r < ROWS; ++r) {
        const uint row = min(row0 + r, p.rows - 1u);  // a short last group repeats a row, never written
#ifdef TYPE_Q4_0
        const uint bb = p.wByteOffset + row * p.rowBytes + 18u * b;
#else
        const uint bb = p.wByteOffset + row * p.rowBytes + 34u * b;
#endif
        const uint wi = bb >> 2;
        const bool odd = (bb & 2u) != 0u;  // d in the high half of word wi, quants from word wi + 1
        const float dw = unpackHalf2x16(odd ? w[wi] >> 16 : w[wi]).x;
#ifdef TYPE_Q4_0
        const uint n0 = quantWord(wi, odd, 0u), n1 = quantWord(wi, odd, 1u);
        const uint n2 = quantWord(wi, odd, 2u), n3 = quantWord(wi, odd, 3u);
        // Low nibbles of quant word k are elements 4k..4k+3, high ones 16+4k..: x words k and 4+k.
        const uvec4 lo = uvec4(n0, n1, n2, n3) & 0x0F0F0F0Fu;
        const uvec4 hi = (uvec4(n0, n1, n2, n3) >> 4) & 0x0F0F0F0Fu;
        for (uint t = 0; t < NTOK; ++t) {
            int s = sudot4x8(xa[t].x, lo.x, 0) + sudot4x8(xa[t].y, lo.y, 0) + sudot4x8(xa[t].z, lo.z, 0) +
                    sudot4x8(xa[t].w, lo.w, 0) + sudot4x8(xb[t].x, hi.x, 0) + sudot4x8(xb[t].y, hi.y, 0) +
                    sudot4x8(xb[t].z, hi.z, 0) + sudot4x8(xb[t].w, hi.w, 0);
            s -= 8 * int(xs[t].y);
            // One rounding for the scales, one for the product: the CPU check's order.
            precise const float term = float(s) * (dw * uintBitsToFloat(xs[t].x));
            acc[r * NTOK + t] += term;
        }
#else
        const uvec4 qa = uvec4(quantWord(wi, odd, 0u), quantWord(wi, odd, 1u), quantWord(wi, odd, 2u),
                               quantWord(wi, odd, 3u));
        const uvec4 qb = uvec4(quantWord(wi, odd, 4u), quantWord(wi, odd, 5u), quantWord(wi, odd, 6u),
                               quantWord(wi, odd, 7u));
        for (uint t = 0; t < NTOK; ++t) {
            const int s = sdot4x8(xa[t].x, qa.x, 0) + sdot4x8(xa[t].y, qa.y, 0) + sdot4x8(xa[t].z, qa.z, 0) +
                          sdot4x8(xa[t].w, qa.w, 0) + sdot4x8(xb[t].x, qb.x, 0) + sdot4x8(xb[t].y, qb.y, 0) +
                          sdot4x8(xb[t].z, qb.z, 0) + sdot4x8(xb[t].w, qb.w, 0);
            precise const float term = float(s) * (dw * uintBitsToFloat(xs[t].x));
            acc[r * NTOK + t] += term;
        }
#endif
    }
}

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS;
    if (row0 >= p.rows) return;  // the whole workgroup leaves: no barrier is split

    for (uint i = 0; i < ROWS * NTOK; ++i) acc[i] = 0.0;
    // 16-byte loads in flight per invocation: 2·NTOK per block. For one or
    // two vectors, two blocks per step (their loads independent, issued
    // together) make it 4..8; more vectors have enough, and the registers of
    // a second block's activations would cost occupancy.
    uint b = tid;
    if (NTOK <= 2u)
        for (; b + WG_SIZE < p.blocks; b += 2u * WG_SIZE) {
            addBlock(b, row0);
            addBlock(b + WG_SIZE, row0);
        }
    for (; b < p.blocks; b += WG_SIZE) addBlock(b, row0);

    // All ROWS·NTOK sums in one pass: a barrier or a few in total, not per sum.
    const uint K = ROWS * NTOK;
#ifdef USE_SUBGROUPS
    for (uint i = 0; i < K; ++i) {
        const float s = subgroupAdd(acc[i]);
        if (subgroupElect()) red[gl_SubgroupID * K + i] = s;
    }
    barrier();
#else
    for (uint i = 0; i < K; ++i) red[i * WG_SIZE + tid] = acc[i];
    barrier();
    for (uint h = WG_SIZE / 2u; h > 0u; h >>= 1) {
        if (tid < h)
            for (uint i = 0; i < K; ++i) red[i * WG_SIZE + tid] += red[i * WG_SIZE + tid + h];
        barrier();
    }
#endif
    // Sum i = r·NTOK + t by invocation i % WG_SIZE (K may exceed WG_SIZE).
    for (uint i = tid; i < K; i += WG_SIZE) {
#ifdef USE_SUBGROUPS
        float total = 0.0;
        for (uint g = 0; g < gl_NumSubgroups; ++g) total += red[g * K + i];
#else
        const float total = red[i * WG_SIZE];
#endif
        const uint r = i / NTOK, t = i % NTOK;
        if (row0 + r < p.rows) y[p.yOffset + t * p.yStride + row0 + r] = total;
    }
}
