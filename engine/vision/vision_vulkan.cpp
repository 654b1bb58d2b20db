// Set-up, the picture's inputs and the read-back of VisionVulkan; the
// dispatches are in vision_vulkan_record.cpp.
#include "vision/vision_vulkan.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

#include "cpu/ops.h"
#include "model/ggml_type.h"
#include "vision/vision_vulkan_internal.h"
#include "vulkan/ops/rope_op.h"
#include "vulkan/vk_constant_pack.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"
#include "vulkan/vk_upload.h"

namespace facet {

namespace {

// A picture waits at most this long: a CPU device runs the E2B tower over
// 1170 patches in about a minute, a bigger picture or tower for longer; a
// hung GPU is still reported.
constexpr auto kPictureTimeout = std::chrono::minutes(20);

constexpr uint64_t align256(uint64_t bytes) { return (bytes + 255) / 256 * 256; }

}  // namespace

VisionVulkan::VisionVulkan(vk::Device& device, const VisionModel& model, const VisionVulkanOptions& options)
    : dev_(device), m_(model), d_(model.desc()), options_(options) {}

VisionVulkan::~VisionVulkan() {
    if (s_ && s_->cmd && s_->cmd->pending()) (void)s_->cmd->wait();
}

const std::string& VisionVulkan::deviceName() const { return dev_.name(); }

bool VisionVulkan::onCpuDevice() const { return dev_.caps().type == vk::DeviceType::Cpu; }

const vk::DeviceTensor& VisionVulkan::tensor(const TensorView& view) const {
    static const vk::DeviceTensor kMissing{};
    const vk::DeviceTensor* t = weights_->find(&view);
    return t ? *t : kMissing;
}

const vk::DeviceTensor& VisionVulkan::linear(int il, VisionLinear which) const {
    return tensor(*m_.layer(il).linear[size_t(which)]);
}

const ClampBounds& VisionVulkan::bounds(int il, VisionLinear which) const {
    static const ClampBounds kNone{};
    return options_.skipClamps ? kNone : m_.layer(il).clamp[size_t(which)];
}

Result<std::unique_ptr<VisionVulkan>> VisionVulkan::create(vk::Device& device, const VisionModel& model,
                                                           const VisionVulkanOptions& options) {
    std::unique_ptr<VisionVulkan> v(new VisionVulkan(device, model, options));
    FACET_TRY(v->setUp());
    return v;
}

Result<std::unique_ptr<VisionVulkan>> VisionVulkan::open(const VisionModel& model, const std::string& device,
                                                         const VisionVulkanOptions& options) {
    FACET_TRY(vk::loadVulkan());
    FACET_ASSIGN(auto instance, vk::Instance::create());
    vk::DeviceOptions dopt;
    dopt.select = device;
    FACET_ASSIGN(auto dev, vk::Device::create(*instance, dopt));
    FACET_ASSIGN(auto v, create(*dev, model, options));
    v->ownDevice_ = std::move(dev);
    v->ownInstance_ = std::move(instance);
    return v;
}

Status VisionVulkan::setUp() {
    const std::string& path = m_.path();
    const int E = d_.width, p = d_.patchSize;
    // The conv kernel {p, p, 3, E} is E rows of 3p² values in (c, ky, kx)
    // order: the matrix of the patch product over im2col rows.
    kernel_ = m_.patchEmbedding();
    kernel_.ne = {int64_t(3) * p * p, E, 1, 1};
    kernel_.nDims = 2;
    // Per layer in VisionLinear order, so each ffn_up follows its ffn_gate
    // (the GLU product reads the two as one pair).
    std::vector<const TensorView*> matrices = {&kernel_};
    for (int il = 0; il < d_.layers; ++il)
        for (const TensorView* w : m_.layer(il).linear) matrices.push_back(w);
    matrices.push_back(&m_.projection());
    for (const TensorView* t : matrices)
        if (!isSupportedType(t->type))
            return errorf("%s: tensor '%s' has type %s, which the Vulkan shaders do not read", path.c_str(),
                          t->name.c_str(), typeName(t->type).c_str());
    FACET_ASSIGN(weights_, vk::DeviceWeights::uploadTensors(dev_, path, matrices, options_.upload));

    // Constants: the norm vectors as the CPU reads them, the layer scalars
    // other than 1, the RoPE table of one half-head (θ_j = θ^(-2j/(hd/2)),
    // j < hd/4, as encodeImageCpu) and the standardization.
    vk::ConstantPack pack;
    struct Handles {
        size_t ln1, q, k, postAttn, ln2, postFfn, outScale;
    };
    constexpr size_t kNone = SIZE_MAX;
    std::vector<Handles> h(d_.layers);
    auto vec = [&](const TensorView* t) { return pack.add(cpu::readVector(*t)); };
    for (int il = 0; il < d_.layers; ++il) {
        const VisionLayer& L = m_.layer(il);
        h[il] = {vec(L.ln1), vec(L.qNorm), vec(L.kNorm), vec(L.attnPostNorm), vec(L.ln2), vec(L.ffnPostNorm),
                 L.outScale == 1.f ? kNone : pack.add({L.outScale})};
    }
    const int hd = d_.headDim;
    std::vector<double> thetas(hd / 4);
    for (int j = 0; j < hd / 4; ++j) thetas[j] = std::pow(double(d_.ropeTheta), -2.0 * j / (hd / 2));
    const size_t theta = pack.add(vk::ropeThetaTable(thetas));
    const size_t stdBias = m_.stdBias() ? vec(m_.stdBias()) : kNone;
    const size_t stdScale = m_.stdScale() ? vec(m_.stdScale()) : kNone;
    FACET_ASSIGN(constants_, vk::Buffer::create(dev_, vk::MemoryKind::DeviceLocal, pack.bytes(), "vision constants"));
    FACET_ASSIGN(auto up, vk::Uploader::create(dev_));
    FACET_TRY(up->upload(constants_->whole(), pack.data(), pack.bytes()));
    layers_.resize(d_.layers);
    for (int il = 0; il < d_.layers; ++il) {
        Layer& l = layers_[il];
        l.ln1 = pack.slice(*constants_, h[il].ln1);
        l.qNorm = pack.slice(*constants_, h[il].q);
        l.kNorm = pack.slice(*constants_, h[il].k);
        l.attnPostNorm = pack.slice(*constants_, h[il].postAttn);
        l.ln2 = pack.slice(*constants_, h[il].ln2);
        l.ffnPostNorm = pack.slice(*constants_, h[il].postFfn);
        if (h[il].outScale != kNone) l.outScale = pack.slice(*constants_, h[il].outScale);
    }
    s_ = std::make_unique<Scratch>();
    s_->theta = pack.slice(*constants_, theta);
    if (stdBias != kNone) {
        s_->stdBias = pack.slice(*constants_, stdBias);
        s_->stdScale = pack.slice(*constants_, stdScale);
    }
    FACET_ASSIGN(s_->cmd, vk::Cmd::create(dev_, "vision"));
    if (options_.profiler) s_->cmd->setProfiler(options_.profiler);

    // The widest per-patch row must fit one binding for every patch; the
    // per-patch dispatches take one workgroup row per patch.
    const vk::DeviceCaps& caps = dev_.caps();
    const uint64_t widest = std::max<uint64_t>({uint64_t(E), uint64_t(d_.heads) * hd, uint64_t(d_.ffn),
                                                uint64_t(3) * p * p, uint64_t(d_.textWidth)});
    const uint64_t byBinding = caps.maxStorageBufferRange / (widest * 4);
    maxPatches_ = static_cast<int>(std::min<uint64_t>({byBinding, caps.maxComputeWorkGroupCount[1], INT_MAX}));
    return {};
}

Status VisionVulkan::ensureCapacity(int patches) {
    Scratch& s = *s_;
    if (patches <= s.capacity) return {};
    const uint64_t n = static_cast<uint64_t>(patches), E = d_.width, qW = uint64_t(d_.heads) * d_.headDim;
    const uint64_t pooled = n / (uint64_t(d_.poolKernel) * d_.poolKernel), patchLen = 3ull * d_.patchSize * d_.patchSize;
    // The old set goes first: only one is held.
    for (auto* b : {&s.x, &s.a, &s.o, &s.c, &s.q, &s.k, &s.v, &s.attn, &s.g, &s.u, &s.pooled, &s.tokens, &s.input,
                    &s.readback})
        b->reset();
    s.capacity = 0;  // until every buffer is there

    // Device-local activations within what the device has (and FACET_VK_MEMORY_LIMIT allows).
    const uint64_t localBytes = 4 * (n * E * 4 + n * qW * 4 + n * d_.ffn * 2 + pooled * (E + d_.textWidth));
    const vk::DeviceCaps& caps = dev_.caps();
    uint64_t available = 0;
    for (uint32_t h = 0; h < caps.heaps.size(); ++h)
        if (caps.heaps[h].deviceLocal) available = std::max(available, dev_.heapAvailable(h));
    if (localBytes > available)
        return errorf("vision: a picture of %d patches needs %s of device memory for its activations, %s has %s available",
                      patches, vk::formatBytes(localBytes).c_str(), caps.name.c_str(), vk::formatBytes(available).c_str());

    auto make = [&](std::unique_ptr<vk::Buffer>& b, vk::MemoryKind kind, uint64_t bytes, const char* name) -> Status {
        FACET_ASSIGN(b, vk::Buffer::create(dev_, kind, std::max<uint64_t>(bytes, 4), name));
        return {};
    };
    const vk::MemoryKind local = vk::MemoryKind::DeviceLocal;
    FACET_TRY(make(s.x, local, n * E * 4, "vision x"));
    FACET_TRY(make(s.a, local, n * E * 4, "vision a"));
    FACET_TRY(make(s.o, local, n * E * 4, "vision o"));
    FACET_TRY(make(s.c, local, n * E * 4, "vision clamped input"));
    FACET_TRY(make(s.q, local, n * qW * 4, "vision q"));
    FACET_TRY(make(s.k, local, n * qW * 4, "vision k"));
    FACET_TRY(make(s.v, local, n * qW * 4, "vision v"));
    FACET_TRY(make(s.attn, local, n * qW * 4, "vision attn"));
    FACET_TRY(make(s.g, local, n * d_.ffn * 4, "vision g"));
    FACET_TRY(make(s.u, local, n * d_.ffn * 4, "vision u"));
    FACET_TRY(make(s.pooled, local, pooled * E * 4, "vision pooled"));
    FACET_TRY(make(s.tokens, local, pooled * d_.textWidth * 4, "vision soft tokens"));
    FACET_TRY(make(s.readback, vk::MemoryKind::Readback, pooled * d_.textWidth * 4, "vision readback"));
    // Inputs, each at a 256-byte boundary.
    const uint64_t pBytes = align256(n * patchLen * 4), posBytes = align256(n * E * 4), iBytes = align256(n * 4);
    FACET_TRY(make(s.input, vk::MemoryKind::HostVisible, pBytes + posBytes + 4 * iBytes, "vision inputs"));
    s.patches = s.input->slice(0, n * patchLen * 4);
    s.positions = s.input->slice(pBytes, n * E * 4);
    s.colPos = s.input->slice(pBytes + posBytes, n * 4);
    s.rowPos = s.input->slice(pBytes + posBytes + iBytes, n * 4);
    s.bounds = s.input->slice(pBytes + posBytes + 2 * iBytes, n * 8);
    s.capacity = patches;
    return {};
}

// im2col as encodeImageCpu (each patch flattened (c, ky, kx)), each patch's
// two position rows summed as the CPU sums them, RoPE positions, bounds.
Status VisionVulkan::stageInput(const std::vector<float>& input, int width, int height, const Grid& g) {
    const Scratch& s = *s_;
    const int p = d_.patchSize, E = d_.width, n = g.n();
    auto* dst = reinterpret_cast<float*>(s.patches.host());
    for (int py = 0; py < g.rows; ++py)
        for (int px = 0; px < g.cols; ++px)
            for (int c = 0; c < 3; ++c)
                for (int ky = 0; ky < p; ++ky)
                    for (int kx = 0; kx < p; ++kx)
                        *dst++ = input[(size_t(c) * height + py * p + ky) * width + px * p + kx];
    const float* table = reinterpret_cast<const float*>(m_.positionTable().data);
    auto* pos = reinterpret_cast<float*>(s.positions.host());
    auto* cols = reinterpret_cast<int32_t*>(s.colPos.host());
    auto* rows = reinterpret_cast<int32_t*>(s.rowPos.host());
    auto* bounds = reinterpret_cast<uint32_t*>(s.bounds.host());
    for (int i = 0; i < n; ++i) {
        const float* t0 = table + size_t(i % g.cols) * E;
        const float* t1 = table + (size_t(d_.positionRows) + i / g.cols) * E;
        for (int e = 0; e < E; ++e) pos[size_t(i) * E + e] = t0[e] + t1[e];
        cols[i] = i % g.cols;
        rows[i] = i / g.cols;
        bounds[2 * i] = 0;
        bounds[2 * i + 1] = static_cast<uint32_t>(n - 1);
    }
    return s.input->flush(0, s.input->size());
}

Result<SoftTokens> VisionVulkan::encode(const std::vector<float>& input, int width, int height) {
    // encodeImageCpu's checks, word for word.
    const int p = d_.patchSize, k = d_.poolKernel;
    const int align = p * k;
    if (width <= 0 || height <= 0 || width % align || height % align)
        return errorf("vision: the picture is %d x %d; both sides must be positive multiples of %d", width, height, align);
    if (input.size() != size_t(3) * width * height)
        return errorf("vision: the encoder input holds %zu values, expected 3 x %d x %d", input.size(), width, height);
    const Grid g{width / p, height / p};
    if (std::max(g.cols, g.rows) > d_.positionRows)
        return errorf("vision: %d patches along a side, but the position table has %d rows", std::max(g.cols, g.rows),
                      d_.positionRows);
    if (g.n() > maxPatches_)
        return errorf("vision: the picture has %d patches; %s holds at most %d per picture (%llu-byte storage bindings)",
                      g.n(), dev_.name().c_str(), maxPatches_,
                      static_cast<unsigned long long>(dev_.caps().maxStorageBufferRange));
    if (dev_.lost()) return errorf("%s: the Vulkan device %s was lost", m_.path().c_str(), dev_.name().c_str());

    FACET_TRY(ensureCapacity(g.n()));
    FACET_TRY(stageInput(input, width, height, g));
    Scratch& s = *s_;
    if (Status st = record(g); !st.ok()) {
        if (s.cmd->recording()) (void)s.cmd->end();
        return st.error();
    }
    FACET_TRY(s.cmd->submitAndWait(kPictureTimeout));
    SoftTokens out;
    out.cols = g.cols / k;
    out.rows = g.rows / k;
    out.width = d_.textWidth;
    const uint64_t bytes = uint64_t(out.count()) * out.width * 4;
    FACET_TRY(s.readback->invalidate(0, bytes));
    out.values.resize(size_t(out.count()) * out.width);
    std::memcpy(out.values.data(), s.readback->mapped(), bytes);
    return out;
}

}  // namespace facet
