// Splits a GGUF as llama.cpp's gguf-split does: part 1 carries every metadata
// key, each part carries split.no (u16, 0-based), split.count (u16) and
// split.tensors.count (i32) and a run of the tensors, named
// "<stem>-00001-of-00003.gguf" ... Tests build split models from the tiny
// generated ones with it, and broken sets through `tamper`.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/gguf_writer.h"

namespace facet::test {

// Called for part `index` (1-based) before it is written: tests change keys there.
using PartTamper = std::function<void(int index, GgufWriter& part)>;

// Writes `parts` files "<stem>-0000i-of-0000n.gguf" from `source`; returns their paths.
Result<std::vector<std::string>> splitGguf(const std::string& source, const std::string& stem, int parts,
                                           const PartTamper& tamper = {});

}  // namespace facet::test
