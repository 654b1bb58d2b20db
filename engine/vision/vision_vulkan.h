// VisionVulkan: the Gemma 4 vision tower (spec gemma4-vision.md §4-§5) on a
// Vulkan device, with the contract of encodeImageCpu (its oracle,
// vision_forward.h): the same input, checks, messages and soft tokens.
//
// One picture is one command buffer. The host cuts the picture into patches
// (im2col, the conv kernel's (c, ky, kx) order) and adds the two position
// rows of each patch; the GPU runs the patch product on top of them, every
// encoder block over all patches at once (recordLinear: the GEMM on GPUs,
// 8-patch GEMV groups on CPU devices, as EmbeddingVulkan; attention_bidir on
// GPUs, attention_lanes on CPU devices), the pooling, the weightless norm and
// the projection, and the host reads the soft tokens back. Activations are
// float32 throughout; each lives in one storage binding, which bounds the
// patches of a picture (maxPatches()). The steps: vision_vulkan_record.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/tensor_view.h"
#include "vision/vision_forward.h"
#include "vision/vision_model.h"
#include "vulkan/vk_weights.h"

namespace facet {

namespace vk {
class Instance;
class Device;
class DispatchProfiler;
}  // namespace vk

struct VisionVulkanOptions {
    vk::WeightUploadOptions upload;  // tests force weight pieces (maxPieceBytes)
    // Test hook: ignore the linears' clamp bounds, to show a test sees them.
    bool skipClamps = false;
    // Test hook: attention_bidir (the GPUs' attention) on CPU devices too.
    bool bidirAttention = false;
    // GPU time per shader of every picture (facet-bench --vision --profile); must outlive the tower.
    vk::DispatchProfiler* profiler = nullptr;
};

class VisionVulkan {
public:
    // `device` and `model` must outlive the tower. Uploads the weights; fails
    // naming the tensor when a matrix has a type the shaders cannot read.
    static Result<std::unique_ptr<VisionVulkan>> create(vk::Device& device, const VisionModel& model,
                                                        const VisionVulkanOptions& options = {});
    // Self-contained (the CLI's, the benchmark's): loads the Vulkan loader and
    // picks a device ("" = best or FACET_DEVICE, "N" = index, else a name
    // substring), as EmbeddingVulkan::open. `model` must outlive the tower.
    static Result<std::unique_ptr<VisionVulkan>> open(const VisionModel& model, const std::string& device,
                                                      const VisionVulkanOptions& options = {});
    ~VisionVulkan();
    VisionVulkan(const VisionVulkan&) = delete;
    VisionVulkan& operator=(const VisionVulkan&) = delete;

    // As encodeImageCpu (same checks and messages for bad input), plus a
    // picture of more than maxPatches() patches is refused.
    Result<SoftTokens> encode(const std::vector<float>& input, int width, int height);

    const std::string& deviceName() const;
    // A CPU implementation of Vulkan (lavapipe): callers may prefer the CPU reference.
    bool onCpuDevice() const;
    // The most patches one picture may have: every activation must fit one
    // storage binding (lavapipe: 128 MiB, 10922 patches of the E2B tower).
    int maxPatches() const { return maxPatches_; }

private:
    struct Layer;    // per-layer constants
    struct Scratch;  // activations for `capacity` patches
    struct Grid;     // the picture's patch grid

    VisionVulkan(vk::Device& device, const VisionModel& model, const VisionVulkanOptions& options);
    Status setUp();
    Status ensureCapacity(int patches);
    Status stageInput(const std::vector<float>& input, int width, int height, const Grid& g);
    Status record(const Grid& g);
    Status recordAttention(int il, const Grid& g);
    Status recordFeedForward(int il, const Grid& g);
    Status recordShared(int il, const VisionLinear* which, const vk::BufferSlice* outs, int count,
                        const vk::BufferSlice& x, uint32_t n);
    Status recordClamp(const vk::BufferSlice& x, const vk::BufferSlice& out, uint32_t n, uint32_t width, float lo,
                       float hi);
    Status recordOutputClamps(int il, const VisionLinear* which, const vk::BufferSlice* outs, int count, uint32_t n);
    const ClampBounds& bounds(int il, VisionLinear which) const;
    const vk::DeviceTensor& tensor(const TensorView& view) const;
    const vk::DeviceTensor& linear(int il, VisionLinear which) const;

    std::unique_ptr<vk::Instance> ownInstance_;  // open() only; declared first, destroyed last
    std::unique_ptr<vk::Device> ownDevice_;
    vk::Device& dev_;
    const VisionModel& m_;
    const VisionDesc& d_;
    VisionVulkanOptions options_;
    TensorView kernel_;  // v.patch_embd viewed as [E][3p²]: the patch product's matrix
    std::unique_ptr<vk::DeviceWeights> weights_;
    std::unique_ptr<vk::Buffer> constants_;  // norm vectors, out scales, RoPE table, std bias/scale
    std::vector<Layer> layers_;
    std::unique_ptr<Scratch> s_;
    int maxPatches_ = 0;
};

}  // namespace facet
