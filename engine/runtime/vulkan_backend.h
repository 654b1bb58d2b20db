// The Vulkan forward pass as a self-contained ForwardPass: loads the Vulkan
// loader, picks a device (options.device / FACET_DEVICE / best type),
// uploads the weights and builds the pass. What the CLI, the benchmark and
// the app use; tests build the pieces themselves to turn validation on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "model/model.h"
#include "runtime/forward_pass.h"

namespace facet {

namespace vk {
class Instance;
class Device;
class DeviceWeights;
class VkForward;
class DispatchProfiler;
}  // namespace vk

struct VulkanBackendOptions {
    std::string device;  // "" = best (or FACET_DEVICE); "N" = index; else a name substring
    int maxContext = 4096;
    int maxBatch = 0;    // 0 = the pass's default
    std::function<void(uint64_t done, uint64_t total)> progress;  // weight upload
};

class VulkanBackend final : public ForwardPass {
public:
    // `model` must outlive the backend.
    static Result<std::unique_ptr<VulkanBackend>> create(const Model& model, const VulkanBackendOptions& options);
    ~VulkanBackend() override;

    Status forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) override;
    Status forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                       std::vector<float>& values) override;
    int nPast() const override;
    int maxContext() const override;
    bool rewind(int pos) override;
    void reset() override;
    const char* backendName() const override { return "vulkan"; }
    bool lost() const override;

    const std::string& deviceName() const;
    // Device-local bytes held: weights plus caches and activations.
    uint64_t deviceBytes() const;
    vk::Device& device() const { return *device_; }
    // Times every later dispatch per shader (timestamp queries); profiler()
    // holds the sums. An error where the device has no timestamps.
    Status enableProfiling();
    vk::DispatchProfiler* profiler() { return profiler_.get(); }

private:
    VulkanBackend() = default;
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    std::unique_ptr<vk::DeviceWeights> weights_;
    std::unique_ptr<vk::VkForward> fwd_;
    std::unique_ptr<vk::DispatchProfiler> profiler_;
};

// Whether a usable Vulkan device exists (loader present, Vulkan 1.2+ with a
// compute queue); `why` gets the reason when not. Cheap enough for startup.
bool vulkanDeviceAvailable(std::string* why = nullptr);

}  // namespace facet
