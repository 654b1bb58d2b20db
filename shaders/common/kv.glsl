// The f16 KV-cache format, shared by kv_store.comp (writes) and the attention
// shaders (reads). A cache row of `width` values is width/2 uints; value 2i is
// the low 16 bits of word i and 2i+1 the high 16 bits (packHalf2x16's order),
// so no 16-bit storage feature is needed.
//
// Writes convert with facet_f32_to_f16 (round to nearest even, overflow to
// inf) rather than packHalf2x16: SPIR-V leaves the rounding of PackHalf2x16
// to the implementation (some hardware packs toward zero), and the cache must
// hold exactly what facet::halfToFloat(floatToHalf(x)) gives on the CPU.
// Reads use unpackHalf2x16, which is exact everywhere.
#ifndef FACET_KV_GLSL
#define FACET_KV_GLSL

// IEEE binary16 bits of `f`, round to nearest even (as facet::floatToHalf).
uint facet_f32_to_f16(float f) {
    const uint u = floatBitsToUint(f);
    const uint sign = (u >> 16) & 0x8000u;
    const uint a = u & 0x7fffffffu;
    if (a >= 0x7f800000u) return sign | (a > 0x7f800000u ? 0x7e00u : 0x7c00u);  // NaN (quiet) or inf
    if (a >= 0x477ff000u) return sign | 0x7c00u;  // >= 65520 rounds past 65504: inf
    if (a < 0x38800000u) {
        // Below 2^-14: a half subnormal, f / 2^-24 rounded to an integer.
        const uint e = a >> 23;
        const uint shift = 126u - e;  // >= 14
        if (shift > 24u) return sign;
        const uint mant = (a & 0x7fffffu) | (e != 0u ? 0x800000u : 0u);
        uint r = mant >> shift;
        const uint rem = mant & ((1u << shift) - 1u);
        const uint halfway = 1u << (shift - 1u);
        if (rem > halfway || (rem == halfway && (r & 1u) != 0u)) ++r;
        return sign | r;  // r = 0x400 is the smallest normal, encoded the same way
    }
    uint h = (a - 0x38000000u) >> 13;  // rebias 127 -> 15, drop 13 mantissa bits
    const uint rem = a & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u) != 0u)) ++h;
    return sign | h;
}

// Two cache values (2i, 2i+1) into one word.
uint facet_kv_pack(float lo, float hi) { return facet_f32_to_f16(lo) | (facet_f32_to_f16(hi) << 16); }

// Word i of a cache row -> values 2i (x) and 2i+1 (y).
vec2 facet_kv_unpack(uint word) { return unpackHalf2x16(word); }

#endif  // FACET_KV_GLSL
