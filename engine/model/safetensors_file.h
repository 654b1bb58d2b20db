// SafetensorsFile: a read-only, memory-mapped Hugging Face .safetensors file.
//
// File format (as read here):
//  1. u64 little-endian N: the byte length of the header
//  2. N bytes of UTF-8 JSON: { "<tensor>": {"dtype": "BF16", "shape": [..],
//     "data_offsets": [begin, end]}, ..., "__metadata__": {...} (ignored) }
//  3. the data region; offsets are relative to its start (byte 8 + N)
//
// Everything is bounded before use: N <= 100 MiB and inside the file, offsets
// inside the data region with begin <= end, (end - begin) == product(shape) *
// dtype size for every dtype whose size is known, no two tensors overlapping,
// no overflow. A dtype Facet cannot read (F8, I64, ...) is not an error while
// opening (vision/audio tensors may use them); view() reports it by name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/tensor_view.h"

namespace facet {

class MappedFile;

// One header entry, as written in the file.
struct SafetensorsEntry {
    std::string name;
    std::string dtype;           // "BF16", "F32", "F8_E4M3", ...
    std::vector<int64_t> shape;  // PyTorch order (outermost first)
    uint64_t begin = 0;          // relative to the data region
    uint64_t end = 0;
};

class SafetensorsFile {
public:
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    static Result<std::unique_ptr<SafetensorsFile>> open(const std::string& path);

    const std::string& path() const;
    uint64_t dataOffset() const { return dataOffset_; }  // absolute offset of the data region

    // Header order is not preserved by the format's JSON; entries are sorted by name.
    const std::vector<SafetensorsEntry>& tensors() const { return entries_; }
    const SafetensorsEntry* entry(std::string_view name) const;

    // GGML-order view (ne = reversed shape). Fails for an unknown tensor, a
    // dtype other than BF16/F16/F32, more than 4 dims, or misaligned data.
    Result<TensorView> view(std::string_view name) const;
    Result<TensorView> view(const SafetensorsEntry& e) const;

private:
    SafetensorsFile() = default;
    Status parseHeader();

    std::unique_ptr<MappedFile> file_;
    uint64_t dataOffset_ = 0;
    std::vector<SafetensorsEntry> entries_;  // sorted by name for binary search
};

// Bytes per element of a safetensors dtype name; 0 when unknown to Facet
// (sub-byte and future types).
uint64_t safetensorsDtypeSize(std::string_view dtype);

}  // namespace facet
