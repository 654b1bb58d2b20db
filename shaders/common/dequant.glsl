// Raw GGUF blocks read from a 32-bit word buffer, dequantized 8 values at a
// time, bit-exact with facet::dequantizeRow (engine/model/dequantize.cpp).
//
// Words, not bytes: blocks are byte-packed (Q4_0 is 18 bytes, Q6_K 210), so
// they start at any even byte; fields are cut out of words by shifts. This
// needs no 8/16-bit storage, so one module runs on every device.
//
// The includer defines exactly one TYPE_* (F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0
// Q5_1 Q4_K Q5_K Q6_K) and, before the #include, the word source:
//   uint dqWord(uint i);   // word i (byte 4i) of the bound weight range
// and gets
//   BLOCK_ELEMS, BLOCK_BYTES   block geometry (F32/F16/BF16: a virtual block of 8)
//   GROUPS                     groups of 8 values per block (BLOCK_ELEMS / 8)
//   HAS_TAIL                   defined for F32/F16/BF16: a row may end inside a
//                              virtual block; its last cols % 8 values come from
//   float dequantOne(uint rowByte, uint i)
//   void dequantGroup(uint blockByte, uint g, out vec4 lo, out vec4 hi,
//                     out uint e0, out uint e1)
//       group g of the block at byte blockByte: lo = elements e0..e0+3 and
//       hi = elements e1..e1+3 of the block. Groups follow the storage order
//       (a group's bytes are adjacent), so adjacent invocations taking adjacent
//       groups read adjacent words; the element runs follow from the layout.
//
// Quantized types also give the affine form of a group, for the GEMVs:
//   void affineGroup(uint blockByte, uint g, out vec4 qlo, out vec4 qhi,
//                    out vec4 ab, out uint e0, out uint e1)
//       the same group as dequantGroup, as small integers (exact in fp32)
//       and the block's affine map: lo = ab.x * qlo + ab.y, hi = ab.z * qhi
//       + ab.w. A dot product then needs one multiply-add per weight plus
//       two per run (affineDot, with Σx of the run shared by all rows),
//       where the dequantized form costs a subtract and a multiply more per
//       weight; a GPU GEMV is bound by those instructions, not by memory
//       (H200: Q4_0 and Q8_0 both ran at ~2e12 weights/s). DQ_AFFINE is
//       defined where affineGroup exists (not for F32/F16/BF16). Rounding
//       differs from dequantGroup's bit-exact values by fp32 summation order.
//       Each quantized type has this one decoder: dequantGroup applies the
//       map to its integers with the C++ operations (dqValues).
//       DQ_BLOCK_AFFINE: ab is one (a, b, a, b) for every group of a block
//       (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1), so a block's sums can be scaled once.
//
// Exactness: every value is formed with the operations and order of the C++
// (e.g. Q6_K is (d * sc) * q, Q4_K is d1 * q - m1) and `precise` forbids the
// compiler fusing a multiply and add into an fma, which would round once
// instead of twice and differ from the CPU in the last bit.
#ifndef FACET_DEQUANT_GLSL
#define FACET_DEQUANT_GLSL

// 32 bits at any byte offset. The second word is read only when the value
// straddles two words: for an aligned value it may lie past the binding.
#if defined(DQ_READ_PAST)
// The includer's binding holds a word past every value, so the second word
// is read unclamped, as word (b + 4) / 4: adjacent groups' reads of one word
// are then the same expression and the compiler loads it once.
uint dqU32(uint b) {
    const uint s = (b & 3u) * 8u;
    return (dqWord(b >> 2) >> s) | ((dqWord((b + 4u) >> 2) << (31u - s)) << 1u);
}

#elif defined(DQ_LAST_WORD)
// Without a branch (lanes of one SIMD batch take different block alignments,
// and a divergent branch runs both sides): the includer defines DQ_LAST_WORD,
// the last readable word, so the second read is clamped into the binding;
// (w << (31 - s)) << 1 is 0 for s = 0 where a shift by 32 would be undefined.
uint dqU32(uint b) {
    const uint i = b >> 2;
    const uint s = (b & 3u) * 8u;
    return (dqWord(i) >> s) | ((dqWord(min(i + 1u, DQ_LAST_WORD)) << (31u - s)) << 1u);
}
#else
uint dqU32(uint b) {
    const uint i = b >> 2;
    const uint s = (b & 3u) * 8u;
    if (s == 0u) return dqWord(i);
    return (dqWord(i) >> s) | (dqWord(i + 1u) << (32u - s));
}
#endif

// 16 bits at an even byte offset (all 16-bit fields of all blocks are: block
// sizes are even and fields sit at even offsets).
uint dqU16(uint b) { return (dqWord(b >> 2) >> ((b & 2u) * 8u)) & 0xFFFFu; }

uint dqByte(uint b) { return (dqWord(b >> 2) >> ((b & 3u) * 8u)) & 0xFFu; }

float dqHalf(uint b) { return unpackHalf2x16(dqU16(b)).x; }

// The four bytes of q as floats, low byte first (GPUs convert a byte of a
// register in one instruction).
vec4 dqBytesF(uint q) { return vec4(q & 0xFFu, (q >> 8) & 0xFFu, (q >> 16) & 0xFFu, q >> 24); }
uvec4 dqBytes(uint q) { return uvec4(q, q >> 8, q >> 16, q >> 24) & 0xFFu; }
uvec4 dqNibLo(uint q) { return uvec4(q, q >> 8, q >> 16, q >> 24) & 0xFu; }
uvec4 dqNibHi(uint q) { return uvec4(q >> 4, q >> 12, q >> 20, q >> 28) & 0xFu; }
// Bit `bit` of each byte of q.
uvec4 dqBit(uint q, uint bit) { return (uvec4(q, q >> 8, q >> 16, q >> 24) >> bit) & 1u; }
// Signed bytes of q.
ivec4 dqSBytes(uint q) {
    const int s = int(q);
    return ivec4(bitfieldExtract(s, 0, 8), bitfieldExtract(s, 8, 8), bitfieldExtract(s, 16, 8),
                 bitfieldExtract(s, 24, 8));
}

#if defined(TYPE_F32)
#define BLOCK_ELEMS 8u
#define BLOCK_BYTES 32u
#define HAS_TAIL 1
void dequantGroup(uint bb, uint g, out vec4 lo, out vec4 hi, out uint e0, out uint e1) {
    lo = uintBitsToFloat(uvec4(dqU32(bb), dqU32(bb + 4u), dqU32(bb + 8u), dqU32(bb + 12u)));
    hi = uintBitsToFloat(uvec4(dqU32(bb + 16u), dqU32(bb + 20u), dqU32(bb + 24u), dqU32(bb + 28u)));
    e0 = 0u;
    e1 = 4u;
}
float dequantOne(uint rowByte, uint i) { return uintBitsToFloat(dqU32(rowByte + 4u * i)); }

#elif defined(TYPE_F16)
#define BLOCK_ELEMS 8u
#define BLOCK_BYTES 16u
#define HAS_TAIL 1
void dequantGroup(uint bb, uint g, out vec4 lo, out vec4 hi, out uint e0, out uint e1) {
    lo = vec4(unpackHalf2x16(dqU32(bb)), unpackHalf2x16(dqU32(bb + 4u)));
    hi = vec4(unpackHalf2x16(dqU32(bb + 8u)), unpackHalf2x16(dqU32(bb + 12u)));
    e0 = 0u;
    e1 = 4u;
}
float dequantOne(uint rowByte, uint i) { return dqHalf(rowByte + 2u * i); }

#elif defined(TYPE_BF16)
#define BLOCK_ELEMS 8u
#define BLOCK_BYTES 16u
#define HAS_TAIL 1
// bf16 is the top half of a float32: widening is a shift, exact.
vec2 dqBf16x2(uint w) { return uintBitsToFloat(uvec2(w << 16, w & 0xFFFF0000u)); }
void dequantGroup(uint bb, uint g, out vec4 lo, out vec4 hi, out uint e0, out uint e1) {
    lo = vec4(dqBf16x2(dqU32(bb)), dqBf16x2(dqU32(bb + 4u)));
    hi = vec4(dqBf16x2(dqU32(bb + 8u)), dqBf16x2(dqU32(bb + 12u)));
    e0 = 0u;
    e1 = 4u;
}
float dequantOne(uint rowByte, uint i) { return uintBitsToFloat(dqU16(rowByte + 2u * i) << 16); }

#elif defined(TYPE_Q8_0)
// d, 32 signed bytes. Group g: bytes 8g..8g+7 = elements 8g..8g+7.
#define BLOCK_ELEMS 32u
#define DQ_BLOCK_AFFINE 1
#define BLOCK_BYTES 34u
void affineGroup(uint bb, uint g, out vec4 qlo, out vec4 qhi, out vec4 ab, out uint e0, out uint e1) {
    const float d = dqHalf(bb);
    qlo = vec4(dqSBytes(dqU32(bb + 2u + 8u * g)));
    qhi = vec4(dqSBytes(dqU32(bb + 6u + 8u * g)));
    ab = vec4(d, 0.0, d, 0.0);
    e0 = 8u * g;
    e1 = 8u * g + 4u;
}
vec4 dqValues(vec4 q, float a, float b) { return q * a; }

#elif defined(TYPE_Q4_0)
// d, 16 bytes: low nibbles are elements 0..15, high nibbles 16..31.
// Group g: bytes 4g..4g+3 = elements 4g..4g+3 and 16+4g..16+4g+3.
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 18u
#define DQ_BLOCK_AFFINE 1
void affineGroup(uint bb, uint g, out vec4 qlo, out vec4 qhi, out vec4 ab, out uint e0, out uint e1) {
    const float d = dqHalf(bb);
    const uint q = dqU32(bb + 2u + 4u * g);
    qlo = dqBytesF(q & 0x0F0F0F0Fu);
    qhi = dqBytesF((q >> 4) & 0x0F0F0F0Fu);
    ab = vec4(d, -8.0 * d, d, -8.0 * d);
    e0 = 4u * g;
    e1 = 16u + 4u * g;
}
vec4 dqValues(vec4 q, float a, float b) { return (q - 8.0) * a; }

#elif defined(TYPE_Q4_1)
// d, m, 16 bytes; q*d + m. Groups as Q4_0.
#define BLOCK_ELEMS 32u
#define BLOCK_BYTES 20u
#define DQ_BLOCK_AFFINE 1
void affineGroup(uint bb, uint g, out vec4 qlo, out vec4 qhi, out vec4 ab, out uint e0, out uint e1) {
    const float d = dqHalf(bb);
    const float m = dqHalf(bb + 2u);
    const uint q = dqU32(bb + 4u + 4u * g);
    qlo = dqBytesF(q & 0x0F0F0F0Fu);
    qhi = dqBytesF((q >> 4) & 0x0F0F0F0Fu);
    ab = vec4(d, m, d, m);
    e0 = 4u * g;
    e1 = 16u + 4u * g;
}
#define DQ_VALUES_FMA 1

#elif defined(TYPE_Q5_0) || defined(TYPE_Q5_1)
// Q5_0: d, u32 qh (bit j = 5th bit of element j), 16 bytes of low nibbles;
// (q - 16)*d. Q5_1: d, m, qh, 16 bytes; q*d + m. Groups as Q4_0.
#define BLOCK_ELEMS 32u
#define DQ_BLOCK_AFFINE 1
#if defined(TYPE_Q5_0)
#define BLOCK_BYTES 22u
#define QH_BYTE 2u
#else
#define BLOCK_BYTES 24u
#define QH_BYTE 4u
#define DQ_VALUES_FMA 1
#endif
void affineGroup(uint bb, uint g, out vec4 qlo, out vec4 qhi, out vec4 ab, out uint e0, out uint e1) {
    const float d = dqHalf(bb);
    const uint qh = dqU32(bb + QH_BYTE);
    const uint q = dqU32(bb + QH_BYTE + 4u + 4u * g);
    const uvec4 hl = ((uvec4(qh) >> (uvec4(0u, 1u, 2u, 3u) + 4u * g)) & 1u) << 4;
    const uvec4 hh = ((uvec4(qh) >> (uvec4(16u, 17u, 18u, 19u) + 4u * g)) & 1u) << 4;
    qlo = vec4(dqNibLo(q) | hl);
    qhi = vec4(dqNibHi(q) | hh);
#if defined(TYPE_Q5_0)
    ab = vec4(d, -16.0 * d, d, -16.0 * d);
#else
    const float m = dqHalf(bb + 2u);
    ab = vec4(d, m, d, m);
#endif
    e0 = 4u * g;
    e1 = 16u + 4u * g;
}
#if defined(TYPE_Q5_0)
vec4 dqValues(vec4 q, float a, float b) { return (q - 16.0) * a; }
#endif

#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// d, dmin, scales[12], (Q5_K: qh[32]), qs[128]. Chunk c (64 elements) uses
// qs bytes 32c..32c+31: low nibbles are elements 64c+l, high nibbles 64c+32+l,
// with scale/min entries 2c and 2c+1; d1 * q - m1. Group g: chunk g/8, bytes
// 4(g%8)..+3.
#define BLOCK_ELEMS 256u
#if defined(TYPE_Q4_K)
#define BLOCK_BYTES 144u
#define QS_BYTE 16u
#else
#define BLOCK_BYTES 176u
#define QS_BYTE 48u
#endif
// Entry j of the 12-byte packed 6-bit scales and mins (scaleMinK4 in C++):
// 0..3 whole in bytes j and j+4, 4..7 split between byte j+4's nibbles and
// the top two bits of bytes j-4 and j.
uvec2 dqScaleMin(uint sb, uint j) {
    if (j < 4u) return uvec2(dqByte(sb + j) & 63u, dqByte(sb + j + 4u) & 63u);
    const uint b = dqByte(sb + j + 4u);
    return uvec2((b & 0xFu) | ((dqByte(sb + j - 4u) >> 6) << 4), (b >> 4) | ((dqByte(sb + j) >> 6) << 4));
}
void affineGroup(uint bb, uint g, out vec4 qlo, out vec4 qhi, out vec4 ab, out uint e0, out uint e1) {
    const uint c = g >> 3, k = g & 7u;
    const float d = dqHalf(bb);
    const float dmin = dqHalf(bb + 2u);
    const uvec2 s1 = dqScaleMin(bb + 4u, 2u * c);
    const uvec2 s2 = dqScaleMin(bb + 4u, 2u * c + 1u);
    const uint q = dqU32(bb + QS_BYTE + 32u * c + 4u * k);
#if defined(TYPE_Q4_K)
    qlo = dqBytesF(q & 0x0F0F0F0Fu);
    qhi = dqBytesF((q >> 4) & 0x0F0F0F0Fu);
#else
    // 5th bits: bit 2c (first 32 elements of the chunk) and 2c+1 (next 32) of qh[l].
    const uint qh = dqU32(bb + 16u + 4u * k);
    qlo = vec4(dqNibLo(q) + (dqBit(qh, 2u * c) << 4));
    qhi = vec4(dqNibHi(q) + (dqBit(qh, 2u * c + 1u) << 4));
#endif
    // -(m1) exactly: q * d1 + (-m1) rounds as the C++ d1 * q - m1.
    ab = vec4(d * float(s1.x), -(dmin * float(s1.y)), d * float(s2.x), -(dmin * float(s2.y)));
    e0 = 64u * c + 4u * k;
    e1 = 64u * c + 32u + 4u * k;
}
#define DQ_VALUES_FMA 1

#elif defined(TYPE_Q6_K)
// ql[128], qh[64], int8 scales[16], d. Half h (128 elements): element
// 128h + l + 32k takes low bits from ql[64h + l + 32(k&1)] (low nibble for
// k<2, high for k>=2), bits 2k..2k+1 of qh[32h + l], scale sc[8h + l/16 + 2k];
// (d * sc) * (q - 32). Group g: half g/16, ql run p = (g/8)&1 (k = p and
// p+2), bytes l = 4(g%8)..+3.
#define BLOCK_ELEMS 256u
#if defined(DQ_Q6_K_PADDED)  // blocks padded to 224 bytes (row-interleaved storage, row_interleave.h)
#define BLOCK_BYTES 224u
#else
#define BLOCK_BYTES 210u
#endif
void affineGroup(uint bb, uint g, out vec4 qlo, out vec4 qhi, out vec4 ab, out uint e0, out uint e1) {
    const uint h = g >> 4, p = (g >> 3) & 1u, lr = g & 7u;
    const float d = dqHalf(bb + 208u);
    const uint ql = dqU32(bb + 64u * h + 32u * p + 4u * lr);
    const uint qh = dqU32(bb + 128u + 32u * h + 4u * lr);
    const uint kl = p, kh = p + 2u;
    const uint sb = bb + 192u + 8u * h + (lr >> 2);
    const float dl = d * float(bitfieldExtract(int(dqByte(sb + 2u * kl)), 0, 8));
    const float dh = d * float(bitfieldExtract(int(dqByte(sb + 2u * kh)), 0, 8));
    // Unsigned 6-bit values (bits 2k..2k+1 of each qh byte above each
    // nibble); the -32 goes into the offset.
    qlo = dqBytesF((ql & 0x0F0F0F0Fu) | (((qh >> (2u * kl)) & 0x03030303u) << 4));
    qhi = dqBytesF(((ql >> 4) & 0x0F0F0F0Fu) | (((qh >> (2u * kh)) & 0x03030303u) << 4));
    ab = vec4(dl, -32.0 * dl, dh, -32.0 * dh);
    e0 = 128u * h + 32u * kl + 4u * lr;
    e1 = 128u * h + 32u * kh + 4u * lr;
}
vec4 dqValues(vec4 q, float a, float b) { return (q - 32.0) * a; }

#else
#error "dequant.glsl: define one TYPE_* (see the header)"
#endif

#define GROUPS (BLOCK_ELEMS / 8u)

#if !defined(TYPE_F32) && !defined(TYPE_F16) && !defined(TYPE_BF16)
#define DQ_AFFINE 1
#ifdef DQ_VALUES_FMA
// q·a + b as the C++ (d * q + m): two roundings, never one fused.
vec4 dqValues(vec4 q, float a, float b) {
    precise vec4 v = q * a + b;
    return v;
}
#endif
// The quantized types' dequantGroup: affineGroup's integers turned into
// values with the C++ operations and order (dqValues per type).
void dequantGroup(uint bb, uint g, out vec4 lo, out vec4 hi, out uint e0, out uint e1) {
    vec4 ab;
    affineGroup(bb, g, lo, hi, ab, e0, e1);
    lo = dqValues(lo, ab.x, ab.y);
    hi = dqValues(hi, ab.z, ab.w);
}
// Σ over a group of w·x from affineGroup's form: x0/x1 are the x values of
// the runs e0.. and e1.., sx = (Σ x0, Σ x1).
float affineDot(vec4 qlo, vec4 qhi, vec4 ab, vec4 x0, vec4 x1, vec2 sx) {
    return dot(vec4(dot(qlo, x0), sx.x, dot(qhi, x1), sx.y), ab);
}
#endif

#endif  // FACET_DEQUANT_GLSL
