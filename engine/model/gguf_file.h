// GgufFile: a read-only, memory-mapped GGUF v2/v3 model file.
//
// File format (little endian), as read here:
//  1. magic "GGUF", u32 version (2 or 3)
//  2. u64 tensor count, u64 metadata count
//  3. metadata: (string key, u32 value type, value)*; a string is u64 length +
//     UTF-8 bytes; an array is u32 element type + u64 count + elements
//  4. tensor directory: (string name, u32 n_dims, u64 ne[n_dims], u32 type,
//     u64 offset)*, offsets relative to the data section
//  5. padding to `general.alignment` (default 32), then the data section
//
// Every read is bounded by the bytes left; counts are checked before any
// allocation; tensor data must lie inside the file, be aligned, and not
// overlap another tensor. Hostile files fail with an Error naming the file,
// the key or tensor, the byte offset, and what was expected.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "model/tensor_view.h"

namespace facet {

class MappedFile;

enum class GgufValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
    Count
};

const char* ggufValueTypeName(GgufValueType t);

// One metadata value. Scalars live in the scalar fields; arrays keep their
// element type, numeric elements widened into `ints` (all integer types and
// bool) or `floats` (Float32/Float64), strings in `strings`. Nested arrays are
// rejected by the reader (no Gemma 4 key uses them).
struct GgufValue {
    GgufValueType type = GgufValueType::UInt8;
    GgufValueType arrayType = GgufValueType::UInt8;  // valid when type == Array

    int64_t i = 0;      // every integer type and Bool (UInt64 values above INT64_MAX are rejected)
    double f = 0.0;     // Float32 / Float64
    std::string str;    // String

    std::vector<int64_t> ints;         // integer/bool arrays
    std::vector<double> floats;        // float arrays
    std::vector<std::string> strings;  // string arrays

    bool isInteger() const;  // any integer type or Bool
    bool isFloat() const;
    size_t arraySize() const;  // 0 for scalars
};

struct GgufTensorInfo {
    std::string name;
    uint32_t rawType = 0;
    GgmlType type = GgmlType::F32;  // valid when isSupportedType(rawType)
    int nDims = 0;
    std::array<int64_t, 4> ne{1, 1, 1, 1};
    uint64_t offset = 0;  // relative to the data section
    uint64_t nbytes = 0;  // 0 when the type is unsupported (size unknown)
};

class GgufFile {
public:
    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    static Result<std::unique_ptr<GgufFile>> open(const std::string& path);
    // Parses bytes held in memory (tests feed corrupted buffers through this).
    static Result<std::unique_ptr<GgufFile>> fromBuffer(std::vector<uint8_t> bytes, std::string displayName);

    const std::string& path() const { return path_; }
    uint32_t version() const { return version_; }
    uint64_t alignment() const { return alignment_; }
    uint64_t dataOffset() const { return dataOffset_; }
    uint64_t fileSize() const { return size_; }

    // Metadata in file order.
    const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return kv_; }
    const GgufValue* find(std::string_view key) const;

    // Typed getters: nullopt when absent; an Error when present with the wrong
    // type or out of range (so "wrong type" never silently reads as "absent").
    Result<std::optional<int64_t>> getInt(std::string_view key) const;
    Result<std::optional<double>> getFloat(std::string_view key) const;  // accepts integers too
    Result<std::optional<bool>> getBool(std::string_view key) const;
    Result<std::optional<std::string>> getString(std::string_view key) const;

    const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
    const GgufTensorInfo* findTensor(std::string_view name) const;
    // View of a tensor's bytes; Error if its type is unsupported (names tensor and type).
    Result<TensorView> view(const GgufTensorInfo& info) const;

private:
    GgufFile() = default;
    Status parse();

    std::string path_;
    std::unique_ptr<MappedFile> map_;
    std::vector<uint8_t> buffer_;  // when built fromBuffer
    const uint8_t* base_ = nullptr;
    uint64_t size_ = 0;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    uint64_t dataOffset_ = 0;
    std::vector<std::pair<std::string, GgufValue>> kv_;
    std::unordered_map<std::string, size_t> kvIndex_;
    std::vector<GgufTensorInfo> tensors_;
    std::unordered_map<std::string, size_t> tensorIndex_;
};

}  // namespace facet
