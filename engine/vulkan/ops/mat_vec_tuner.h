// The decode GEMV's kernel tuner: on a device we never measured, which
// mat_vec shape (layout, invocations, rows, unroll) is fastest is the
// device's to say. The tuner replays the products of one real decode step
// (logged by Cmd::setMatVecLog) once per candidate shape, every product of
// the step in its order, so weights stream from memory as in decode rather
// than sitting in a cache; GPU timestamps charge each dispatch to its
// problem (matVecChoiceKey). The fastest of a few passes counts, and a
// candidate replaces the default only when it beats it clearly. Results go
// to Device::kernelChoices(), which the ops read and VulkanBackend saves.
//
//   std::vector<MatVecArgs> log;          // one decode step's products
//   FACET_ASSIGN(auto report, tuneMatVec(device, log));
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "vulkan/ops/mat_vec_op.h"

namespace facet::vk {

class Device;

struct MatVecTuneOptions {
    int passes = 2;          // timed replays after one warm-up; each candidate's fastest counts
    double minGain = 0.03;   // a candidate must beat the default shape by this fraction
    uint32_t maxCandidates = 0;  // 0 = all of matVecCandidates; else the first N (tests)
};

struct MatVecTuneReport {
    size_t products = 0;    // logged products
    size_t problems = 0;    // distinct keys among them
    size_t known = 0;       // keys that had a choice already (not measured)
    size_t tuned = 0;       // keys measured now (each gets a choice)
    size_t changed = 0;     // of those, how many chose a shape other than the default
    size_t timings = 0;     // (key, candidate) pairs timed
    double defaultMs = 0;   // one replay of the measured products at the default shapes
    double chosenMs = 0;    // ... at the chosen shapes
    double seconds = 0;     // wall time, pipeline builds included
};

// The shapes the tuner tries for `args`, the default first (all zeros: the
// device's defaults), then those of the device's family that fit it:
// row-interleaved weights and CPU devices the lanes layout, GPUs the
// groups layout and, for quantized types, the blocks layout.
std::vector<MatVecShape> matVecCandidates(const DeviceCaps& caps, const MatVecArgs& args);

// Measures every key of `products` without a choice and records one for
// each. The products' buffers must be live, and their outputs scratch: the
// replays write y (and accumulate into it) many times.
Result<MatVecTuneReport> tuneMatVec(Device& device, std::span<const MatVecArgs> products,
                                    const MatVecTuneOptions& options = {});

}  // namespace facet::vk
