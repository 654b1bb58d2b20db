// Vulkan results as Facet errors (house style rule 5): the call, what it was
// doing (object name, size) and the VkResult by name.
//   vkError("vkAllocateMemory", "weights, 1.2 GiB", r)
//     -> "vkAllocateMemory(weights, 1.2 GiB): VK_ERROR_OUT_OF_DEVICE_MEMORY"
#pragma once

#include <volk.h>

#include <cstdint>
#include <string>

#include "core/result.h"

namespace facet::vk {

// "VK_ERROR_DEVICE_LOST"; "VkResult(-12345)" for values this header predates.
std::string vkResultName(VkResult r);

// VK_ERROR_DEVICE_LOST gets a hint that the device must be recreated.
Error vkError(const char* call, const std::string& what, VkResult r);

// "512 B", "3.0 KiB", "1.2 GiB" (binary units, one decimal above 1 KiB).
std::string formatBytes(uint64_t bytes);

// A zeroed Vulkan struct with its sType set:
//   auto bci = vkStruct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
template <typename T>
T vkStruct(VkStructureType type) {
    T s{};
    s.sType = type;
    return s;
}

}  // namespace facet::vk
