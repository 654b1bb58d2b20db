// Row-interleaved weight storage for CPU devices (llvmpipe). Their decode
// GEMV (mat_vec_lanes*.comp) gives each SIMD lane whole rows, so one batch
// of 8 lanes reads 8 x ROWS rows side by side. Stored row after row, those
// are 64 short streams (864 bytes per E2B Q4_0 row) that the CPU's
// prefetchers follow poorly: measured 2.7-3.1 GB/s from DRAM against ~5 GB/s
// for the same kernel on cached data. Interleaved, a batch reads one
// contiguous run: 4.8 GB/s from DRAM (facet-bench --kernels, E2B ffn_up Q4_0,
// 20 rotating matrices, 2 cores).
//
// The layout: rows in tiles of `tileRows`; inside a tile, 16-byte texel j of
// the tile's row s lies at texel j * tileRows + s of the tile, so the tile's
// rows advance together, texel by texel. Tile t starts at byte
// t * tileRows * rowBytes. The last tile is padded to whole tileRows with
// zero rows. rowBytes must be a multiple of 16. Pure C++: the uploader
// writes the image, the shaders read it (mat_vec_lanes.glsl, get_rows.comp).
//
// Blocks may be padded on the way (srcBlockBytes < blockBytes): Q6_K's
// 210-byte blocks become 224 bytes, 14 whole texels, zeros after byte 210,
// so a 1536-wide row (1260 bytes, not a multiple of 16) can be tiled and
// every field of a block sits at a fixed texel.
#pragma once

#include <cstddef>
#include <cstdint>

namespace facet::vk {

struct RowInterleave {
    uint32_t tileRows = 0;  // 0: rows stored one after another (no interleave)
    uint64_t rows = 0;      // rows of the source
    uint64_t rowBytes = 0;  // a multiple of 16 when tileRows != 0 (the image's rows, padded)
    // Block padding: the source's blocks of srcBlockBytes each take
    // blockBytes in the image (both 0: none).
    uint32_t srcBlockBytes = 0, blockBytes = 0;

    bool active() const { return tileRows != 0; }
    bool padded() const { return blockBytes != 0; }
    // Bytes of one source row.
    uint64_t srcRowBytes() const { return padded() ? rowBytes / blockBytes * srcBlockBytes : rowBytes; }
    // Rows of the image: `rows` rounded up to whole tiles.
    uint64_t paddedRows() const;
    // Bytes of the image (rows x rowBytes when not active).
    uint64_t imageBytes() const;
    // Byte of the image that holds byte `byte` of row `row` (of the image's
    // row: a padded block's bytes keep their place in the block).
    uint64_t imageOffset(uint64_t row, uint64_t byte) const;
};

// Writes bytes [offset, offset + n) of the image of `src` (rows x
// srcRowBytes() bytes, row after row) to dst[0..n): any sub-range, so a copy
// can be cut into staging chunks anywhere. Padding rows and block padding
// read as zeros. When the layout is not active this is a plain copy of
// src[offset..offset + n).
void writeInterleaved(const RowInterleave& layout, const std::byte* src, uint64_t offset, std::byte* dst, uint64_t n);

}  // namespace facet::vk
