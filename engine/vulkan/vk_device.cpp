#include "vulkan/vk_device.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "core/host_memory.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_kernel_choices.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

Device::Device(Instance& instance, const DeviceInfo& info, const DeviceCaps& caps)
    : instance_(instance), info_(info), caps_(caps) {}

Result<std::unique_ptr<Device>> Device::create(Instance& instance, const DeviceOptions& options) {
    FACET_ASSIGN(DeviceOptions opts, options.withEnv());
    FACET_ASSIGN(std::vector<DeviceInfo> devices, listDevices(instance));
    FACET_ASSIGN(size_t pick, chooseDevice(devices, opts.select));
    return create(instance, devices[pick], opts);
}

Result<std::unique_ptr<Device>> Device::create(Instance& instance, const DeviceInfo& info,
                                               const DeviceOptions& options) {
    if (!info.usable)
        return errorf("Vulkan device %u (%s) is not usable: %s", info.index, info.caps.name.c_str(),
                      info.unusableReason.c_str());
    FACET_ASSIGN(DeviceOptions opts, options.withEnv());
    const DeviceCaps caps = applyOptions(info.caps, opts);
    std::unique_ptr<Device> dev(new Device(instance, info, caps));
    dev->memoryLimit_ = opts.memoryLimit;
    dev->loseDeviceOn_ = opts.loseDeviceOn;
    dev->loseDeviceAtSubmit_ = opts.loseDeviceAtSubmit;
    dev->matMatTile_ = opts.matMatTile;
    dev->matVecShape_ = opts.matVecShape;
    dev->matVecLayout_ = opts.matVecLayout;
    dev->noRowTiles_ = opts.noRowTiles;
    dev->noQkvFusion_ = opts.noQkvFusion;
    dev->noRopeFusion_ = opts.noRopeFusion;
    dev->noTailFusion_ = opts.noTailFusion;
    dev->noBarrierTracking_ = opts.noBarrierTracking;
    dev->choices_ = std::make_unique<KernelChoices>(kernelDeviceId(caps));

    const float priority = 1.0f;
    auto qci = vkStruct<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
    qci.queueFamilyIndex = caps.computeQueueFamily;
    qci.queueCount = 1;
    qci.pQueuePriorities = &priority;

    // Enable exactly what caps() reports, so a switched-off feature is also
    // off for the driver (the validation layer then flags any shader using it).
    auto ssc = vkStruct<VkPhysicalDeviceSubgroupSizeControlFeatures>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_FEATURES);
    ssc.subgroupSizeControl = caps.subgroupSizeControl;
    ssc.computeFullSubgroups = caps.computeFullSubgroups;
    auto f12 = vkStruct<VkPhysicalDeviceVulkan12Features>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
    f12.shaderFloat16 = caps.fp16;
    f12.shaderInt8 = caps.int8;
    f12.storageBuffer8BitAccess = caps.storage8;
    f12.uniformAndStorageBuffer8BitAccess = caps.uniformAndStorage8;
    if (caps.subgroupSizeControl) f12.pNext = &ssc;
    auto f11 = vkStruct<VkPhysicalDeviceVulkan11Features>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES);
    f11.storageBuffer16BitAccess = caps.storage16;
    f11.uniformAndStorageBuffer16BitAccess = caps.uniformAndStorage16;
    f11.pNext = &f12;
    auto features = vkStruct<VkPhysicalDeviceFeatures2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
    features.features.shaderInt16 = caps.int16;
    features.features.shaderInt64 = caps.int64;
    features.pNext = &f11;
    auto idot = vkStruct<VkPhysicalDeviceShaderIntegerDotProductFeatures>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES);
    idot.shaderIntegerDotProduct = VK_TRUE;
    if (caps.integerDotProduct) {  // mat_vec_dot's OpSDot/OpSUDot
        idot.pNext = features.pNext;
        features.pNext = &idot;
    }

    std::vector<const char*> extensions;
    if (caps.subgroupSizeControl && info.needsSubgroupSizeControlExtension)
        extensions.push_back(VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
    if (caps.memoryBudget) extensions.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    if (caps.integerDotProduct && info.needsIntegerDotProductExtension)
        extensions.push_back(VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);

    auto ci = vkStruct<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
    ci.pNext = &features;
    ci.queueCreateInfoCount = 1;
    ci.pQueueCreateInfos = &qci;
    ci.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    ci.ppEnabledExtensionNames = extensions.data();
    if (VkResult r = vkCreateDevice(info.physical, &ci, nullptr, &dev->device_); r != VK_SUCCESS)
        return vkError("vkCreateDevice", caps.name, r);
    vkGetDeviceQueue(dev->device_, caps.computeQueueFamily, 0, &dev->queue_);
    vkGetPhysicalDeviceMemoryProperties(info.physical, &dev->memory_);
    dev->pipelines_ = std::make_unique<PipelineLibrary>(*dev);
    return dev;
}

Device::~Device() {
    if (device_ == VK_NULL_HANDLE) return;
    vkDeviceWaitIdle(device_);
    pipelines_.reset();  // pipelines before the device they belong to
    vkDestroyDevice(device_, nullptr);
}

Result<uint32_t> Device::findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required,
                                        VkMemoryPropertyFlags preferred, VkMemoryPropertyFlags avoided,
                                        const std::string& what) const {
    int best = -1;
    int bestPreferred = -1, bestAvoided = 0;
    for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
        if (!(typeBits & (1u << i))) continue;
        const VkMemoryPropertyFlags f = memory_.memoryTypes[i].propertyFlags;
        if ((f & required) != required) continue;
        const int p = std::popcount(f & preferred);
        const int a = std::popcount(f & avoided);
        if (p > bestPreferred || (p == bestPreferred && a < bestAvoided)) {
            best = static_cast<int>(i);
            bestPreferred = p;
            bestAvoided = a;
        }
    }
    if (best < 0)
        return errorf("%s: %s has no memory type with flags 0x%x among types 0x%x", what.c_str(), caps_.name.c_str(),
                      static_cast<unsigned>(required), typeBits);
    return static_cast<uint32_t>(best);
}

uint64_t Device::heapAvailable(uint32_t heap) const {
    if (heap >= memory_.memoryHeapCount) return 0;
    uint64_t avail = driverHeapAvailable(heap);
    if (memoryLimit_) {
        const uint64_t used = allocated_[heap].load();
        avail = std::min(avail, memoryLimit_ > used ? memoryLimit_ - used : 0);
    }
    return avail;
}

VkResult Device::submit(const VkSubmitInfo& info, VkFence fence, const std::string& name) {
    std::lock_guard lock(queueMutex_);
    if (loseDeviceAtSubmit_ && name.rfind(loseDeviceOn_, 0) == 0 && ++matchingSubmits_ == loseDeviceAtSubmit_) {
        markLost();
        return VK_ERROR_DEVICE_LOST;
    }
    return vkQueueSubmit(queue_, 1, &info, fence);
}

uint64_t Device::driverHeapAvailable(uint32_t heap) const {
    // A CPU device's memory is the host's, and its heap size is made up:
    // lavapipe (Mesa 22.3) reports 2 GiB on any machine, which would refuse
    // E2B Q8_0 (2.3 GiB of weights) on a 24 GiB one.
    if (caps_.type == DeviceType::Cpu)
        if (const uint64_t host = hostAvailableMemory()) return host;
    if (caps_.memoryBudget) {
        auto budget = vkStruct<VkPhysicalDeviceMemoryBudgetPropertiesEXT>(
            VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT);
        auto props = vkStruct<VkPhysicalDeviceMemoryProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2);
        props.pNext = &budget;
        vkGetPhysicalDeviceMemoryProperties2(info_.physical, &props);
        const uint64_t b = budget.heapBudget[heap], u = budget.heapUsage[heap];
        return b > u ? b - u : 0;
    }
    const uint64_t size = memory_.memoryHeaps[heap].size, used = allocated_[heap].load();
    return size > used ? size - used : 0;
}

void Device::noteAllocation(uint32_t heap, int64_t bytes) {
    if (heap < kMaxHeaps) allocated_[heap].fetch_add(static_cast<uint64_t>(bytes));
}

Status Device::waitIdle() {
    if (VkResult r = vkDeviceWaitIdle(device_); r != VK_SUCCESS) {
        if (r == VK_ERROR_DEVICE_LOST) markLost();
        return vkError("vkDeviceWaitIdle", caps_.name, r);
    }
    return {};
}

}  // namespace facet::vk
