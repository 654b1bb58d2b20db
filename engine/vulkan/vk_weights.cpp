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

const DeviceTensor* DeviceWeights::joined(const TensorView* first) const {
    auto it = joined_.find(first);
    return it == joined_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<DeviceWeights>> DeviceWeights::upload(Device& device, const Model& model,
                                                             const WeightUploadOptions& options) {
    std::vector<const TensorView*> tensors;
    forEachDeviceTensor(model, [&](const TensorView& t) { tensors.push_back(&t); });
    JoinGroups groups;
    if (options.joinQkv && !device.qkvFusionOff())
        for (const LayerWeights& lw : model.weights().layers) {
            const TensorView *q = lw[TensorRole::AttnQ], *k = lw[TensorRole::AttnK], *v = lw[TensorRole::AttnV];
            if (!q || !k) continue;
            groups.push_back(v ? std::vector<const TensorView*>{q, k, v} : std::vector<const TensorView*>{q, k});
        }
    return uploadJoined(device, model.path(), tensors, groups, options);
}

Result<std::unique_ptr<DeviceWeights>> DeviceWeights::uploadTensors(Device& device, const std::string& what,
                                                                    const std::vector<const TensorView*>& tensors,
                                                                    const WeightUploadOptions& options) {
    return uploadJoined(device, what, tensors, {}, options);
}

Result<std::unique_ptr<DeviceWeights>> DeviceWeights::uploadJoined(Device& device, const std::string& what,
                                                                   const std::vector<const TensorView*>& tensors,
                                                                   const JoinGroups& groups,
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
    // A spare word after every piece (below): the CPU-device mat_vec reads
    // one word past a value without a bounds clamp. Row-interleaved
    // pieces hold whole tiles (a window binds from a tile's start), leave
    // room to align their binding's start, and fit one 16-byte texel view
    // (the lanes GEMV's); Q6_K's stored rows are longer (224-byte blocks).
    const uint64_t tiledLimit = std::min<uint64_t>(pieceLimit, caps.maxTexelBufferElements * 16);
    auto tileBytesOf = [&](const TensorView& t) {
        return uint64_t(tileRows) * matVecTileLayout(t.type, uint64_t(t.ne[0]), 0, tileRows).rowBytes;
    };
    auto tiledFor = [&](const TensorView& t) {
        return tileRows && matVecCanInterleave(t.type, uint64_t(t.ne[0])) && t.ne[2] <= 1 && t.ne[3] <= 1 &&
               tiledLimit > 256 + tileBytesOf(t);
    };
    auto layoutOf = [&](const TensorView& t, int64_t rows) {
        return matVecTileLayout(t.type, uint64_t(t.ne[0]), uint64_t(rows), tiledFor(t) ? tileRows : 0u);
    };
    // Joined slabs (WeightUploadOptions::joinQkv): parts of one type and
    // width, each whole tiles and whole words, all in one piece's limit. A
    // part then reads like a row window of one tensor, and the slab like
    // one tensor of all their rows.
    std::unordered_map<const TensorView*, const std::vector<const TensorView*>*> groupOf;
    for (const auto& g : groups)
        if (g.size() > 1) groupOf.emplace(g.front(), &g);
    auto joinable = [&](const std::vector<const TensorView*>& g) {
        const TensorView& f = *g.front();
        const bool tiled = tiledFor(f);
        uint64_t bytes = 0;
        for (const TensorView* t : g) {
            if (t->type != f.type || t->ne[0] != f.ne[0] || t->ne[2] > 1 || t->ne[3] > 1 || w->tensors_.count(t) ||
                std::count(g.begin(), g.end(), t) != 1 || (tiled && t->rows() % tileRows) ||
                layoutOf(*t, t->rows()).imageBytes() % 4)
                return false;
            bytes += layoutOf(*t, t->rows()).imageBytes();
        }
        return bytes + 8 <= (tiled ? tiledLimit - 256 : pieceLimit);
    };

    for (const TensorView* tp : tensors) {
        const TensorView& t = *tp;
        if (w->tensors_.count(&t)) continue;  // a tensor bound twice (tied head), or a joined part, is stored once
        if (auto g = groupOf.find(&t); g != groupOf.end() && joinable(*g->second)) {
            const auto& parts = *g->second;
            uint64_t bytes = 0;
            int64_t rows = 0;
            for (const TensorView* p : parts) {
                bytes += layoutOf(*p, p->rows()).imageBytes();
                rows += p->rows();
            }
            w->arena_->setNextBlockHint(remaining + (uint64_t(1) << 20));
            auto slab = w->arena_->allocate(bytes + 4, t.name);
            if (!slab.ok()) return slab.error();
            uint64_t at = 0;
            int64_t row = 0;
            for (const TensorView* p : parts) {
                const RowInterleave layout = layoutOf(*p, p->rows());
                const BufferSlice part = slab.value().sub(at, layout.imageBytes() + 4);  // + the next word
                w->tensors_.emplace(p, DeviceTensor{p, {{part, 0, p->rows(), layout.tileRows}}});
                items.push_back({part, p->row(0), layout.imageBytes(), layout});
                at += layout.imageBytes();
                row += p->rows();
                remaining -= std::min(remaining, p->nbytes);
            }
            auto view = std::make_unique<TensorView>();
            view->name = t.name;
            if (const size_t q = view->name.find("attn_q."); q != std::string::npos) view->name.replace(q, 6, "attn_qkv");
            view->type = t.type;
            view->ne = {t.ne[0], rows, 1, 1};
            view->nDims = 2;
            view->nbytes = bytes;
            w->joined_.emplace(&t, DeviceTensor{view.get(), {{slab.value(), 0, rows, layoutOf(t, 0).tileRows}}});
            w->joinedViews_.push_back(std::move(view));
            w->deviceBytes_ += bytes;
            continue;
        }
        DeviceTensor dt;
        dt.view = &t;
        const uint64_t rowBytes = t.bytesPerRow();
        if (rowBytes > pieceLimit) {
            return errorf("tensor '%s': one row of %llu bytes exceeds the %llu-byte binding limit", t.name.c_str(),
                          static_cast<unsigned long long>(rowBytes), static_cast<unsigned long long>(pieceLimit));
        }
        const int64_t rowsPerPiece =
            tiledFor(t) ? static_cast<int64_t>((tiledLimit - 256) / tileBytesOf(t) * tileRows)
                  : static_cast<int64_t>(std::max<uint64_t>(pieceLimit - 8, rowBytes) / rowBytes);
        for (int64_t r0 = 0; r0 < t.rows(); r0 += rowsPerPiece) {
            const int64_t r1 = std::min(t.rows(), r0 + rowsPerPiece);
            const uint64_t bytes = static_cast<uint64_t>(r1 - r0) * rowBytes;
            const RowInterleave layout = layoutOf(t, r1 - r0);
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
