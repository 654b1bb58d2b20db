// Tensor element types as numbered by GGML/GGUF ("ggml_type"). The numbers are
// a file-format contract: never renumber. Only the types listed in
// isSupportedType() can be dequantized; any other known or unknown number is
// reported by name (or number) when a tensor uses it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace facet {

enum class GgmlType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
};

// Block geometry of a type: `blockElems` values are stored in `blockBytes` bytes.
struct TypeInfo {
    const char* name;       // "Q4_K", or nullptr for an unknown number
    uint32_t blockElems;    // 0 when the layout is unknown to Facet
    uint32_t blockBytes;
};

TypeInfo typeInfo(uint32_t rawType);
inline TypeInfo typeInfo(GgmlType t) { return typeInfo(static_cast<uint32_t>(t)); }

// "Q4_K", or "type 77" for numbers GGML never assigned.
std::string typeName(uint32_t rawType);
inline std::string typeName(GgmlType t) { return typeName(static_cast<uint32_t>(t)); }

// F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K: the types Facet reads.
bool isSupportedType(uint32_t rawType);
inline bool isSupportedType(GgmlType t) { return isSupportedType(static_cast<uint32_t>(t)); }
// A supported type by name, any case ("q4_0", "Q4_K", "bf16"); false for others.
bool typeFromName(const std::string& name, GgmlType& out);

// Bytes taken by `n` elements of a supported type; n must be a multiple of the
// block size (checked by the caller, e.g. GGUF validation). Returns 0 otherwise.
uint64_t rowBytes(GgmlType t, int64_t n);

// Half and bfloat16 conversions, bit exact (round to nearest even on the way down).
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
float bf16ToFloat(uint16_t b);
uint16_t floatToBf16(float f);

}  // namespace facet
