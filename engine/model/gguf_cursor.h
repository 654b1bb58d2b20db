// GgufCursor: bounds-checked little-endian reads over an untrusted byte range.
// Internal to the GGUF reader. Every read states what it was reading, so a
// truncation error names the field and the offset where the bytes ran out.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/result.h"

namespace facet {

// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and code
// points above U+10FFFF count as broken), or npos when `s` is valid.
size_t findInvalidUtf8(std::string_view s);

class GgufCursor {
public:
    GgufCursor(const uint8_t* base, uint64_t size, const std::string& path)
        : base_(base), size_(size), path_(path) {}

    uint64_t pos() const { return pos_; }
    uint64_t left() const { return size_ - pos_; }
    const std::string& path() const { return path_; }

    template <typename T>
    Status read(T& out, std::string_view what) {
        FACET_TRY(need(sizeof(T), what));
        std::memcpy(&out, base_ + pos_, sizeof(T));
        pos_ += sizeof(T);
        return Status::success();
    }

    // u64 length + bytes, which must be valid UTF-8.
    Status readString(std::string& out, std::string_view what);

    // Error unless `n` more bytes are available.
    Status need(uint64_t n, std::string_view what) const;

private:
    const uint8_t* base_;
    uint64_t size_;
    uint64_t pos_ = 0;
    const std::string& path_;
};

}  // namespace facet
