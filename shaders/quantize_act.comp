// Activations to 8-bit blocks for mat_vec_dot.comp (the int8 dot-product
// GEMV; llama.cpp's quantize_q8_1 idea, our own layout). Per token t and
// block b of 32 values x[t][32b .. 32b+31]:
//   amax = max |x|,  d = amax * (1/127)  (one rounding, as the CPU twin),
//   q[i] = round(127 * x[i] / amax), ties away from zero, in -127..127,
//   s    = Σ q[i]  (Q4_0's -8 offset: Σ (w - 8) q = Σ w q - 8 s).
// q is computed exactly in integers from the float bits, not as x * (1/d):
// a GPU's float division may be off by 2.5 ulp (Vulkan precision rules), so
// a reciprocal would flip roundings near .5 and the result would depend on
// the driver. Integer division is exact everywhere, so every device gives
// the bits of the CPU twin (tests/tst_vk_mat_vec_dot.cpp).
//
// Output (two bindings of one scratch, MatVecDotArgs::quantized):
//   q:  uvec4 words, token t's block b at words qOffset + t*qStride + 2b, +1
//       (32 int8, element 4k+j in byte j of word k, little-endian);
//   ds: uvec2 per block at dOffset + t*dStride + b: (float bits of d, int s).
// An invocation per block; workgroups along x cover blocks, y is the token.
//
// Spec constants: 0 WG_SIZE. Host side: engine/vulkan/ops/mat_vec_dot_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer XBuf { float x[]; };
layout(std430, set = 0, binding = 1) writeonly buffer QBuf { uvec4 q[]; };
layout(std430, set = 0, binding = 2) writeonly buffer DBuf { uvec2 ds[]; };

// Must match QuantizeActPush (static_assert there). x in floats, q in
// uvec4s, ds in uvec2s, each relative to its binding.
layout(push_constant) uniform Push {
    uint blocks;  // per token: cols / 32
    uint xOffset;
    uint xStride;
    uint qOffset;
    uint qStride;
    uint dOffset;
    uint dStride;
} p;

// |v| as an integer mantissa and exponent: |v| = m * 2^(e - 150), m < 2^24
// (subnormals have e = 1 and no implicit bit).
void split(float v, out uint m, out uint e) {
    const uint b = floatBitsToUint(v) & 0x7FFFFFFFu;
    const uint be = b >> 23;
    m = (b & 0x7FFFFFu) | (be != 0u ? 0x800000u : 0u);
    e = max(be, 1u);
}

void main() {
    const uint blk = gl_GlobalInvocationID.x;
    const uint t = gl_WorkGroupID.y;
    if (blk >= p.blocks) return;
    const uint x0 = p.xOffset + t * p.xStride + 32u * blk;

    float v[32];
    float amax = 0.0;
    for (uint i = 0; i < 32u; ++i) {
        v[i] = x[x0 + i];
        amax = max(amax, abs(v[i]));
    }
    uint ma, ea;
    split(amax, ma, ea);

    uint words[8];
    int sum = 0;
    for (uint k = 0; k < 8u; ++k) {
        uint w = 0u;
        for (uint j = 0; j < 4u; ++j) {
            uint mx, ex;
            split(v[4u * k + j], mx, ex);
            // 127·|x|/amax = 127·mx / (ma · 2^(ea-ex)); ea >= ex as |x| <= amax.
            // From a shift of 9 on the quotient is < 127·2^24/(2^23·2^9) < 0.5
            // (amax normal: ma >= 2^23; a subnormal amax has ea = ex = 1),
            // so ma << sh never overflows where it is used.
            const uint sh = ea - ex;
            int qi = 0;
            if (ma != 0u && sh <= 8u) {
                const uint den = ma << sh;
                qi = int((127u * mx + den / 2u) / den);  // round half up of the magnitude
            }
            if (v[4u * k + j] < 0.0) qi = -qi;
            sum += qi;
            w |= (uint(qi) & 0xFFu) << (8u * j);
        }
        words[k] = w;
    }
    const uint q0 = p.qOffset + t * p.qStride + 2u * blk;
    q[q0] = uvec4(words[0], words[1], words[2], words[3]);
    q[q0 + 1u] = uvec4(words[4], words[5], words[6], words[7]);
    const float d = amax * uintBitsToFloat(0x3C010204u);  // 1.0f / 127.0f, rounded as in C++
    ds[p.dOffset + t * p.dStride + blk] = uvec2(floatBitsToUint(d), uint(sum));
}
