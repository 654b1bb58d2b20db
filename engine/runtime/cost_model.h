// What one decode step reads from memory, computed from the description and
// the bound weights: the basis of the bandwidth figure facet-bench reports
// (bytes per token × tokens per second).
#pragma once

#include <cstdint>

#include "model/model.h"

namespace facet {

// Bytes of weights a single-token forward reads: every layer's matrices (for
// MoE only the top-k experts' share), the tied head in full, one row of the
// token embedding and one row of the PLE table.
uint64_t decodeBytesPerToken(const Model& m);

}  // namespace facet
