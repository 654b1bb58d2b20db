// GgufWriter: builds a GGUF v3 (or v2) file from metadata and raw tensor
// bytes. Used by the test-model generator and the tests; it writes exactly
// what it is given, so tests can also build deliberately odd files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/gguf_file.h"

namespace facet {

class GgufWriter {
public:
    explicit GgufWriter(uint32_t version = 3) : version_(version) {}

    // 2 or 3; the two differ only in the version field for Facet's purposes.
    void setVersion(uint32_t version) { version_ = version; }
    uint32_t version() const { return version_; }

    // Metadata in insertion order; adding an existing key replaces its value
    // in place. UInt64 values travel through int64 bit-for-bit.
    void addUInt8(const std::string& key, uint8_t v);
    void addInt8(const std::string& key, int8_t v);
    void addUInt16(const std::string& key, uint16_t v);
    void addInt16(const std::string& key, int16_t v);
    void addUInt32(const std::string& key, uint32_t v);
    void addInt32(const std::string& key, int32_t v);
    void addUInt64(const std::string& key, uint64_t v);
    void addInt64(const std::string& key, int64_t v);
    void addFloat32(const std::string& key, float v);
    void addFloat64(const std::string& key, double v);
    void addBool(const std::string& key, bool v);
    void addString(const std::string& key, std::string v);
    // Arrays: `elemType` is any integer type or Bool (ints), Float32/Float64 (floats).
    void addIntArray(const std::string& key, GgufValueType elemType, std::vector<int64_t> values);
    void addFloatArray(const std::string& key, GgufValueType elemType, std::vector<double> values);
    void addStringArray(const std::string& key, std::vector<std::string> values);
    // Any value as the reader represents it.
    void addValue(const std::string& key, GgufValue v);

    // Tensors in insertion order; `ne` in GGML order (ne[0] contiguous), 1..4 dims.
    void addTensor(std::string name, GgmlType type, std::vector<int64_t> ne, std::vector<uint8_t> data);
    // Any type number, including ones Facet cannot read (for tests).
    void addTensorRaw(std::string name, uint32_t rawType, std::vector<int64_t> ne, std::vector<uint8_t> data);

    // general.alignment when set to a valid value, else 32.
    uint64_t alignment() const;

    // The whole file in memory (tests patch it and feed GgufFile::fromBuffer).
    Result<std::vector<uint8_t>> serialize() const;
    // Writes `path`.tmp and renames it over `path`, so readers never see half a file.
    Status write(const std::string& path) const;

private:
    struct Tensor {
        std::string name;
        uint32_t rawType;
        std::vector<int64_t> ne;
        std::vector<uint8_t> data;
    };
    template <typename Sink>
    Status writeTo(Sink& sink) const;
    Status validate() const;

    uint32_t version_;
    std::vector<std::pair<std::string, GgufValue>> kv_;
    std::vector<Tensor> tensors_;
};

}  // namespace facet
