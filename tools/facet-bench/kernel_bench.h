// facet-bench --kernels / --gemm: the decode GEMV (mat_vec) and the prefill
// GEMM (mat_mat) alone, every workgroup shape or tile on real model sizes,
// timed with GPU timestamps: which shape a device wants, and how close one
// kernel gets to the memory bandwidth or the arithmetic peak.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/ggml_type.h"

namespace facet::bench {

// Prints one table row per shape tried and the best per size; 0 on success.
// `only`: sizes whose name contains it ("31b", "e2b", "down"); "" = all.
// `layout`: "groups", "blocks", "lanes" (MatVecLayout) or "tiled" (lanes on
// row-interleaved weights, where the type allows); "" = all.
// `onlyType`: one weight type; none = Q4_0, Q8_0, Q4_K, Q5_K and Q6_K.
// `rotate`: distinct copies of each matrix, multiplied in turn, so a small
// one streams from memory as in a model instead of staying in cache.
int runKernelBench(const std::string& device, const std::string& only, const std::string& layout = "",
                   std::optional<GgmlType> onlyType = {}, uint32_t rotate = 1);

// The same for mat_mat with `nTok` tokens: every tile of 32..128 rows and
// tokens, 16 or 32 deep, 4 or 8 outputs per invocation each way (the
// default only on CPU devices); the best is printed as a
// FACET_VK_MATMAT_TILE value for an end-to-end run.
int runGemmBench(const std::string& device, const std::string& only, uint32_t nTok,
                 std::optional<GgmlType> onlyType = {});

}  // namespace facet::bench
