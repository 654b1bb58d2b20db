// How much memory the host can still give: what a CPU Vulkan device
// (lavapipe) really has, since its driver reports a made-up heap size.
#pragma once

#include <cstdint>

namespace facet {

// Bytes of physical memory available for new allocations without swapping
// (Linux: MemAvailable of /proc/meminfo, which counts reclaimable caches;
// elsewhere the free pages). 0 when unknown.
uint64_t hostAvailableMemory();

}  // namespace facet
