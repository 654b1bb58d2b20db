// VkForward: the Gemma 4 forward pass as Vulkan compute dispatches (the
// ForwardPass the app, CLI and benchmark use on a GPU). The CPU reference
// (facet::cpu::CpuForward) is its oracle: same batch semantics, same math.
//
// A call runs its tokens in chunks of at most maxBatch; each chunk is one
// command buffer, recorded again per call (positions are push constants)
// with descriptor sets written once and reused (Cmd::setDescriptorReuse).
// While the GPU runs a call's last chunk, the host records the step a
// generator sends next (one token after it, the same kind of output) into a
// second command buffer; the next call submits it at once if it is that
// step. A recording depends only on (position, tokens, output kind) and the
// kernel choices, never on the cache contents, so any call that matches
// may use it.
// The batch's K/V go into the f16 rings before attention reads them, so a
// sliding layer's ring holds window + maxBatch slots; KV-shared layers read
// their source layer's rings. The PLE table stays in host memory: the rows
// of the chunk's tokens are dequantized on the host and uploaded per chunk.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/result.h"
#include "model/model.h"
#include "runtime/forward_pass.h"
#include "runtime/record_stats.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_weights.h"

namespace facet::vk {

class Device;
struct ProductLog;
struct RmsNormThen;

struct VkForwardOptions {
    int maxContext = 4096;
    int maxBatch = 0;  // tokens per submission; 0 = 64 on GPUs, 16 on CPU devices
    // At least this many (a bidirectional image block runs as one submission:
    // the largest image a 26B-A4B/31B session takes).
    int minBatch = 0;
    // Record the likely next decode step while the GPU runs this one (see
    // VkForward): its recording (~1 ms for E2B's 455 dispatches) leaves the
    // critical path. Off: every step records after the last returned.
    bool recordAhead = true;
};

class VkForward final : public ForwardPass {
public:
    // Chunks of at most this many tokens (decode) may split attention over
    // the keys (split-K) to fill a big GPU.
    static constexpr int kSplitTokens = 8;

    // `model` and `weights` must outlive the forward pass. Fails with needed
    // and available bytes when the caches and activations do not fit.
    static Result<std::unique_ptr<VkForward>> create(Device& device, const Model& model,
                                                     const DeviceWeights& weights, const VkForwardOptions& options);
    ~VkForward() override;

    Status forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) override;
    // Image rows: each is copied over its tokens' embeddings; a chunk ends
    // before a bidirectional block that would not fit it, so the block runs
    // whole (it may hold at most maxBatch tokens).
    Status forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected, bool allLogits,
                           std::vector<float>& logits) override;
    // The k best (id, softcapped logit) of the last token, best first, chosen
    // on the GPU: a decode step reads back 8·k bytes instead of the vocabulary.
    Status forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                       std::vector<float>& values) override;
    int nPast() const override { return nPast_; }
    int maxContext() const override { return maxContext_; }
    bool rewind(int pos) override;
    void reset() override { nPast_ = 0; }
    const char* backendName() const override { return "vulkan"; }

    // Device bytes of the caches, activations and constants (not weights).
    uint64_t deviceBytes() const;
    int maxBatch() const { return maxBatch_; }
    // Descriptor sets written so far (they are reused by later steps).
    size_t descriptorSets() const;
    // Per-shader GPU times of later calls go to `profiler` (nullptr: off).
    // Steps are not recorded ahead while profiling (one profiler, one recording).
    void setProfiler(DispatchProfiler* profiler);
    // Chunks that ran a recording made ahead (VkForwardOptions::recordAhead).
    uint64_t stepsRecordedAhead() const { return aheadUsed_; }
    // What the decode steps (one-token chunks) ran so far recorded.
    DecodeRecordStats decodeRecordStats() const { return decodeStats_; }
    void resetDecodeRecordStats() { decodeStats_ = {}; }
    // Runs a prefill chunk (maxBatch tokens, as the context allows) and a
    // decode step, each from position 0, with the products they record at
    // the device's shapes appended to `log` (Cmd::setProductLog), then
    // resets the pass: what the kernel tuner replays. The logged buffers
    // live as long as this pass.
    Status logProducts(ProductLog& log);

private:
    struct Layer;     // per-layer constants and cache slices
    struct Scratch;   // activation buffers, sized for maxBatch tokens

    VkForward(Device& device, const Model& model, const DeviceWeights& weights);
    Status allocate(const VkForwardOptions& options);
    Status checkTokens(const std::vector<int>& tokens) const;
    // Records and runs one chunk; logits of rows [firstOut, n) go to the
    // logits buffer (softcapped), and with topK > 0 their top-k to the readback.
    // `last`: the call's last chunk, after which the next step is recorded ahead.
    // `images`: the chunk's injected rows, begin/end relative to the chunk.
    Status runChunk(const int* tokens, int n, int firstOut, uint32_t topK, bool last,
                    const std::vector<InjectedRows>& images = {});
    // Records a chunk of n tokens at pos0_ into `c` (begin to end).
    Status record(Cmd& c, int n, int firstOut, uint32_t topK, const std::vector<InjectedRows>& images);
    Status writeInputs(const int* tokens, int n, const std::vector<InjectedRows>& images);
    // The next chunk's length from `off`: at most `limit`, ending before a
    // bidirectional block that would straddle its end.
    int chunkLength(int off, int total, int limit, const std::vector<InjectedRows>& injected) const;
    Status recordEmbedding(int n);
    Status recordLayer(int il, int n);
    Status recordAttention(int il, int n);
    Status recordFeedForward(int il, int n);
    Status recordMoe(int il, int n);
    Status recordPle(int il, int n);
    Status recordOutput(int n, int firstOut, uint32_t topK);
    // A layer's closing norm: its scalar, then the next pre-norm into s.a.
    RmsNormThen layerEnd(int il) const;
    // Floats per token of s.qkv in layer il: its q heads, k heads, v heads.
    uint32_t qkvStride(int il) const;
    // Where a block's product writes its output: the attention output, the
    // FFN down product and the PLE projection, each closed by a norm.
    enum TailSite { kTailAttnOut, kTailFfnDown, kTailPleProj, kTailSites };
    // s.o = W · in, then s.x = (norm(s.o)·postWeight + s.x) and `then`: in
    // the product's last workgroup (mat_vec_tail.h) where it can, else an
    // rms_norm dispatch; a barrier after.
    Status recordClosedProduct(int il, TailSite site, const DeviceTensor& w, uint32_t cols, const BufferSlice& in,
                               int n, const BufferSlice& postWeight, const RmsNormThen& then);
    Status recordQkv(int il, int n);   // the q, k, v products
    Status recordRopes(int il, int n); // their norms, RoPE and the KV-ring store
    const DeviceTensor& tensor(const TensorView* view) const;

    Device& dev_;
    const Model& model_;
    const ModelDesc& d_;
    const DeviceWeights& w_;
    std::unique_ptr<Cmd> cmds_[2];  // the chunk in flight and the step recorded ahead
    Cmd* cmd_ = nullptr;            // the one being recorded
    struct Ahead {
        bool valid = false;
        int slot = 0, pos0 = 0, n = 0, firstOut = 0;
        uint32_t topK = 0;
    } ahead_;
    bool recordAhead_ = true;
    bool recordAheadPaused_ = false;  // while profiling
    uint64_t aheadUsed_ = 0;
    DecodeRecordStats decodeStats_;
    std::unique_ptr<MemoryArena> arena_;     // caches, activations, constants
    std::unique_ptr<Buffer> input_;          // host-visible: ids, PLE token rows, image rows
    std::unique_ptr<Buffer> readback_;       // host-readable logits / top-k
    std::vector<float> pleRows_;             // the chunk's PLE rows, formed on the host
    std::vector<Layer> layers_;
    std::unique_ptr<Scratch> s_;
    int maxContext_ = 0, maxBatch_ = 0;
    int splitTokens_ = kSplitTokens;  // chunks of at most this many tokens get split-K scratch
    int nPast_ = 0;
    int pos0_ = 0;  // position of the chunk being recorded
    std::vector<InjectedRows> images_;  // of the chunk being recorded (chunk-relative)
};

}  // namespace facet::vk
