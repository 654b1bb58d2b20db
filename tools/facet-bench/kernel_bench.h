// facet-bench --kernels: the decode GEMV (mat_vec) alone, every workgroup
// shape on real model sizes, timed with GPU timestamps: which shape a device
// wants, and how close one kernel gets to the memory bandwidth.
#pragma once

#include <string>

namespace facet::bench {

// Prints one table row per shape tried and the best per size; 0 on success.
int runKernelBench(const std::string& device);

}  // namespace facet::bench
