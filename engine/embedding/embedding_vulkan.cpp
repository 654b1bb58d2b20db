// Set-up, chunking and the host's part (pooling, dense head, L2 norm) of
// EmbeddingVulkan; the dispatches are in embedding_vulkan_record.cpp.
#include "embedding/embedding_vulkan.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu/ops.h"
#include "embedding/embedding_vulkan_internal.h"
#include "model/ggml_type.h"
#include "vulkan/ops/bidir_attention_op.h"
#include "vulkan/ops/rope_op.h"
#include "vulkan/vk_constant_pack.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"
#include "vulkan/vk_upload.h"

namespace facet {

using R = EmbeddingRole;

namespace {

// A chunk waits at most this long: a CPU device embedding thousands of
// tokens through 24 layers takes minutes; a hung GPU is still reported.
constexpr auto kChunkTimeout = std::chrono::minutes(20);

// The matrices the pass multiplies (and gathers from): every one must be a
// type the product shaders read.
constexpr R kLayerMatrices[] = {R::AttnQ, R::AttnK, R::AttnV, R::AttnOutput, R::FfnGate, R::FfnUp, R::FfnDown};

}  // namespace

EmbeddingVulkan::EmbeddingVulkan(vk::Device& device, const EmbeddingModel& model)
    : dev_(device), m_(model), d_(model.desc()) {}

EmbeddingVulkan::~EmbeddingVulkan() {
    if (s_ && s_->cmd && s_->cmd->pending()) (void)s_->cmd->wait();
}

const std::string& EmbeddingVulkan::deviceName() const { return dev_.name(); }

bool EmbeddingVulkan::onCpuDevice() const { return dev_.caps().type == vk::DeviceType::Cpu; }

const vk::DeviceTensor& EmbeddingVulkan::tensor(const TensorView& view) const {
    static const vk::DeviceTensor kMissing{};
    const vk::DeviceTensor* t = weights_->find(&view);
    return t ? *t : kMissing;
}

Result<std::unique_ptr<EmbeddingVulkan>> EmbeddingVulkan::create(vk::Device& device, const EmbeddingModel& model,
                                                                 const EmbeddingVulkanOptions& options) {
    std::unique_ptr<EmbeddingVulkan> e(new EmbeddingVulkan(device, model));
    FACET_TRY(e->setUp(options));
    return e;
}

Result<std::unique_ptr<EmbeddingVulkan>> EmbeddingVulkan::open(const EmbeddingModel& model, const std::string& device,
                                                               const EmbeddingVulkanOptions& options) {
    FACET_TRY(vk::loadVulkan());
    FACET_ASSIGN(auto instance, vk::Instance::create());
    vk::DeviceOptions dopt;
    dopt.select = device;
    FACET_ASSIGN(auto dev, vk::Device::create(*instance, dopt));
    FACET_ASSIGN(auto e, create(*dev, model, options));
    e->ownDevice_ = std::move(dev);
    e->ownInstance_ = std::move(instance);
    return e;
}

Status EmbeddingVulkan::setUp(const EmbeddingVulkanOptions& o) {
    const std::string& path = m_.path();
    std::vector<const TensorView*> matrices = {m_.global(R::TokenEmbd)};
    for (int il = 0; il < d_.nLayers; ++il)
        for (R r : kLayerMatrices) matrices.push_back(&m_.layer(il, r));
    for (const TensorView* t : matrices)
        if (!isSupportedType(t->type))
            return errorf("%s: tensor '%s' has type %s, which the Vulkan shaders do not read", path.c_str(),
                          t->name.c_str(), typeName(t->type).c_str());
    FACET_ASSIGN(weights_, vk::DeviceWeights::uploadTensors(dev_, path, matrices, o.upload));

    // Constants: the norm vectors as the CPU reads them, and per layer the
    // RoPE table of its base (θ_j = base^(-2j/d), as EmbeddingForward).
    vk::ConstantPack pack;
    struct Handles {
        size_t attn, q, k, postAttn, ffn, postFfw, theta;
    };
    std::vector<Handles> h(d_.nLayers);
    auto vec = [&](const TensorView& t) { return pack.add(cpu::readVector(t)); };
    const size_t outputNorm = vec(*m_.global(R::OutputNorm));
    for (int il = 0; il < d_.nLayers; ++il) {
        h[il] = {vec(m_.layer(il, R::AttnNorm)), vec(m_.layer(il, R::AttnQNorm)), vec(m_.layer(il, R::AttnKNorm)),
                 vec(m_.layer(il, R::PostAttnNorm)), vec(m_.layer(il, R::FfnNorm)), vec(m_.layer(il, R::PostFfwNorm)),
                 0};
        std::vector<double> thetas(d_.headDim / 2);
        for (int j = 0; j < d_.headDim / 2; ++j)
            thetas[j] = std::pow(static_cast<double>(d_.ropeBaseOf(il)), -2.0 * j / d_.headDim);
        h[il].theta = pack.add(vk::ropeThetaTable(thetas));
    }
    FACET_ASSIGN(constants_, vk::Buffer::create(dev_, vk::MemoryKind::DeviceLocal, pack.bytes(), "embedding constants"));
    FACET_ASSIGN(auto up, vk::Uploader::create(dev_));
    FACET_TRY(up->upload(constants_->whole(), pack.data(), pack.bytes()));
    layers_.resize(d_.nLayers);
    for (int il = 0; il < d_.nLayers; ++il) {
        Layer& l = layers_[il];
        l.attnNorm = pack.slice(*constants_, h[il].attn);
        l.qNorm = pack.slice(*constants_, h[il].q);
        l.kNorm = pack.slice(*constants_, h[il].k);
        l.postAttnNorm = pack.slice(*constants_, h[il].postAttn);
        l.ffnNorm = pack.slice(*constants_, h[il].ffn);
        l.postFfwNorm = pack.slice(*constants_, h[il].postFfw);
        l.theta = pack.slice(*constants_, h[il].theta);
    }
    s_ = std::make_unique<Scratch>();
    s_->outputNorm = pack.slice(*constants_, outputNorm);
    FACET_ASSIGN(s_->cmd, vk::Cmd::create(dev_, "embedding"));

    // The widest activation row must fit one binding for every token of a chunk.
    const uint64_t widest = std::max({d_.hidden, d_.nHeads * d_.headDim, d_.ffnWidth});
    const uint64_t byBinding = dev_.caps().maxStorageBufferRange / (widest * 4);
    if (byBinding < static_cast<uint64_t>(d_.contextLength))
        return errorf("%s: a sequence of %d tokens needs %llu-byte activations; %s binds at most %llu bytes",
                      path.c_str(), d_.contextLength, static_cast<unsigned long long>(widest * 4 * d_.contextLength),
                      dev_.name().c_str(), static_cast<unsigned long long>(dev_.caps().maxStorageBufferRange));
    maxTokens_ = static_cast<int>(std::min<uint64_t>(std::max(o.maxTokens, 1), byBinding));
    return {};
}

Status EmbeddingVulkan::ensureCapacity(int tokens) {
    Scratch& s = *s_;
    if (tokens <= s.capacity) return {};
    const uint64_t T = static_cast<uint64_t>(tokens);
    const uint64_t H = d_.hidden, qW = uint64_t(d_.nHeads) * d_.headDim, kvW = uint64_t(d_.nKvHeads) * d_.headDim;
    auto make = [&](std::unique_ptr<vk::Buffer>& b, uint64_t floats, const char* name) -> Status {
        b.reset();  // the old one goes first: only one set is held
        FACET_ASSIGN(b, vk::Buffer::create(dev_, vk::MemoryKind::DeviceLocal, floats * 4, name));
        return {};
    };
    FACET_TRY(make(s.x, T * H, "embedding x"));
    FACET_TRY(make(s.a, T * H, "embedding a"));
    FACET_TRY(make(s.o, T * H, "embedding o"));
    FACET_TRY(make(s.q, T * qW, "embedding q"));
    FACET_TRY(make(s.attn, T * qW, "embedding attn"));
    FACET_TRY(make(s.k, T * kvW, "embedding k"));
    FACET_TRY(make(s.v, T * kvW, "embedding v"));
    FACET_TRY(make(s.g, T * d_.ffnWidth, "embedding g"));
    FACET_TRY(make(s.u, T * d_.ffnWidth, "embedding u"));
    const uint64_t part = (T * 4 + 255) / 256 * 256;  // each input at a 256-byte boundary
    s.input.reset();
    FACET_ASSIGN(s.input, vk::Buffer::create(dev_, vk::MemoryKind::HostVisible, 4 * part, "embedding inputs"));
    s.ids = s.input->slice(0, T * 4);
    s.positions = s.input->slice(part, T * 4);
    s.bounds = s.input->slice(2 * part, T * 8);
    s.readback.reset();
    FACET_ASSIGN(s.readback, vk::Buffer::create(dev_, vk::MemoryKind::Readback, T * H * 4, "embedding readback"));
    s.capacity = tokens;
    return {};
}

Status EmbeddingVulkan::runChunk(const Chunk& c) {
    const int n = c.n();
    FACET_TRY(ensureCapacity(n));
    Scratch& s = *s_;
    // Inputs: ids, the RoPE position of each token in its sequence, and each
    // token's sequence bounds (what attention_bidir reads).
    std::memcpy(s.ids.host(), c.ids.data(), size_t(n) * 4);
    auto* pos = reinterpret_cast<int32_t*>(s.positions.host());
    for (size_t q = 0; q + 1 < c.starts.size(); ++q)
        for (int t = c.starts[q]; t < c.starts[q + 1]; ++t) pos[t] = t - c.starts[q];
    const std::vector<uint32_t> bounds = vk::sequenceBounds(c.starts);
    std::memcpy(s.bounds.host(), bounds.data(), bounds.size() * 4);
    FACET_TRY(s.input->flush(0, s.input->size()));
    if (Status st = record(c); !st.ok()) {
        if (s.cmd->recording()) (void)s.cmd->end();
        return st;
    }
    FACET_TRY(s.cmd->submitAndWait(kChunkTimeout));
    return s.readback->invalidate(0, uint64_t(n) * d_.hidden * 4);
}

Result<std::vector<std::vector<float>>> EmbeddingVulkan::embed(const std::vector<std::vector<int>>& sequences,
                                                               int dim, std::vector<EmbeddingTrace>* trace) {
    const std::string& path = m_.path();
    if (dim < 0 || dim > d_.outputDim())
        return errorf("%s: output dimension %d is outside 1..%d", path.c_str(), dim, d_.outputDim());
    for (size_t q = 0; q < sequences.size(); ++q) {
        const std::vector<int>& ids = sequences[q];
        if (ids.empty()) return errorf("%s: sequence %zu has no tokens", path.c_str(), q);
        if (static_cast<int64_t>(ids.size()) > d_.contextLength)
            return errorf("%s: sequence %zu has %zu tokens, more than the context length %d", path.c_str(), q,
                          ids.size(), d_.contextLength);
        for (int id : ids)
            if (id < 0 || id >= d_.vocab)
                return errorf("%s: token %d is outside the vocabulary of %d", path.c_str(), id, d_.vocab);
    }
    if (dev_.lost()) return errorf("%s: the Vulkan device %s was lost", path.c_str(), dev_.name().c_str());

    std::vector<std::vector<float>> out(sequences.size());
    if (trace) trace->assign(sequences.size(), {});
    lastChunks_ = 0;
    // Whole sequences, in order, while they fit maxTokens (a longer one alone).
    for (size_t first = 0; first < sequences.size();) {
        Chunk c;
        c.first = first;
        c.starts = {0};
        size_t q = first;
        while (q < sequences.size() &&
               (q == first || c.n() + static_cast<int64_t>(sequences[q].size()) <= maxTokens_)) {
            c.ids.insert(c.ids.end(), sequences[q].begin(), sequences[q].end());
            c.starts.push_back(c.n() + static_cast<int>(sequences[q].size()));
            c.longest = std::max(c.longest, static_cast<int>(sequences[q].size()));
            ++q;
        }
        c.last = q;
        FACET_TRY(runChunk(c));
        ++lastChunks_;
        const auto* rows = reinterpret_cast<const float*>(s_->readback->mapped());
        for (size_t i = c.first; i < c.last; ++i)
            pool(rows, c.starts[i - c.first], c.starts[i - c.first + 1], dim, out[i], trace ? &(*trace)[i] : nullptr);
        first = q;
    }
    return out;
}

// EmbeddingForward::pool on the rows the GPU normed with output_norm.
void EmbeddingVulkan::pool(const float* rows, int t0, int t1, int dim, std::vector<float>& out,
                           EmbeddingTrace* trace) const {
    const int H = d_.hidden;
    std::vector<double> sum(H, 0.0);
    for (int t = t0; t < t1; ++t)
        for (int i = 0; i < H; ++i) sum[i] += rows[static_cast<size_t>(t) * H + i];
    finishEmbedding(m_, sum, t1 - t0, dim, out, trace);
}

}  // namespace facet
