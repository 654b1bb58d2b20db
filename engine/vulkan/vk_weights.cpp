#include "vulkan/vk_weights.h"

#include <algorithm>

#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/row_interleave.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_upload.h"

namespace facet::vk {

namespace {

void forEachDeviceTensor(const Model& m, const std::function<void(const TensorView&)>& fn) {
    const ModelWeights& w = m.weights();
    const TensorView* ple = w.global[TensorRole::PleTokenEmbd];
    auto visit = [&](const LayerWeights& lw) {
        for (const TensorView* t : lw.t)
            if (t && t != ple) fn(*t);
    };
    visit(w.global);
    for (const auto& l : w.layers) visit(l);
}

}  // namespace

const TensorPiece* DeviceTensor::pieceOf(int64_t row) const {
    for (const TensorPiece& p : pieces)
        if (row >= p.rowBegin && row < p.rowEnd) return &p;
    return nullptr;
}

DeviceWeights::~DeviceWeights() = default;

uint64_t deviceWeightBytes(const Model& model) {
    uint64_t total = 0;
    forEachDeviceTensor(model, [&](const TensorView& t) { total += t.nbytes; });
    return total;
}

const DeviceTensor* DeviceWeights::find(const TensorView* view) const {
    auto it = tensors_.find(view);
    return it == tensors_.end() ? nullptr : &it->second;
}

size_t DeviceWeights::pieceCount() const {
    size_t n = 0;
    for (const auto& [v, t] : tensors_) n += t.pieces.size();
    return n;
}

Result<std::unique_ptr<DeviceWeights>> DeviceWeights::upload(Device& device, const Model& model,
                                                             const WeightUploadOptions& options) {
    std::vector<const TensorView*> tensors;
    forEachDeviceTensor(model, [&](const TensorView& t) { tensors.push_back(&t); });
    return uploadTensors(device, model.path(), tensors, options);
}

Result<std::unique_ptr<DeviceWeights>> DeviceWeights::uploadTensors(Device& device, const std::string& what,
                                                                    const std::vector<const TensorView*>& tensors,
                                                                    const WeightUploadOptions& options) {
    const DeviceCaps& caps = device.caps();
    uint64_t needed = 0;
    for (const TensorView* t : tensors) needed += t->nbytes;
    uint64_t available = 0;
    for (uint32_t h = 0; h < caps.heaps.size(); ++h)
        if (caps.heaps[h].deviceLocal) available = std::max(available, device.heapAvailable(h));
    if (options.budgetBytes) available = std::min(available, options.budgetBytes);
    if (needed > available)
        return errorf("%s: the weights need %s of device memory, %s has %s available", what.c_str(),
                      formatBytes(needed).c_str(), caps.name.c_str(), formatBytes(available).c_str());

    std::unique_ptr<DeviceWeights> w(new DeviceWeights());
    MemoryArena::Options ao;
    ao.name = "weights";
    FACET_ASSIGN(w->arena_, MemoryArena::create(device, ao));
    uint64_t pieceLimit = std::min<uint64_t>(caps.maxStorageBufferRange, w->arena_->maxAllocation());
    if (options.maxPieceBytes) pieceLimit = std::min(pieceLimit, options.maxPieceBytes);

    const uint32_t tileRows =
        options.tileRows < 0 ? matVecTileRows(device) : static_cast<uint32_t>(options.tileRows);
    std::vector<UploadItem> items;
    uint64_t remaining = needed;  // bytes still to place: sizes the last block to fit
    for (const TensorView* tp : tensors) {
        const TensorView& t = *tp;
        if (w->tensors_.count(&t)) continue;  // a tensor bound twice (tied head) is stored once
        DeviceTensor dt;
        dt.view = &t;
        const uint64_t rowBytes = t.bytesPerRow();
        if (rowBytes > pieceLimit) {
            return errorf("tensor '%s': one row of %llu bytes exceeds the %llu-byte binding limit", t.name.c_str(),
                          static_cast<unsigned long long>(rowBytes), static_cast<unsigned long long>(pieceLimit));
        }
        // A spare word after every piece (below): the CPU-device mat_vec reads
        // one word past a value without a bounds clamp. Row-interleaved
        // pieces hold whole tiles (a window binds from a tile's start), leave
        // room to align their binding's start, and fit one 16-byte texel view
        // (the lanes GEMV's); Q6_K's stored rows are longer (224-byte blocks).
        const uint64_t tileBytes = uint64_t(tileRows) * matVecTileLayout(t.type, uint64_t(t.ne[0]), 0, tileRows).rowBytes;
        const uint64_t tiledLimit = std::min<uint64_t>(pieceLimit, caps.maxTexelBufferElements * 16);
        const bool tiled = tileRows && matVecCanInterleave(t.type, uint64_t(t.ne[0])) && t.ne[2] <= 1 &&
                           t.ne[3] <= 1 && tiledLimit > 256 + tileBytes;
        const int64_t rowsPerPiece =
            tiled ? static_cast<int64_t>((tiledLimit - 256) / tileBytes * tileRows)
                  : static_cast<int64_t>(std::max<uint64_t>(pieceLimit - 8, rowBytes) / rowBytes);
        for (int64_t r0 = 0; r0 < t.rows(); r0 += rowsPerPiece) {
            const int64_t r1 = std::min(t.rows(), r0 + rowsPerPiece);
            const uint64_t bytes = static_cast<uint64_t>(r1 - r0) * rowBytes;
            const RowInterleave layout = matVecTileLayout(t.type, uint64_t(t.ne[0]), uint64_t(r1 - r0), tiled ? tileRows : 0u);
            // Round the allocation up to 4 bytes (shaders read whole uint
            // words), plus the spare word.
            w->arena_->setNextBlockHint(remaining + (uint64_t(1) << 20));  // + alignment padding
            auto slice = w->arena_->allocate((layout.imageBytes() + 3) / 4 * 4 + 4, t.name);
            remaining -= std::min(remaining, bytes);
            if (!slice.ok()) return slice.error();
            dt.pieces.push_back({slice.value(), r0, r1, layout.tileRows});
            items.push_back({slice.value(), t.row(r0), layout.imageBytes(), layout});
            w->deviceBytes_ += layout.imageBytes();
        }
        w->tensors_.emplace(&t, std::move(dt));
    }
    FACET_ASSIGN(auto up, Uploader::create(device, UploaderOptions{}));
    FACET_TRY(up->upload(items, options.progress));
    return w;
}

}  // namespace facet::vk
