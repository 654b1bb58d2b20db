// The kernel tuner: on a device we never measured, which matrix-product
// shape is fastest is the device's to say. Given the products of a real
// prefill chunk and decode step (a ProductLog), it replays each family's
// products once per candidate: the decode GEMV's layout, invocations, rows
// and unroll (mat_vec), the prefill GEMM's tile (mat_mat). A replay runs
// every logged product in its order, so weights stream from memory as in
// the forward pass instead of sitting in a cache; GPU timestamps charge
// each dispatch to its problem (matVecChoiceKey / matMatChoiceKey). The
// fastest of a few passes counts, and a candidate replaces the default only
// when it beats it clearly. Results go to Device::kernelChoices(), which the
// ops read and VulkanBackend saves.
//
//   ProductLog log;                       // VkForward::logProducts
//   FACET_ASSIGN(auto report, tuneProducts(device, log));
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/result.h"
#include "vulkan/ops/product_log.h"

namespace facet::vk {

class Device;

struct ProductTuneOptions {
    int passes = 2;              // timed GEMV replays after one warm-up; each candidate's fastest counts
    int gemmPasses = 1;          // the same for the GEMMs (milliseconds each: less noise, more cost)
    double minGain = 0.03;       // a candidate must beat the default by this fraction
    // Per family: fewer candidates where the replays or the pipeline builds
    // are slow; a first load tunes for about this long at most. 0 = no
    // budget: every candidate is timed, whatever the clock says.
    double budgetSeconds = 15;
    // The wall clock the budget reads, in seconds (empty: steady_clock).
    // Only the budget reads it, so a test that injects one decides what the
    // budget does; the machine's load cannot.
    std::function<double()> clock;
    uint32_t maxCandidates = 0;  // 0 = all; else the first N of each list (tests)
    bool gpuTilesOnCpu = false;  // tests: offer a CPU device the GPU GEMM tiles too
    std::function<void()> onMeasure;  // called once before the first timing, if anything is measured
};

struct ProductTuneReport {
    size_t products = 0;   // logged products
    size_t problems = 0;   // distinct keys among them
    size_t known = 0;      // keys that had a choice already (not measured)
    size_t tuned = 0;      // keys measured now (each gets a choice)
    size_t changed = 0;    // of those, how many chose other than the default
    size_t timings = 0;    // (key, candidate) pairs timed
    size_t trimmed = 0;    // (key, candidate) pairs left out for the time budget
    double defaultMs = 0;  // one replay of the measured products at the default shapes
    double chosenMs = 0;   // ... at the chosen ones
    double seconds = 0;    // wall time, pipeline builds included
};

// The GEMV shapes tried for `args`, the default first (all zeros), then
// those of the device's family that fit: row-interleaved weights and CPU
// devices the lanes layout; GPUs the groups layout and, for quantized types,
// the blocks layout.
std::vector<MatVecShape> matVecCandidates(const DeviceCaps& caps, const MatVecArgs& args);

// The GEMM tiles tried for `args`, the default first (empty), then the
// register and shared-memory tiles that fit the device (GPU tiles; CPU
// devices, whose prefill takes 8-token GEMVs, only their own default).
std::vector<MatMatTile> matMatCandidates(const DeviceCaps& caps, const MatMatArgs& args, bool gpuTilesOnCpu = false);

// Measures every key of `log` without a choice and records one for each.
// The products' buffers must be live, and their outputs scratch: the
// replays write y (and accumulate into it) many times.
Result<ProductTuneReport> tuneProducts(Device& device, const ProductLog& log, const ProductTuneOptions& options = {});

}  // namespace facet::vk
