// The Vulkan forward pass as a self-contained ForwardPass: loads the Vulkan
// loader, picks a device (options.device / FACET_DEVICE / best type),
// uploads the weights and builds the pass. What the CLI, the benchmark and
// the app use; tests build the pieces themselves to turn validation on.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "model/model.h"
#include "runtime/forward_pass.h"
#include "runtime/record_stats.h"

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
    int minBatch = 0;    // at least this many tokens per submission (VkForwardOptions::minBatch)
    std::function<void(uint64_t done, uint64_t total)> progress;  // weight upload
    // The kernel tuner (vulkan/ops/product_tuner.h: decode GEMV shapes,
    // prefill GEMM tiles) at load:
    // -1 on GPUs (CPU devices keep the shapes measured for llvmpipe), 0 off,
    // 1 on any device. FACET_VK_TUNE=0|1 overrides.
    int tune = -1;
    // Seconds per product family the tuner may spend (0 = no budget: every
    // candidate; FACET_VK_TUNE_BUDGET=SECONDS overrides), and how many
    // candidates per problem it tries at most (0 = all; FACET_VK_TUNE_CANDIDATES=N
    // overrides; tests keep loads short with a count, which no machine's load
    // can change).
    double tuneBudgetSeconds = 15;
    uint32_t tuneMaxCandidates = 0;
    // Where measured shapes persist, so a device measures each problem once:
    // nullopt = vk::defaultKernelChoicesPath(), "" = nowhere.
    std::optional<std::string> kernelChoicesPath;
    // Called (on the loading thread) when the tuner starts measuring, which
    // takes seconds, so a UI can say why the load pauses after the upload.
    std::function<void()> tuning;
};

// What the kernel tuner did at load.
struct KernelTuning {
    bool ran = false;
    size_t problems = 0;   // distinct products of a prefill chunk and a decode step
    size_t loaded = 0;     // choices read from the file for this device
    size_t measured = 0;   // problems timed now
    size_t changed = 0;    // of those, how many left the default shape
    double defaultMs = 0, chosenMs = 0;  // the measured products of a chunk and a step, default vs chosen
    double seconds = 0;
    std::string message;   // one line for logs; also why it did not run, or a (non-fatal) failure
};

class VulkanBackend final : public ForwardPass {
public:
    // `model` must outlive the backend.
    static Result<std::unique_ptr<VulkanBackend>> create(const Model& model, const VulkanBackendOptions& options);
    ~VulkanBackend() override;

    Status forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) override;
    Status forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                       std::vector<float>& values) override;
    Status forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected, bool allLogits,
                           std::vector<float>& logits) override;
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
    // Dispatches and barriers the decode steps recorded (VkForward::decodeRecordStats).
    DecodeRecordStats decodeRecordStats() const;
    void resetDecodeRecordStats();
    const KernelTuning& kernelTuning() const { return tuning_; }

private:
    VulkanBackend() = default;
    void tuneKernels(const VulkanBackendOptions& options);
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    std::unique_ptr<vk::DeviceWeights> weights_;
    std::unique_ptr<vk::VkForward> fwd_;
    std::unique_ptr<vk::DispatchProfiler> profiler_;
    KernelTuning tuning_;
};

// Whether a usable Vulkan device exists (loader present, Vulkan 1.2+ with a
// compute queue); `why` gets the reason when not. Cheap enough for startup.
bool vulkanDeviceAvailable(std::string* why = nullptr);

}  // namespace facet
