// facet-bench --kernels: the decode GEMV (mat_vec) alone, every workgroup
// shape on real model sizes, timed with GPU timestamps: which shape a device
// wants, and how close one kernel gets to the memory bandwidth.
#pragma once

#include <string>

namespace facet::bench {

// Prints one table row per shape tried and the best per size; 0 on success.
// `only`: sizes whose name contains it ("31b", "e2b", "down"); "" = all.
// `layout`: "groups" or "lanes" (MatVecLayout); "" = both.
int runKernelBench(const std::string& device, const std::string& only, const std::string& layout = "");

}  // namespace facet::bench
