// A read-only view of one tensor's raw bytes in a mapped model file.
// Shapes use GGML order: ne[0] is the contiguous (row) dimension, so a
// PyTorch weight [out, in] has ne = {in, out}.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model/ggml_type.h"

namespace facet {

struct TensorView {
    std::string name;
    GgmlType type = GgmlType::F32;
    std::array<int64_t, 4> ne{1, 1, 1, 1};
    int nDims = 0;
    const uint8_t* data = nullptr;  // points into the mapping; lives as long as the file
    uint64_t nbytes = 0;
    uint64_t fileOffset = 0;        // absolute byte offset in its file, for error messages

    int64_t elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
    int64_t rows() const { return ne[1] * ne[2] * ne[3]; }
    uint64_t bytesPerRow() const { return rowBytes(type, ne[0]); }
    const uint8_t* row(int64_t r) const { return data + static_cast<uint64_t>(r) * bytesPerRow(); }
};

// "[64, 618]" in GGML order, for messages.
std::string shapeString(const TensorView& t);

}  // namespace facet
