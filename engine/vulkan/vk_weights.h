// DeviceWeights: a model's weights in device-local memory (issue: Vulkan
// engine, "Memory"). Each tensor is stored as whole-row pieces, every piece
// small enough for one storage binding (maxStorageBufferRange) and one
// allocation block, so lavapipe's 128 MiB limit splits the token embedding /
// tied head and big FFN or expert tensors into row windows. The PLE table
// (per_layer_token_embd) stays in host memory: only the rows of the current
// tokens go to the GPU, per step. On CPU devices Q4_0/Q8_0/Q4_K/Q5_K/Q6_K matrices are
// stored row-interleaved (row_interleave.h, TensorPiece::tileRows), which
// their GEMV streams ~1.5x faster.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "model/model.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Device;

struct DeviceTensor {
    const TensorView* view = nullptr;
    std::vector<TensorPiece> pieces;   // in row order, covering every row
    // The piece holding `row`, or nullptr.
    const TensorPiece* pieceOf(int64_t row) const;
};

struct WeightUploadOptions {
    uint64_t maxPieceBytes = 0;  // 0 = min(maxStorageBufferRange, allocation limit); tests force splits
    uint64_t budgetBytes = 0;    // 0 = the device-local memory the driver reports free; else a user cap
    std::function<void(uint64_t done, uint64_t total)> progress;
    // Tile rows of the row-interleaved storage of the matrices the lanes
    // GEMV reads fastest that way (matVecCanInterleave; not MoE experts):
    // -1 the device's choice (matVecTileRows), 0 none; tests force tiles.
    int32_t tileRows = -1;
    // Store each layer's attn_q, attn_k and attn_v (q and k where V is K)
    // back to back in one slab, so that one product computes all three
    // (DeviceWeights::joined): the decode step's dispatches are its cost on
    // GPUs. Only where the three share type and width and fit one piece.
    // False: FACET_VK_NO_QKV_FUSION (Device::qkvFusionOff).
    bool joinQkv = true;
};

class DeviceWeights {
public:
    ~DeviceWeights();
    DeviceWeights(const DeviceWeights&) = delete;
    DeviceWeights& operator=(const DeviceWeights&) = delete;

    // Uploads every bound tensor but the PLE table. Fails before allocating
    // when the device-local heap cannot hold them, naming needed and available bytes.
    static Result<std::unique_ptr<DeviceWeights>> upload(Device& device, const Model& model,
                                                         const WeightUploadOptions& options = {});
    // The same for any list of bound tensors (an embedding model's); `what`
    // (the file) names the weights in errors. A tensor listed twice is stored once.
    static Result<std::unique_ptr<DeviceWeights>> uploadTensors(Device& device, const std::string& what,
                                                                const std::vector<const TensorView*>& tensors,
                                                                const WeightUploadOptions& options = {});
    // Tensors to store back to back where they can be (the first one names the slab).
    using JoinGroups = std::vector<std::vector<const TensorView*>>;

    const DeviceTensor* find(const TensorView* view) const;
    // The slab of tensors stored back to back (WeightUploadOptions::joinQkv),
    // found by its first one (a layer's attn_q): one tensor of all their rows
    // in order, its view named "blk.N.attn_qkv.weight"; nullptr where they
    // were not joined. find() still gives each part, a slice of the slab.
    const DeviceTensor* joined(const TensorView* first) const;
    uint64_t deviceBytes() const { return deviceBytes_; }
    size_t pieceCount() const;

private:
    DeviceWeights() = default;
    static Result<std::unique_ptr<DeviceWeights>> uploadJoined(Device& device, const std::string& what,
                                                               const std::vector<const TensorView*>& tensors,
                                                               const JoinGroups& groups,
                                                               const WeightUploadOptions& options);
    std::unique_ptr<MemoryArena> arena_;
    std::unordered_map<const TensorView*, DeviceTensor> tensors_;
    std::unordered_map<const TensorView*, DeviceTensor> joined_;     // by the first part
    std::vector<std::unique_ptr<TensorView>> joinedViews_;           // their views (stable addresses)
    uint64_t deviceBytes_ = 0;
};

// Bytes the upload would place on the device (every bound tensor but the PLE table).
uint64_t deviceWeightBytes(const Model& model);

}  // namespace facet::vk
