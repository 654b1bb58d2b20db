// EmbeddingVulkan: the EmbeddingGemma forward on a Vulkan device, with the
// contract of EmbeddingForward (its oracle, embedding_forward.h): one
// unit-length vector per sequence, Matryoshka truncation, a trace of the
// pooled stages.
//
// The sequences of a call are packed into chunks of whole sequences (at most
// maxTokens tokens each, or one longer sequence alone); a chunk is one command
// buffer: every matrix product runs over all of its tokens (recordLinear: the
// GEMM on GPUs, 8-token GEMV groups on CPU devices, which llvmpipe runs
// faster), attention (attention_bidir) keeps each token inside its own
// sequence. The weights are stored in pieces that each fit one binding
// (DeviceWeights), so the real token_embd (262144 x 768) is gathered by
// get_rows across its pieces. Activations are
// float32 throughout (float16 activations break this model). The GPU ends
// with output_norm per token; the host reads those rows back and does what
// is per sequence and tiny next to the 24 layers: the mean (in double, as the
// CPU), dense_2/dense_3 (cpu::matmul on the same weights) and the L2 norm.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "vulkan/vk_weights.h"

namespace facet {

namespace vk {
class Instance;
class Device;
}  // namespace vk

struct EmbeddingVulkanOptions {
    int maxTokens = 4096;  // tokens per chunk; capped so that every activation fits one binding
    vk::WeightUploadOptions upload;  // tests force weight pieces (maxPieceBytes)
};

class EmbeddingVulkan {
public:
    // `device` and `model` must outlive the pass. Uploads the weights; fails
    // naming the tensor when a matrix has a type the shaders cannot read.
    static Result<std::unique_ptr<EmbeddingVulkan>> create(vk::Device& device, const EmbeddingModel& model,
                                                           const EmbeddingVulkanOptions& options = {});
    // Self-contained (the CLI's, the benchmark's): loads the Vulkan loader and
    // picks a device ("" = best or FACET_DEVICE, "N" = index, else a name
    // substring), as VulkanBackend does. `model` must outlive the pass.
    static Result<std::unique_ptr<EmbeddingVulkan>> open(const EmbeddingModel& model, const std::string& device,
                                                         const EmbeddingVulkanOptions& options = {});
    ~EmbeddingVulkan();
    EmbeddingVulkan(const EmbeddingVulkan&) = delete;
    EmbeddingVulkan& operator=(const EmbeddingVulkan&) = delete;

    // As EmbeddingForward::embed (same checks and messages for bad input).
    Result<std::vector<std::vector<float>>> embed(const std::vector<std::vector<int>>& sequences, int dim = 0,
                                                  std::vector<EmbeddingTrace>* trace = nullptr);

    const std::string& deviceName() const;
    // A CPU implementation of Vulkan (lavapipe): callers may prefer the CPU reference.
    bool onCpuDevice() const;
    int maxTokens() const { return maxTokens_; }
    // Chunks (command buffers) the last embed() call ran.
    int lastChunks() const { return lastChunks_; }

private:
    struct Layer;    // per-layer constants
    struct Scratch;  // activations for `capacity` tokens
    struct Chunk;    // the packed sequences of one submission

    EmbeddingVulkan(vk::Device& device, const EmbeddingModel& model);
    Status setUp(const EmbeddingVulkanOptions& options);
    Status ensureCapacity(int tokens);
    Status runChunk(const Chunk& c);
    Status record(const Chunk& c);
    Status recordAttention(int il, const Chunk& c);
    Status recordFeedForward(int il, const Chunk& c);
    const vk::DeviceTensor& tensor(const TensorView& view) const;
    // Mean of the rows [t0, t1) read back, dense head, `dim` values normalized.
    void pool(const float* rows, int t0, int t1, int dim, std::vector<float>& out, EmbeddingTrace* trace) const;

    std::unique_ptr<vk::Instance> ownInstance_;  // open() only; declared first, destroyed last
    std::unique_ptr<vk::Device> ownDevice_;
    vk::Device& dev_;
    const EmbeddingModel& m_;
    const EmbeddingDesc& d_;
    std::unique_ptr<vk::DeviceWeights> weights_;
    std::unique_ptr<vk::Buffer> constants_;  // norm vectors and RoPE tables
    std::vector<Layer> layers_;
    std::unique_ptr<Scratch> s_;
    int maxTokens_ = 0;
    int lastChunks_ = 0;
};

}  // namespace facet
