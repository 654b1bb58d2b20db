// What the decode steps a Vulkan pass ran recorded, summed: dispatches and
// pipeline barriers, exact (taken from the recordings, those made ahead
// included). facet-bench divides them by the steps for its per-token counts.
#pragma once

#include <cstdint>

namespace facet {

struct DecodeRecordStats {
    uint64_t steps = 0, dispatches = 0, barriers = 0;
};

}  // namespace facet
