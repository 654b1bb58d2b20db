// The Vulkan loader, opened at run time through volk (dlopen of libvulkan.so.1),
// so a machine without Vulkan still runs the CPU engine and the app starts.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace facet::vk {

// Loads the loader once per process (later calls return the first outcome).
// Fails with a one-line reason when libvulkan is missing or too old.
Status loadVulkan();

// Highest instance version the loader supports (VK_MAKE_API_VERSION); 0 until
// loadVulkan() has succeeded.
uint32_t loaderApiVersion();

// "1.3.239"
std::string apiVersionText(uint32_t version);

}  // namespace facet::vk
