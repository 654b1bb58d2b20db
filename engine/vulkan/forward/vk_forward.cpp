#include "vulkan/forward/vk_forward.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu/ops.h"
#include "model/dequantize.h"
#include "vulkan/forward/vk_forward_internal.h"
#include "vulkan/ops/attention_op.h"
#include "vulkan/ops/kv_store_op.h"
#include "vulkan/ops/logits_op.h"
#include "vulkan/ops/moe_route_op.h"
#include "vulkan/ops/product_log.h"
#include "vulkan/ops/rope_op.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_upload.h"

namespace facet::vk {

namespace {

// The host waits this long for one chunk: long enough for a CPU device
// running a big model, short enough to report a hung GPU.
constexpr auto kChunkTimeout = std::chrono::minutes(10);

std::string mib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / 1048576.0);
    return buf;
}

// Float vectors packed into one buffer, each at a 256-byte boundary (the
// largest minStorageBufferOffsetAlignment in the wild), so each can be bound
// on its own.
class ConstantBlob {
public:
    size_t add(const std::vector<float>& v) {
        const size_t at = data_.size();
        data_.insert(data_.end(), v.begin(), v.end());
        data_.resize((data_.size() + 63) / 64 * 64, 0.0f);
        spans_.push_back({at, v.size()});
        return spans_.size() - 1;
    }
    size_t bytes() const { return data_.size() * 4; }
    const float* data() const { return data_.data(); }
    BufferSlice slice(const BufferSlice& base, size_t handle) const {
        if (handle == kNone) return {};
        return base.sub(spans_[handle].first * 4, spans_[handle].second * 4);
    }
    static constexpr size_t kNone = size_t(-1);

private:
    std::vector<float> data_;
    std::vector<std::pair<size_t, size_t>> spans_;
};

}  // namespace

VkForward::VkForward(Device& device, const Model& model, const DeviceWeights& weights)
    : dev_(device), model_(model), d_(model.desc()), w_(weights) {}

VkForward::~VkForward() {
    for (auto& c : cmds_)
        if (c) (void)c->wait();
}

const DeviceTensor& VkForward::tensor(const TensorView* view) const {
    static const DeviceTensor kMissing{};
    const DeviceTensor* t = view ? w_.find(view) : nullptr;
    return t ? *t : kMissing;
}

Result<std::unique_ptr<VkForward>> VkForward::create(Device& device, const Model& model, const DeviceWeights& weights,
                                                     const VkForwardOptions& options) {
    std::unique_ptr<VkForward> f(new VkForward(device, model, weights));
    FACET_TRY(f->allocate(options));
    return f;
}

Status VkForward::allocate(const VkForwardOptions& o) {
    const DeviceCaps& caps = dev_.caps();
    const int L = d_.nLayers, H = d_.hidden, P = d_.pleDim, V = d_.vocab;
    maxContext_ = std::clamp(o.maxContext, 1, std::max(d_.contextLength, 1));
    const int batch = std::min(o.maxBatch > 0 ? o.maxBatch : (caps.type == DeviceType::Cpu ? 16 : 64), maxContext_);
    maxBatch_ = std::min(std::max(batch, o.minBatch), maxContext_);
    const uint64_t B = maxBatch_;

    // Every matrix the pass multiplies must be on the device.
    std::string missing;
    auto need = [&](const TensorView* v) {
        if (v && !w_.find(v) && missing.empty()) missing = v->name;
    };
    need(model_.weights().head());
    need(model_.weights().global[TensorRole::TokenEmbd]);
    for (const LayerWeights& lw : model_.weights().layers)
        for (TensorRole r : {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV, TensorRole::AttnOutput,
                             TensorRole::FfnGate, TensorRole::FfnUp, TensorRole::FfnDown, TensorRole::RouterW,
                             TensorRole::GateUpExps, TensorRole::GateExps, TensorRole::UpExps, TensorRole::DownExps,
                             TensorRole::PleInpGate, TensorRole::PleProj})
            need(lw[r]);
    if (!missing.empty()) return errorf("vulkan forward: tensor '%s' is not on the device", missing.c_str());

    int maxQ = 0, maxQkv = 0, maxI = 0;
    for (int il = 0; il < d_.nLayers; ++il) {
        maxQ = std::max(maxQ, d_.layers[il].nHeads * d_.layers[il].headDim);
        maxQkv = std::max(maxQkv, static_cast<int>(qkvStride(il)));
        maxI = std::max(maxI, d_.layers[il].ffnWidth);
    }
    const uint64_t E = d_.nExperts, K = d_.nExpertsUsed, F = d_.expertFfn;
    const uint64_t rowLimit = caps.maxStorageBufferRange / (uint64_t(V) * 4);
    // A batch widened for images keeps at most 256 MiB of logit rows (all of
    // them for small vocabularies), never fewer than the usual batch's.
    const uint64_t cheapRows = std::max<uint64_t>(batch, (uint64_t(256) << 20) / (uint64_t(V) * 4));
    const uint32_t logitRows = static_cast<uint32_t>(std::min({B, rowLimit, cheapRows}));
    if (logitRows == 0)
        return errorf("vulkan forward: one row of %d logits does not fit a %llu-byte storage binding", V,
                      static_cast<unsigned long long>(caps.maxStorageBufferRange));

    // Constants: float32 copies of the small vectors (norm weights may be
    // stored as bf16 in HF folders), exactly as the CPU reads them.
    ConstantBlob blob;
    const LayerWeights& gw = model_.weights().global;
    auto vec = [&](const TensorView* t) { return t ? blob.add(cpu::readVector(*t)) : ConstantBlob::kNone; };
    struct LayerHandles {
        size_t attnNorm, qNorm, kNorm, postAttnNorm, ffnNorm, postFfwNorm, routerScale, expertScale, preFfwNorm2,
            postFfwNorm1, postFfwNorm2, plePostNorm, layerScale, theta;
    };
    std::vector<LayerHandles> lh(L);
    const size_t outNormH = vec(gw[TensorRole::OutputNorm]);
    const size_t pleNormH = vec(gw[TensorRole::PleProjNorm]);
    const size_t pleScaleH = blob.add({1.0f / std::sqrt(static_cast<float>(H))});
    const size_t pleMixH = blob.add({1.0f / std::sqrt(2.0f)});
    // The closing norms' counters (uint32 zeros, mat_vec_tail.h): one per
    // site, so that independent sites never wait for each other's.
    const size_t tailCountersH = blob.add(std::vector<float>(size_t(kTailSites) * L, 0.0f));
    for (int i = 0; i < L; ++i) {
        const LayerWeights& lw = model_.weights().layers[i];
        LayerHandles& h = lh[i];
        h.attnNorm = vec(lw[TensorRole::AttnNorm]);
        h.qNorm = vec(lw[TensorRole::AttnQNorm]);
        h.kNorm = vec(lw[TensorRole::AttnKNorm]);
        h.postAttnNorm = vec(lw[TensorRole::PostAttnNorm]);
        h.ffnNorm = vec(lw[TensorRole::FfnNorm]);
        h.postFfwNorm = vec(lw[TensorRole::PostFfwNorm]);
        h.routerScale = ConstantBlob::kNone;
        if (const TensorView* rs = lw[TensorRole::RouterScale]) {
            std::vector<float> v = cpu::readVector(*rs);
            const float s = 1.0f / std::sqrt(static_cast<float>(H));
            for (float& x : v) x = x * s;
            h.routerScale = blob.add(v);
        }
        h.expertScale = vec(lw[TensorRole::DownExpsScale]);
        h.preFfwNorm2 = vec(lw[TensorRole::PreFfwNorm2]);
        h.postFfwNorm1 = vec(lw[TensorRole::PostFfwNorm1]);
        h.postFfwNorm2 = vec(lw[TensorRole::PostFfwNorm2]);
        h.plePostNorm = vec(lw[TensorRole::PlePostNorm]);
        h.layerScale = vec(lw[TensorRole::LayerOutputScale]);
        std::vector<double> thetas(d_.layers[i].headDim / 2);
        for (size_t j = 0; j < thetas.size(); ++j) thetas[j] = ropeTheta(d_, i, static_cast<int>(j));
        h.theta = blob.add(ropeThetaTable(thetas));
    }

    // Sizes: constants, KV rings, activations; checked against the device.
    layers_.assign(L, Layer{});
    uint64_t cacheBytes = 0;
    for (int i = 0; i < L; ++i) {
        const LayerDesc& l = d_.layers[i];
        if (!l.ownsKv(i)) continue;
        // A sliding ring keeps the window plus one chunk: the chunk's keys go
        // in before attention reads the window behind its first token.
        const int cap = l.attn == AttnKind::Sliding ? std::min(maxContext_, l.window + maxBatch_) : maxContext_;
        layers_[i].capacity = static_cast<uint32_t>(cap);
        const uint64_t ring = kvCacheBytes(layers_[i].capacity, l.nKvHeads * l.headDim);
        if (ring > caps.maxStorageBufferRange)
            return errorf("vulkan forward: a context of %d tokens needs a %s KV ring in layer %d; the device binds at "
                          "most %s: use a shorter context",
                          maxContext_, mib(ring).c_str(), i, mib(caps.maxStorageBufferRange).c_str());
        cacheBytes += 2 * ring;
    }
    const uint64_t LP = uint64_t(L) * P;
    const uint64_t actFloats = B * (6 * H + maxQ + maxQkv + 2 * maxI + LP + P + E + 2 * K) +
                               B * K * 3 * F + uint64_t(logitRows) * V +
                               (B > 1 && K > 0 ? B * K * H + moeTableWords(uint32_t(B * K), uint32_t(E)) : 0);
    int maxHeads = 0, maxHd = 0;
    for (const LayerDesc& l : d_.layers) maxHeads = std::max(maxHeads, l.nHeads), maxHd = std::max(maxHd, l.headDim);
    // Split-K serves decode-sized chunks; where the device's loop limit needs
    // it at this context (llvmpipe), every chunk.
    splitTokens_ = attentionLoopLimitSplits(caps, uint32_t(maxHd), uint64_t(maxContext_)) > 1
                       ? std::max(kSplitTokens, maxBatch_)
                       : kSplitTokens;
    const uint64_t attnScratch = attentionScratchBytes(splitTokens_, maxHeads, maxHd, kAttentionMaxSplits);
    const uint64_t scratchBytes = logitsScratchBytes(1, V, kLogitsMaxK) + 2 * kLogitsMaxK * 4 + attnScratch;
    const uint64_t needBytes = blob.bytes() + cacheBytes + actFloats * 4 + scratchBytes + 64 * 256;
    uint64_t available = 0;
    for (uint32_t hp = 0; hp < caps.heaps.size(); ++hp)
        if (caps.heaps[hp].deviceLocal) available = std::max(available, dev_.heapAvailable(hp));
    if (needBytes > available)
        return errorf("vulkan forward: the KV cache (%s for %d tokens) and activations need %s of device memory, "
                      "%s is available: use a shorter context",
                      mib(cacheBytes).c_str(), maxContext_, mib(needBytes).c_str(), mib(available).c_str());

    MemoryArena::Options ao;
    ao.kind = MemoryKind::DeviceLocal;
    ao.name = "forward";
    // Blocks of what is needed (plus alignment slack), at most 1 GiB each.
    ao.blockBytes = std::min<uint64_t>(needBytes + (uint64_t(64) << 10), uint64_t(1) << 30);
    FACET_ASSIGN(arena_, MemoryArena::create(dev_, ao));
    auto alloc = [&](uint64_t floats, const char* what) { return arena_->allocate(std::max<uint64_t>(floats, 1) * 4, what); };

    FACET_ASSIGN(BufferSlice constants, arena_->allocate(blob.bytes(), "constants"));
    for (int i = 0; i < L; ++i) {
        Layer& ly = layers_[i];
        const LayerHandles& h = lh[i];
        ly.attnNorm = blob.slice(constants, h.attnNorm);
        ly.qNorm = blob.slice(constants, h.qNorm);
        ly.kNorm = blob.slice(constants, h.kNorm);
        ly.postAttnNorm = blob.slice(constants, h.postAttnNorm);
        ly.ffnNorm = blob.slice(constants, h.ffnNorm);
        ly.postFfwNorm = blob.slice(constants, h.postFfwNorm);
        ly.routerScale = blob.slice(constants, h.routerScale);
        ly.expertScale = blob.slice(constants, h.expertScale);
        ly.preFfwNorm2 = blob.slice(constants, h.preFfwNorm2);
        ly.postFfwNorm1 = blob.slice(constants, h.postFfwNorm1);
        ly.postFfwNorm2 = blob.slice(constants, h.postFfwNorm2);
        ly.plePostNorm = blob.slice(constants, h.plePostNorm);
        ly.layerScale = blob.slice(constants, h.layerScale);
        ly.theta = blob.slice(constants, h.theta);
        const LayerDesc& l = d_.layers[i];
        if (ly.capacity) {
            const uint64_t ring = kvCacheBytes(ly.capacity, l.nKvHeads * l.headDim);
            FACET_ASSIGN(ly.kCache, arena_->allocate(ring, "k cache"));
            FACET_ASSIGN(ly.vCache, arena_->allocate(ring, "v cache"));
        }
    }

    s_ = std::make_unique<Scratch>();
    Scratch& s = *s_;
    s.outputNorm = blob.slice(constants, outNormH);
    s.pleProjNorm = blob.slice(constants, pleNormH);
    s.pleProjScale = blob.slice(constants, pleScaleH);
    s.pleMix = blob.slice(constants, pleMixH);
    s.tailCounters = blob.slice(constants, tailCountersH);
    s.logitRows = logitRows;
    FACET_ASSIGN(s.x, alloc(B * H, "x"));
    FACET_ASSIGN(s.a, alloc(B * H, "a"));
    FACET_ASSIGN(s.o, alloc(B * H, "o"));
    FACET_ASSIGN(s.rn, alloc(B * H, "rn"));
    FACET_ASSIGN(s.u2, alloc(B * H, "u2"));
    FACET_ASSIGN(s.m, alloc(B * H, "m"));
    FACET_ASSIGN(s.qkv, alloc(B * maxQkv, "qkv"));
    FACET_ASSIGN(s.attn, alloc(B * maxQ, "attn"));
    FACET_ASSIGN(s.g, alloc(B * maxI, "g"));
    FACET_ASSIGN(s.u, alloc(B * maxI, "u"));
    FACET_ASSIGN(s.ple, alloc(B * LP, "ple"));
    FACET_ASSIGN(s.pg, alloc(B * P, "pg"));
    FACET_ASSIGN(s.z, alloc(B * E, "router logits"));
    FACET_ASSIGN(s.moeIds, alloc(B * K, "expert ids"));
    FACET_ASSIGN(s.moeW, alloc(B * K, "expert weights"));
    FACET_ASSIGN(s.gu, alloc(B * K * 2 * F, "expert gate_up"));
    FACET_ASSIGN(s.h, alloc(B * K * F, "expert hidden"));
    if (B > 1 && K > 0) {  // chunks of several tokens run the experts batched
        FACET_ASSIGN(s.moeTable, alloc(moeTableWords(static_cast<uint32_t>(B * K), static_cast<uint32_t>(E)), "route table"));
        FACET_ASSIGN(s.ys, alloc(B * K * H, "expert down rows"));
    }
    FACET_ASSIGN(s.logits, alloc(uint64_t(logitRows) * V, "logits"));
    FACET_ASSIGN(s.topScratch, arena_->allocate(logitsScratchBytes(1, V, kLogitsMaxK), "top-k scratch"));
    FACET_ASSIGN(s.topIds, alloc(kLogitsMaxK, "top-k ids"));
    FACET_ASSIGN(s.topVals, alloc(kLogitsMaxK, "top-k values"));
    FACET_ASSIGN(s.attnScratch, arena_->allocate(attnScratch, "attention partials"));

    // Host-written inputs: ids, the PLE rows and the image rows, each at an aligned offset.
    const uint64_t idsBytes = (B * 4 + 255) / 256 * 256;
    const uint64_t pleBytes = (std::max<uint64_t>(B * LP, 1) * 4 + 255) / 256 * 256;
    FACET_ASSIGN(input_, Buffer::create(dev_, MemoryKind::HostVisible, idsBytes + pleBytes + B * H * 4, "forward inputs"));
    s.ids = input_->slice(0, B * 4);
    s.pleTok = input_->slice(idsBytes, std::max<uint64_t>(B * LP, 1) * 4);
    s.imageRows = input_->slice(idsBytes + pleBytes, B * H * 4);
    FACET_ASSIGN(readback_, Buffer::create(dev_, MemoryKind::Readback, uint64_t(logitRows) * V * 4, "logits readback"));

    FACET_ASSIGN(auto up, Uploader::create(dev_));
    FACET_TRY(up->upload(constants, blob.data(), blob.bytes()));
    // (both named "forward": fault injection counts this pass's submissions by name)
    for (auto& c : cmds_) {
        FACET_ASSIGN(c, Cmd::create(dev_, "forward"));
        c->setDescriptorReuse(true);
        c->setBarrierTracking(!dev_.barrierTrackingOff());
    }
    cmd_ = cmds_[0].get();
    recordAhead_ = o.recordAhead;
    return {};
}

size_t VkForward::descriptorSets() const {
    size_t n = 0;
    for (const auto& c : cmds_) n += c ? c->cachedSets() : 0;
    return n;
}

void VkForward::setProfiler(DispatchProfiler* profiler) {
    ahead_.valid = false;  // (recorded without stamps)
    for (auto& c : cmds_) c->setProfiler(profiler);
    recordAheadPaused_ = profiler != nullptr;
}

uint64_t VkForward::deviceBytes() const { return arena_ ? arena_->bytesReserved() : 0; }

bool VkForward::rewind(int pos) {
    if (pos >= nPast_) return true;
    for (int i = 0; i < d_.nLayers; ++i) {
        const LayerDesc& l = d_.layers[i];
        if (l.attn != AttnKind::Sliding || !layers_[i].capacity) continue;
        // The ring holds positions >= nPast - capacity; the next token at
        // `pos` needs pos - window + 1 .. pos - 1 (as CpuForward::rewind).
        if (std::max(0, pos - l.window + 1) < nPast_ - static_cast<int>(layers_[i].capacity)) {
            nPast_ = 0;
            return false;
        }
    }
    nPast_ = std::max(pos, 0);
    return true;
}

Status VkForward::checkTokens(const std::vector<int>& tokens) const {
    if (tokens.empty()) return errorf("forward: no tokens");
    if (nPast_ + static_cast<int64_t>(tokens.size()) > maxContext_)
        return errorf("forward: %d cached + %zu new tokens exceed the context of %d", nPast_, tokens.size(),
                      maxContext_);
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i] < 0 || tokens[i] >= d_.vocab)
            return errorf("forward: token %d at index %zu is outside the vocabulary (0..%d)", tokens[i], i,
                          d_.vocab - 1);
    if (dev_.lost()) return errorf("forward: the Vulkan device %s was lost; reload the model", dev_.name().c_str());
    return {};
}

Status VkForward::writeInputs(const int* tokens, int n, const std::vector<InjectedRows>& images) {
    auto* ids = reinterpret_cast<uint32_t*>(s_->ids.host());
    for (int t = 0; t < n; ++t) ids[t] = static_cast<uint32_t>(tokens[t]);
    // Image tokens gather <pad> (row 0, always valid); their rows replace it.
    const size_t H = static_cast<size_t>(d_.hidden);
    for (const InjectedRows& r : images) {
        for (int t = r.begin; t < r.end; ++t) ids[t] = 0;
        std::memcpy(s_->imageRows.host() + size_t(r.begin) * H * 4, r.rows, size_t(r.end - r.begin) * H * 4);
        FACET_TRY(input_->flush(s_->imageRows.offset + uint64_t(r.begin) * H * 4, uint64_t(r.end - r.begin) * H * 4));
    }
    FACET_TRY(input_->flush(s_->ids.offset, uint64_t(n) * 4));
    if (!d_.hasPle()) return {};
    // Only this chunk's rows of the PLE table leave host memory (spec §2.3:
    // E_ple[tok]·√P, formed as the CPU does).
    const TensorView& table = *model_.weights().global[TensorRole::PleTokenEmbd];
    const size_t LP = static_cast<size_t>(d_.nLayers) * d_.pleDim;
    const float tokScale = std::sqrt(static_cast<float>(d_.pleDim));
    // Formed in host memory, then copied: the input buffer may be
    // write-combined device memory (ReBAR), where every read is a slow
    // uncached bus round trip.
    pleRows_.resize(static_cast<size_t>(n) * LP);
    for (int t = 0; t < n; ++t) {
        float* r = pleRows_.data() + t * LP;
        const bool image = std::any_of(images.begin(), images.end(), [t](const InjectedRows& i) { return t >= i.begin && t < i.end; });
        dequantizeTensorRow(table, image ? 0 : tokens[t], r);  // image tokens: <pad>'s row (vision spec §7.2)
        for (size_t i = 0; i < LP; ++i) r[i] = r[i] * tokScale;
    }
    std::memcpy(s_->pleTok.host(), pleRows_.data(), pleRows_.size() * sizeof(float));
    return input_->flush(s_->pleTok.offset, uint64_t(n) * LP * 4);
}

Status VkForward::record(Cmd& c, int n, int firstOut, uint32_t topK, const std::vector<InjectedRows>& images) {
    cmd_ = &c;
    images_ = images;
    FACET_TRY(c.begin());
    FACET_TRY(recordEmbedding(n));
    for (int il = 0; il < d_.nLayers; ++il) FACET_TRY(recordLayer(il, n));
    if (firstOut < n) FACET_TRY(recordOutput(n, firstOut, topK));
    return c.end();
}

Status VkForward::runChunk(const int* tokens, int n, int firstOut, uint32_t topK, bool last,
                           const std::vector<InjectedRows>& images) {
    FACET_TRY(writeInputs(tokens, n, images));
    const Ahead a = ahead_;
    ahead_.valid = false;
    const bool reuse =
        a.valid && a.pos0 == nPast_ && a.n == n && a.firstOut == firstOut && a.topK == topK && images.empty();
    const int cur = a.valid ? a.slot : 0;  // (a stale recording ahead is overwritten)
    Cmd& c = *cmds_[cur];
    if (reuse) {
        ++aheadUsed_;
    } else {
        pos0_ = nPast_;
        if (Status s = record(c, n, firstOut, topK, images); !s.ok()) {
            if (c.recording()) (void)c.end();
            return s;
        }
    }
    if (n == 1) {
        ++decodeStats_.steps;
        decodeStats_.dispatches += c.dispatches();
        decodeStats_.barriers += c.barriers();
    }
    FACET_TRY(c.submit());
    // The GPU runs the chunk: record the step a generator sends next. A
    // failure here only means the next call records for itself.
    Cmd& next = *cmds_[1 - cur];
    if (last && recordAhead_ && !recordAheadPaused_ && firstOut < n && nPast_ + n < maxContext_ && !next.pending()) {
        pos0_ = nPast_ + n;
        if (record(next, 1, 0, topK, {}).ok())
            ahead_ = {true, 1 - cur, pos0_, 1, 0, topK};
        else if (next.recording())
            (void)next.end();
    }
    FACET_TRY(c.wait(kChunkTimeout));
    nPast_ += n;
    return {};
}

Status VkForward::forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) {
    return forwardInjected(tokens, {}, allLogits, logits);
}

int VkForward::chunkLength(int off, int total, int limit, const std::vector<InjectedRows>& injected) const {
    int n = std::min(limit, total - off);
    bool holdsOne = false;  // a chunk holds at most one bidirectional block (attention takes one range)
    for (const InjectedRows& r : injected) {
        if (!r.bidirectional || r.end <= off || r.begin >= off + n) continue;
        if (holdsOne) return r.begin - off;
        if (r.end > off + n) return r.begin > off ? r.begin - off : r.end - off;
        holdsOne = true;
    }
    return n;
}

Status VkForward::forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected,
                                  bool allLogits, std::vector<float>& logits) {
    FACET_TRY(checkTokens(tokens));
    const int total = static_cast<int>(tokens.size());
    // With every row wanted, a chunk's logits must fit the logits buffer.
    const int chunk = allLogits ? std::min<int>(maxBatch_, s_->logitRows) : maxBatch_;
    int covered = 0;
    for (const InjectedRows& r : injected) {
        if (r.begin < covered || r.end > total || r.begin >= r.end || !r.rows)
            return errorf("forward: injected rows [%d, %d) do not fit a batch of %d tokens in order", r.begin, r.end,
                          total);
        if (r.width && r.width != d_.hidden)
            return errorf("forward: injected rows of width %d, but the model's hidden width is %d", r.width, d_.hidden);
        if (r.bidirectional && r.end - r.begin > chunk)
            return errorf("forward: an image of %d soft tokens must run in one batch, but this pass takes %d tokens at "
                          "once", r.end - r.begin, chunk);
        covered = r.end;
    }
    const size_t V = static_cast<size_t>(d_.vocab);
    logits.clear();
    logits.reserve((allLogits ? total : 1) * V);
    std::vector<InjectedRows> images;
    for (int off = 0, n = 0; off < total; off += n) {
        n = chunkLength(off, total, chunk, injected);
        const bool last = off + n == total;
        const int firstOut = allLogits ? 0 : (last ? n - 1 : n);
        images.clear();
        for (const InjectedRows& r : injected)
            if (r.begin < off + n && r.end > off) {
                const int b = std::max(r.begin, off), e = std::min(r.end, off + n);
                images.push_back({b - off, e - off, r.rows + size_t(b - r.begin) * d_.hidden, r.bidirectional, r.key});
            }
        FACET_TRY(runChunk(tokens.data() + off, n, firstOut, 0, last, images));
        const size_t rows = static_cast<size_t>(n - firstOut);
        if (rows == 0) continue;
        FACET_TRY(readback_->invalidate(0, rows * V * 4));
        const auto* src = reinterpret_cast<const float*>(readback_->mapped());
        logits.insert(logits.end(), src, src + rows * V);
    }
    return {};
}

Status VkForward::forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids, std::vector<float>& values) {
    if (k <= 0 || k > static_cast<int>(kLogitsMaxK) || k > d_.vocab)
        return ForwardPass::forwardTopK(tokens, k, ids, values);
    FACET_TRY(checkTokens(tokens));
    const int total = static_cast<int>(tokens.size());
    for (int off = 0; off < total; off += maxBatch_) {
        const int n = std::min(maxBatch_, total - off);
        const bool last = off + n == total;
        FACET_TRY(runChunk(tokens.data() + off, n, last ? n - 1 : n, static_cast<uint32_t>(k), last));
    }
    FACET_TRY(readback_->invalidate(0, uint64_t(k) * 8));
    const auto* id = reinterpret_cast<const uint32_t*>(readback_->mapped());
    const auto* val = reinterpret_cast<const float*>(readback_->mapped() + uint64_t(k) * 4);
    ids.assign(id, id + k);
    values.assign(val, val + k);
    return {};
}

Status VkForward::logProducts(ProductLog& log) {
    // Token ids that exist in any vocabulary of more than 2 pieces, from
    // <bos> (2) on: the products do not depend on which.
    const int V = d_.vocab;
    std::vector<int> chunk(std::max(1, std::min(maxBatch_, maxContext_ - 1)));
    for (size_t i = 0; i < chunk.size(); ++i) chunk[i] = V > 2 ? 2 + static_cast<int>(i * 7919 % (V - 2)) : 0;
    std::vector<int> ids;
    std::vector<float> values;
    // Every product recorded now, none ahead (those would be logged twice).
    const bool ahead = recordAhead_;
    recordAhead_ = false;
    ahead_.valid = false;
    for (auto& c : cmds_) c->setProductLog(&log);
    reset();
    Status s = chunk.size() > 1 ? forwardTopK(chunk, 1, ids, values) : Status{};
    reset();
    if (s.ok()) s = forwardTopK({chunk[0]}, 1, ids, values);
    for (auto& c : cmds_) c->setProductLog(nullptr);
    recordAhead_ = ahead;
    reset();
    return s;
}

}  // namespace facet::vk
