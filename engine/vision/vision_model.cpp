#include "vision/vision_model.h"

#include <cmath>
#include <cstring>
#include <filesystem>

#include "model/dequantize.h"
#include "model/gguf_file.h"
#include "model/safetensors_file.h"

namespace facet {

namespace {

constexpr const char* kLinearNames[] = {"attn_q", "attn_k", "attn_v", "attn_out", "ffn_gate", "ffn_up", "ffn_down"};

Result<int> requiredInt(const GgufFile& f, const std::string& key) {
    FACET_ASSIGN(auto v, f.getInt(key));
    if (!v) return errorf("%s: the projector has no '%s'", f.path().c_str(), key.c_str());
    if (*v <= 0 || *v > (1 << 20)) return errorf("%s: '%s' = %lld is out of range", f.path().c_str(), key.c_str(), (long long)*v);
    return static_cast<int>(*v);
}

Result<VisionDesc> readDesc(const GgufFile& f) {
    FACET_ASSIGN(auto type, f.getString("clip.projector_type"));
    if (!type) {
        FACET_ASSIGN(type, f.getString("clip.vision.projector_type"));
    }
    if (!type) return errorf("%s: not a projector file (no clip.projector_type)", f.path().c_str());
    if (*type != "gemma4v")
        return errorf("%s: projector type '%s' is not Gemma 4 vision (gemma4v)", f.path().c_str(), type->c_str());
    FACET_ASSIGN(auto hasVision, f.getBool("clip.has_vision_encoder"));
    if (hasVision && !*hasVision) return errorf("%s: the projector has no vision encoder", f.path().c_str());
    VisionDesc d;
    FACET_ASSIGN(d.patchSize, requiredInt(f, "clip.vision.patch_size"));
    FACET_ASSIGN(d.width, requiredInt(f, "clip.vision.embedding_length"));
    FACET_ASSIGN(d.ffn, requiredInt(f, "clip.vision.feed_forward_length"));
    FACET_ASSIGN(d.layers, requiredInt(f, "clip.vision.block_count"));
    FACET_ASSIGN(d.heads, requiredInt(f, "clip.vision.attention.head_count"));
    FACET_ASSIGN(auto kvHeads, f.getInt("clip.vision.attention.head_count_kv"));
    if (kvHeads && *kvHeads != d.heads)
        return errorf("%s: grouped key/value heads (%lld of %d) are not supported in the vision tower", f.path().c_str(),
                      (long long)*kvHeads, d.heads);
    FACET_ASSIGN(auto headDim, f.getInt("clip.vision.attention.head_dim"));
    d.headDim = headDim ? static_cast<int>(*headDim) : d.width / d.heads;
    if (d.headDim * d.heads != d.width || d.headDim % 4 != 0)
        return errorf("%s: %d heads of %d do not make a width of %d with a head size divisible by 4 (2-D RoPE)",
                      f.path().c_str(), d.heads, d.headDim, d.width);
    FACET_ASSIGN(auto eps, f.getFloat("clip.vision.attention.layer_norm_epsilon"));
    d.eps = eps ? static_cast<float>(*eps) : 1e-6f;
    FACET_ASSIGN(auto pool, f.getInt("clip.vision.projector.scale_factor"));
    d.poolKernel = pool ? static_cast<int>(*pool) : 3;
    if (d.poolKernel <= 0 || d.poolKernel > 16) return errorf("%s: pooling kernel %d is out of range", f.path().c_str(), d.poolKernel);
    return d;
}


}  // namespace

VisionModel::~VisionModel() = default;

const std::string& VisionModel::path() const { return path_; }

Result<std::unique_ptr<VisionModel>> VisionModel::open(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return openHf(path);
    FACET_ASSIGN(auto file, GgufFile::open(path));
    return fromGguf(std::move(file));
}

Result<std::unique_ptr<VisionModel>> VisionModel::fromGguf(std::unique_ptr<GgufFile> file) {
    std::unique_ptr<VisionModel> m(new VisionModel());
    m->gguf_ = std::move(file);
    m->path_ = m->gguf_->path();
    FACET_ASSIGN(m->desc_, readDesc(*m->gguf_));
    const GgufFile& f = *m->gguf_;
    FACET_TRY(m->bind([&f](const std::string& name) -> Result<std::optional<TensorView>> {
        const GgufTensorInfo* info = f.findTensor(name);
        if (!info) return std::optional<TensorView>();
        FACET_ASSIGN(TensorView v, f.view(*info));
        return std::optional<TensorView>(std::move(v));
    }));
    return m;
}

Status VisionModel::bind(const TensorLookup& find) {
    const std::string& path = path_;
    const VisionDesc& d = desc_;
    struct Want {
        std::string name;
        std::array<int64_t, 4> ne;
        bool optional;
        const TensorView** slot;
    };
    std::vector<Want> wants;
    const int64_t E = d.width, p = d.patchSize;
    layers_.resize(d.layers);
    wants.push_back({"v.patch_embd.weight", {p, p, 3, E}, false, &patch_});
    wants.push_back({"v.position_embd.weight", {E, -1, 2, 1}, false, &position_});
    wants.push_back({"mm.input_projection.weight", {E, -1, 1, 1}, false, &projection_});
    wants.push_back({"v.std_bias", {E, 1, 1, 1}, true, &stdBias_});
    wants.push_back({"v.std_scale", {E, 1, 1, 1}, true, &stdScale_});
    const int64_t qkv = int64_t(d.heads) * d.headDim;
    for (int il = 0; il < d.layers; ++il) {
        VisionLayer& L = layers_[il];
        const std::string b = "v.blk." + std::to_string(il) + ".";
        wants.push_back({b + "ln1.weight", {E, 1, 1, 1}, false, &L.ln1});
        wants.push_back({b + "attn_q_norm.weight", {d.headDim, 1, 1, 1}, false, &L.qNorm});
        wants.push_back({b + "attn_k_norm.weight", {d.headDim, 1, 1, 1}, false, &L.kNorm});
        wants.push_back({b + "attn_post_norm.weight", {E, 1, 1, 1}, false, &L.attnPostNorm});
        wants.push_back({b + "ln2.weight", {E, 1, 1, 1}, false, &L.ln2});
        wants.push_back({b + "ffn_post_norm.weight", {E, 1, 1, 1}, false, &L.ffnPostNorm});
        const std::array<std::array<int64_t, 4>, 7> shapes = {{{E, qkv, 1, 1}, {E, qkv, 1, 1}, {E, qkv, 1, 1}, {qkv, E, 1, 1},
                                                               {E, d.ffn, 1, 1}, {E, d.ffn, 1, 1}, {d.ffn, E, 1, 1}}};
        for (int k = 0; k < 7; ++k) wants.push_back({b + kLinearNames[k] + ".weight", shapes[k], false, &L.linear[k]});
    }
    views_.reserve(wants.size());
    for (const Want& w : wants) {
        FACET_ASSIGN(std::optional<TensorView> v, find(w.name));
        if (!v) {
            if (w.optional) continue;
            return errorf("%s: the projector has no tensor '%s'", path.c_str(), w.name.c_str());
        }
        for (int i = 0; i < 4; ++i)
            if (w.ne[i] >= 0 && v->ne[i] != w.ne[i])
                return errorf("%s: tensor '%s' has shape %s, expected %lld x %lld x %lld x %lld", path.c_str(),
                              w.name.c_str(), shapeString(*v).c_str(), (long long)w.ne[0], (long long)w.ne[1],
                              (long long)w.ne[2], (long long)w.ne[3]);
        views_.push_back(std::move(*v));
        *w.slot = &views_.back();
    }
    desc_.positionRows = static_cast<int>(position_->ne[1]);
    desc_.textWidth = static_cast<int>(projection_->ne[1]);
    if (position_->type != GgmlType::F32) return errorf("%s: v.position_embd.weight must be F32", path.c_str());
    if ((stdBias_ == nullptr) != (stdScale_ == nullptr))
        return errorf("%s: the projector has only one of v.std_bias and v.std_scale", path.c_str());

    // Optional scalars: clamp bounds per linear and the layer's out_scale.
    auto scalar = [&](const std::string& name, float& out) -> Status {
        FACET_ASSIGN(std::optional<TensorView> v, find(name));
        if (!v) return {};
        if (v->elements() != 1 || !(v->type == GgmlType::F32 || v->type == GgmlType::F16 || v->type == GgmlType::BF16))
            return errorf("%s: '%s' must be one float value", path.c_str(), name.c_str());
        float x;
        dequantizeTensorRow(*v, 0, &x);
        if (std::isnan(x)) return errorf("%s: '%s' is NaN", path.c_str(), name.c_str());
        out = x;
        return {};
    };
    for (int il = 0; il < d.layers; ++il) {
        const std::string b = "v.blk." + std::to_string(il) + ".";
        for (int k = 0; k < 7; ++k) {
            ClampBounds& c = layers_[il].clamp[k];
            const std::string n = b + kLinearNames[k];
            FACET_TRY(scalar(n + ".input_min", c.inMin));
            FACET_TRY(scalar(n + ".input_max", c.inMax));
            FACET_TRY(scalar(n + ".output_min", c.outMin));
            FACET_TRY(scalar(n + ".output_max", c.outMax));
        }
        FACET_TRY(scalar(b + "out_scale.weight", layers_[il].outScale));
    }
    return {};
}

}  // namespace facet
