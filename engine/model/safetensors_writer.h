// Writes a .safetensors file: u64 header length, JSON header
// {"name": {"dtype", "shape" (PyTorch order), "data_offsets"}}, then data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/ggml_type.h"

namespace facet {

class SafetensorsWriter {
public:
    // `shape` in PyTorch order; `type` F32, F16 or BF16.
    Status add(std::string name, GgmlType type, std::vector<int64_t> shape, std::vector<uint8_t> data);
    Status write(const std::string& path) const;  // via path.tmp + rename

private:
    struct Entry {
        std::string name;
        GgmlType type;
        std::vector<int64_t> shape;
        std::vector<uint8_t> data;
    };
    std::vector<Entry> entries_;
};

}  // namespace facet
