// Embeddings as compact blobs: int8 with one float scale per vector
// (v ≈ code · scale), 4× smaller than float32, and the brute-force score of a
// float query against them (documents-qa.md §4.4: an exact int8 scan is fast
// enough at desktop scale, with no index to rebuild).
#pragma once

#include <QByteArray>

#include <span>
#include <vector>

namespace facet::docs {

struct Int8Vector {
    float scale = 0;   // max |v| / 127
    QByteArray codes;  // one signed byte per dimension
};

Int8Vector quantizeInt8(std::span<const float> v);
std::vector<float> dequantizeInt8(const Int8Vector& v);

// Dot product of a float query with a stored vector (cosine for unit vectors).
float dotInt8(std::span<const float> query, const char* codes, float scale);

// The same with the query quantized too: an integer sum the compiler
// vectorizes (a float sum it may not reorder without -ffast-math). Exact up
// to the query's own rounding; this is what the scan uses.
float dotInt8(const Int8Vector& query, const char* codes, float scale);

}  // namespace facet::docs
