// Bounds-checked reads and UTF-8 validation for the GGUF reader.
#include "model/gguf_cursor.h"

namespace facet {

size_t findInvalidUtf8(std::string_view s) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const uint8_t c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;  // overlong
            if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;  // overlong
            if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
        } else {
            return i;  // continuation byte in lead position, C0/C1 overlongs, F5..FF
        }
        if (n - i < len) return i;
        if (p[i + 1] < lo || p[i + 1] > hi) return i + 1;
        for (size_t k = 2; k < len; ++k) {
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i + k;
        }
        i += len;
    }
    return std::string_view::npos;
}

Status GgufCursor::need(uint64_t n, std::string_view what) const {
    if (n <= left()) return Status::success();
    return errorf("%s: truncated at offset %llu while reading %.*s: need %llu bytes, only %llu left",
                  path_.c_str(), static_cast<unsigned long long>(pos_), static_cast<int>(what.size()),
                  what.data(), static_cast<unsigned long long>(n), static_cast<unsigned long long>(left()));
}

Status GgufCursor::readString(std::string& out, std::string_view what) {
    const uint64_t start = pos_;
    uint64_t len = 0;
    FACET_TRY(read(len, what));
    // Check the claimed length against the bytes present before allocating.
    if (len > left()) {
        return errorf("%s: string length %llu at offset %llu (%.*s) exceeds the %llu bytes left in the file",
                      path_.c_str(), static_cast<unsigned long long>(len), static_cast<unsigned long long>(start),
                      static_cast<int>(what.size()), what.data(), static_cast<unsigned long long>(left()));
    }
    out.assign(reinterpret_cast<const char*>(base_ + pos_), static_cast<size_t>(len));
    const size_t bad = findInvalidUtf8(out);
    if (bad != std::string_view::npos) {
        return errorf("%s: %.*s at offset %llu is not valid UTF-8 (bad byte 0x%02x at offset %llu)", path_.c_str(),
                      static_cast<int>(what.size()), what.data(), static_cast<unsigned long long>(start),
                      static_cast<unsigned>(static_cast<uint8_t>(out[bad])),
                      static_cast<unsigned long long>(pos_ + bad));
    }
    pos_ += len;
    return Status::success();
}

}  // namespace facet
