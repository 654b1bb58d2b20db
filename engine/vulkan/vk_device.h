// The logical device: one compute queue, the features DeviceCaps says are on
// (probed, minus what options and FACET_VK_* switched off), memory-type
// choice and per-heap accounting, and the lazily built pipelines.
#pragma once

#include <volk.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk {

class Instance;
class KernelChoices;
class PipelineLibrary;

// An anchor object like Instance: buffers, pipelines and command buffers keep
// a reference, so it is neither copied nor moved, and must outlive them.
class Device {
public:
    // Lists the devices, picks one per options.select / FACET_DEVICE (see
    // chooseDevice) and creates it.
    static Result<std::unique_ptr<Device>> create(Instance& instance, const DeviceOptions& options = {});
    // A specific physical device from listDevices(instance).
    static Result<std::unique_ptr<Device>> create(Instance& instance, const DeviceInfo& info,
                                                  const DeviceOptions& options);
    ~Device();
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    Instance& instance() const { return instance_; }
    VkDevice handle() const { return device_; }
    VkPhysicalDevice physical() const { return info_.physical; }
    VkQueue queue() const { return queue_; }
    uint32_t queueFamily() const { return caps_.computeQueueFamily; }
    uint32_t index() const { return info_.index; }
    // What shaders may use: probed capabilities minus what is switched off.
    const DeviceCaps& caps() const { return caps_; }
    // As probed, before options.
    const DeviceCaps& probedCaps() const { return info_.caps; }
    const std::string& name() const { return caps_.name; }
    // DeviceOptions' kernel tuning (zeros: the ops' defaults).
    const std::array<uint32_t, 5>& matMatTileOverride() const { return matMatTile_; }
    const std::array<uint32_t, 3>& matVecShapeOverride() const { return matVecShape_; }
    uint32_t matVecLayoutOverride() const { return matVecLayout_; }
    // DeviceOptions::noRowTiles: weights stay row after row (matVecTileRows 0).
    bool rowTilesOff() const { return noRowTiles_; }
    // DeviceOptions::noQkvFusion / noRopeFusion (the forward's fused steps).
    bool qkvFusionOff() const { return noQkvFusion_; }
    bool ropeFusionOff() const { return noRopeFusion_; }
    // DeviceOptions::noTailFusion (matVecCanTail says no).
    bool tailFusionOff() const { return noTailFusion_; }
    // DeviceOptions::noBarrierTracking (Cmd::setBarrierTracking for the forward).
    bool barrierTrackingOff() const { return noBarrierTracking_; }
    // Per-problem kernel shapes measured on this device (the kernel tuner's,
    // or loaded from its file); the ops use them where nothing above is set.
    KernelChoices& kernelChoices() { return *choices_; }
    const KernelChoices& kernelChoices() const { return *choices_; }

    // The memory type among `typeBits` that has all of `required`, then the
    // most of `preferred`, then the fewest of `avoided`, then the lowest index.
    Result<uint32_t> findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred,
                                    VkMemoryPropertyFlags avoided, const std::string& what) const;
    const VkPhysicalDeviceMemoryProperties& memoryProperties() const { return memory_; }

    // Bytes still free in a heap: the VK_EXT_memory_budget budget minus usage
    // when the device has it, else the heap size minus this Device's
    // allocations; never more than DeviceOptions::memoryLimit minus them.
    uint64_t heapAvailable(uint32_t heap) const;
    uint64_t heapAllocated(uint32_t heap) const { return heap < kMaxHeaps ? allocated_[heap].load() : 0; }
    // Called by Buffer on allocate (+) and free (-).
    void noteAllocation(uint32_t heap, int64_t bytes);

    // vkQueueSubmit on the one queue (externally synchronized: this holds the
    // lock). `name` is the command buffer's, for DeviceOptions' fault injection.
    VkResult submit(const VkSubmitInfo& info, VkFence fence, const std::string& name);

    // Latched by the first VK_ERROR_DEVICE_LOST; later submissions fail fast.
    bool lost() const { return lost_.load(); }
    void markLost() { lost_.store(true); }

    PipelineLibrary& pipelines() { return *pipelines_; }

    Status waitIdle();

private:
    Device(Instance& instance, const DeviceInfo& info, const DeviceCaps& caps);

    static constexpr uint32_t kMaxHeaps = VK_MAX_MEMORY_HEAPS;
    uint64_t driverHeapAvailable(uint32_t heap) const;

    Instance& instance_;
    DeviceInfo info_;
    DeviceCaps caps_;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    VkPhysicalDeviceMemoryProperties memory_{};
    std::array<std::atomic<uint64_t>, kMaxHeaps> allocated_{};
    std::mutex queueMutex_;
    std::atomic<bool> lost_{false};
    uint64_t memoryLimit_ = 0;
    std::string loseDeviceOn_;
    uint32_t loseDeviceAtSubmit_ = 0, matchingSubmits_ = 0;  // guarded by queueMutex_
    std::array<uint32_t, 5> matMatTile_{};
    std::array<uint32_t, 3> matVecShape_{};
    uint32_t matVecLayout_ = 0;
    bool noRowTiles_ = false;
    bool noQkvFusion_ = false, noRopeFusion_ = false, noBarrierTracking_ = false;
    bool noTailFusion_ = false;
    std::unique_ptr<KernelChoices> choices_;
    std::unique_ptr<PipelineLibrary> pipelines_;
};

}  // namespace facet::vk
