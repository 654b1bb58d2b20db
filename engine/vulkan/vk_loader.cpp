#include "vulkan/vk_loader.h"

#include <volk.h>

#include <mutex>
#include <string>

#include "vulkan/vk_error.h"

namespace facet::vk {

namespace {

std::once_flag gOnce;
Status gStatus;
uint32_t gVersion = 0;

}  // namespace

Status loadVulkan() {
    std::call_once(gOnce, [] {
        if (VkResult r = volkInitialize(); r != VK_SUCCESS) {
            gStatus = errorf(
                "Vulkan is not available: the loader libvulkan.so.1 could not be opened (%s); "
                "install libvulkan1 and a driver (e.g. mesa-vulkan-drivers)",
                vkResultName(r).c_str());
            return;
        }
        gVersion = volkGetInstanceVersion();
        if (gVersion < VK_API_VERSION_1_2)
            gStatus = errorf("Vulkan is not usable: the loader supports Vulkan %s, Facet needs 1.2 or newer",
                             apiVersionText(gVersion).c_str());
    });
    return gStatus;
}

uint32_t loaderApiVersion() { return gVersion; }

std::string apiVersionText(uint32_t v) {
    return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) + "." +
           std::to_string(VK_API_VERSION_PATCH(v));
}

}  // namespace facet::vk
