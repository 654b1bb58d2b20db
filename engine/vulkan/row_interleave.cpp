#include "vulkan/row_interleave.h"

#include <algorithm>
#include <cstring>

namespace facet::vk {

namespace {
constexpr uint64_t kTexel = 16;
}

uint64_t RowInterleave::paddedRows() const {
    return active() ? (rows + tileRows - 1) / tileRows * tileRows : rows;
}

uint64_t RowInterleave::imageBytes() const { return paddedRows() * rowBytes; }

uint64_t RowInterleave::imageOffset(uint64_t row, uint64_t byte) const {
    if (!active()) return row * rowBytes + byte;
    const uint64_t tile = row / tileRows, slot = row % tileRows;
    return tile * tileRows * rowBytes + ((byte / kTexel) * tileRows + slot) * kTexel + byte % kTexel;
}

void writeInterleaved(const RowInterleave& l, const std::byte* src, uint64_t offset, std::byte* dst, uint64_t n) {
    if (!l.active()) {
        std::memcpy(dst, src + offset, n);
        return;
    }
    const uint64_t tileBytes = uint64_t(l.tileRows) * l.rowBytes;
    uint64_t done = 0;
    while (done < n) {
        // The image texel holding `at`: tile, then texel j of slot s (j-major).
        const uint64_t at = offset + done;
        const uint64_t tile = at / tileBytes, inTile = (at % tileBytes) / kTexel;
        const uint64_t j = inTile / l.tileRows, slot = inTile % l.tileRows;
        const uint64_t row = tile * l.tileRows + slot, lo = at % kTexel;
        uint64_t len = std::min(kTexel - lo, n - done);
        uint64_t pos = j * kTexel + lo, from = row * l.rowBytes + pos;  // in the image's row; in src
        bool data = row < l.rows;
        if (l.padded()) {  // block padding: data up to srcBlockBytes of each block, then zeros
            const uint64_t blk = pos / l.blockBytes, in = pos % l.blockBytes;
            data = data && in < l.srcBlockBytes;
            len = std::min(len, data ? l.srcBlockBytes - in : l.blockBytes - in);
            from = row * l.srcRowBytes() + blk * l.srcBlockBytes + in;
        }
        if (data)
            std::memcpy(dst + done, src + from, len);
        else
            std::memset(dst + done, 0, len);
        done += len;
    }
}

}  // namespace facet::vk
