// GGML type table and the scalar float conversions every dequantizer uses.
// Block geometries follow ggml-common.h; they are a file-format contract, so
// we know them even for types we cannot decode (a GGUF range check needs the
// byte size of every tensor, readable or not).
#include "model/ggml_type.h"

#include <cctype>
#include <cstring>

namespace facet {

namespace {

constexpr uint32_t kQK = 256;  // QK_K: super-block size of the K and IQ families

struct TypeEntry {
    uint32_t raw;
    TypeInfo info;
};

// Sizes in bytes per block, spelled out from the block structs.
constexpr TypeEntry kTypes[] = {
    {0, {"F32", 1, 4}},
    {1, {"F16", 1, 2}},
    {2, {"Q4_0", 32, 2 + 16}},
    {3, {"Q4_1", 32, 2 + 2 + 16}},
    {6, {"Q5_0", 32, 2 + 4 + 16}},
    {7, {"Q5_1", 32, 2 + 2 + 4 + 16}},
    {8, {"Q8_0", 32, 2 + 32}},
    {9, {"Q8_1", 32, 2 + 2 + 32}},
    {10, {"Q2_K", kQK, 16 + 64 + 2 + 2}},
    {11, {"Q3_K", kQK, 32 + 64 + 12 + 2}},
    {12, {"Q4_K", kQK, 2 + 2 + 12 + 128}},
    {13, {"Q5_K", kQK, 2 + 2 + 12 + 32 + 128}},
    {14, {"Q6_K", kQK, 128 + 64 + 16 + 2}},
    {15, {"Q8_K", kQK, 4 + 256 + 2 * 16}},
    {16, {"IQ2_XXS", kQK, 2 + 2 * 32}},
    {17, {"IQ2_XS", kQK, 2 + 2 * 32 + 8}},
    {18, {"IQ3_XXS", kQK, 2 + 96}},
    {19, {"IQ1_S", kQK, 2 + 32 + 2 * 8}},
    {20, {"IQ4_NL", 32, 2 + 16}},
    {21, {"IQ3_S", kQK, 2 + 64 + 8 + 32 + 4}},
    {22, {"IQ2_S", kQK, 2 + 64 + 8 + 8}},
    {23, {"IQ4_XS", kQK, 2 + 2 + 4 + 128}},
    {24, {"I8", 1, 1}},
    {25, {"I16", 1, 2}},
    {26, {"I32", 1, 4}},
    {27, {"I64", 1, 8}},
    {28, {"F64", 1, 8}},
    {29, {"IQ1_M", kQK, 32 + 16 + 8}},
    {30, {"BF16", 1, 2}},
    {34, {"TQ1_0", kQK, 48 + 4 + 2}},
    {35, {"TQ2_0", kQK, 64 + 2}},
    {39, {"MXFP4", 32, 1 + 16}},
};

uint32_t floatBits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

float bitsFloat(uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

}  // namespace

TypeInfo typeInfo(uint32_t rawType) {
    for (const TypeEntry& e : kTypes) {
        if (e.raw == rawType) return e.info;
    }
    return TypeInfo{nullptr, 0, 0};
}

std::string typeName(uint32_t rawType) {
    TypeInfo info = typeInfo(rawType);
    if (info.name != nullptr) return info.name;
    return "type " + std::to_string(rawType);
}

bool typeFromName(const std::string& name, GgmlType& out) {
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const TypeEntry& e : kTypes) {
        if (isSupportedType(e.raw) && upper == e.info.name) {
            out = static_cast<GgmlType>(e.raw);
            return true;
        }
    }
    return false;
}

bool isSupportedType(uint32_t rawType) {
    switch (static_cast<GgmlType>(rawType)) {
        case GgmlType::F32:
        case GgmlType::F16:
        case GgmlType::BF16:
        case GgmlType::Q8_0:
        case GgmlType::Q4_0:
        case GgmlType::Q4_1:
        case GgmlType::Q5_0:
        case GgmlType::Q5_1:
        case GgmlType::Q4_K:
        case GgmlType::Q5_K:
        case GgmlType::Q6_K:
            return true;
        default:
            return false;
    }
}

uint64_t rowBytes(GgmlType t, int64_t n) {
    TypeInfo info = typeInfo(t);
    if (info.blockElems == 0 || n < 0 || n % info.blockElems != 0) return 0;
    return static_cast<uint64_t>(n / info.blockElems) * info.blockBytes;
}

float halfToFloat(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    if (exp == 0x1F) {
        // Inf stays inf; NaN keeps its payload (shifted into the top bits).
        return bitsFloat(sign | 0x7F800000u | (mant << 13));
    }
    if (exp != 0) {
        return bitsFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
    }
    if (mant == 0) return bitsFloat(sign);
    // Subnormal half: normalise; every half subnormal is a float normal.
    int e = -1;
    do {
        mant <<= 1;
        ++e;
    } while ((mant & 0x400u) == 0);
    mant &= 0x3FFu;
    return bitsFloat(sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | (mant << 13));
}

uint16_t floatToHalf(float f) {
    const uint32_t u = floatBits(f);
    const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
    const uint32_t exp = (u >> 23) & 0xFFu;
    const uint32_t mant = u & 0x7FFFFFu;

    if (exp == 0xFF) {
        if (mant == 0) return sign | 0x7C00u;
        // Keep the top payload bits and force quiet so a NaN never turns into inf.
        return static_cast<uint16_t>(sign | 0x7E00u | (mant >> 13));
    }
    const int e = static_cast<int>(exp) - 127 + 15;  // biased half exponent
    if (e >= 0x1F) return sign | 0x7C00u;            // overflow -> inf
    if (e <= 0) {
        // Half subnormal (or zero): shift the full significand into place and
        // round to nearest even on the dropped bits.
        if (e < -10) return sign;  // below half the smallest subnormal
        const uint32_t sig = mant | 0x800000u;
        const int shift = 14 - e;  // 24-bit significand down to 10-bit field
        uint32_t q = sig >> shift;
        const uint32_t rem = sig & ((1u << shift) - 1);
        const uint32_t halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1u))) ++q;
        return static_cast<uint16_t>(sign | q);  // a carry into bit 10 yields the smallest normal
    }
    uint32_t q = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
    const uint32_t rem = mant & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (q & 1u))) ++q;  // carry may round up to inf: correct
    return static_cast<uint16_t>(sign | q);
}

float bf16ToFloat(uint16_t b) { return bitsFloat(static_cast<uint32_t>(b) << 16); }

uint16_t floatToBf16(float f) {
    const uint32_t u = floatBits(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) {
        // NaN: truncating could clear every payload bit and give inf; force quiet.
        return static_cast<uint16_t>((u >> 16) | 0x0040u);
    }
    // Round to nearest even; overflow of the largest finite values gives inf.
    const uint32_t rounded = u + 0x7FFFu + ((u >> 16) & 1u);
    return static_cast<uint16_t>(rounded >> 16);
}

}  // namespace facet
