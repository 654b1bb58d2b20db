// VisionModel::openHf: the vision tower of a Hugging Face Gemma 4 folder
// (Gemma4ForConditionalGeneration: config.json's vision_config, tensors
// under model.vision_tower. and model.embed_vision.), bound under the GGUF
// names of spec gemma4-vision.md §8 so the tower code reads both alike.
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/mapped_file.h"
#include "model/dequantize.h"
#include "model/gguf_file.h"
#include "model/safetensors_file.h"
#include "vision/vision_model.h"

namespace facet {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr uint64_t kMaxJsonBytes = 64ull << 20;  // config.json and the shard index are small

Result<json> readJson(const std::string& path) {
    FACET_ASSIGN(auto mf, MappedFile::open(path));
    if (mf->size() > kMaxJsonBytes) return errorf("%s: too large for a JSON file", path.c_str());
    const char* text = reinterpret_cast<const char*>(mf->data());
    json doc = json::parse(text, text + mf->size(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return errorf("%s: not a JSON object", path.c_str());
    return doc;
}

Result<int> positiveInt(const json& cfg, const char* key, int fallback, const std::string& path) {
    auto it = cfg.find(key);
    if (it == cfg.end() || it->is_null()) {
        if (fallback > 0) return fallback;
        return errorf("%s: vision_config has no '%s'", path.c_str(), key);
    }
    if (!it->is_number_integer() || it->get<int64_t>() <= 0 || it->get<int64_t>() > (1 << 20))
        return errorf("%s: vision_config '%s' must be a positive integer", path.c_str(), key);
    return static_cast<int>(it->get<int64_t>());
}

// config.json's vision_config → VisionDesc (Gemma4VisionConfig's names and defaults).
Result<VisionDesc> visionDesc(const json& config, const std::string& path) {
    auto vc = config.find("vision_config");
    if (vc == config.end() || !vc->is_object()) return errorf("%s: no vision_config: the model has no vision tower", path.c_str());
    VisionDesc d;
    FACET_ASSIGN(d.width, positiveInt(*vc, "hidden_size", 0, path));
    FACET_ASSIGN(d.ffn, positiveInt(*vc, "intermediate_size", 0, path));
    FACET_ASSIGN(d.layers, positiveInt(*vc, "num_hidden_layers", 0, path));
    FACET_ASSIGN(d.heads, positiveInt(*vc, "num_attention_heads", 0, path));
    FACET_ASSIGN(const int kvHeads, positiveInt(*vc, "num_key_value_heads", d.heads, path));
    if (kvHeads != d.heads)
        return errorf("%s: grouped key/value heads (%d of %d) are not supported in the vision tower", path.c_str(), kvHeads,
                      d.heads);
    FACET_ASSIGN(d.headDim, positiveInt(*vc, "head_dim", d.width / d.heads, path));
    FACET_ASSIGN(d.patchSize, positiveInt(*vc, "patch_size", 16, path));
    FACET_ASSIGN(d.poolKernel, positiveInt(*vc, "pooling_kernel_size", 3, path));
    if (auto eps = vc->find("rms_norm_eps"); eps != vc->end() && eps->is_number()) d.eps = eps->get<float>();
    if (d.headDim * d.heads != d.width || d.headDim % 4 != 0)
        return errorf("%s: %d heads of %d do not make a width of %d with a head size divisible by 4 (2-D RoPE)",
                      path.c_str(), d.heads, d.headDim, d.width);
    if (d.poolKernel > 16) return errorf("%s: pooling kernel %d is out of range", path.c_str(), d.poolKernel);
    return d;
}

// The HF name of a GGUF vision tensor name (spec §8), or "" when there is none.
std::string hfName(const std::string& gguf) {
    static const std::map<std::string, std::string> globals = {
        {"v.patch_embd.weight", "model.vision_tower.patch_embedder.input_proj.weight"},
        {"v.position_embd.weight", "model.vision_tower.patch_embedder.position_embedding_table"},
        {"v.std_bias", "model.vision_tower.std_bias"},
        {"v.std_scale", "model.vision_tower.std_scale"},
        {"mm.input_projection.weight", "model.embed_vision.embedding_projection.weight"}};
    if (auto it = globals.find(gguf); it != globals.end()) return it->second;
    static const std::map<std::string, std::string> inLayer = {
        {"ln1.weight", "input_layernorm.weight"},
        {"attn_q_norm.weight", "self_attn.q_norm.weight"},
        {"attn_k_norm.weight", "self_attn.k_norm.weight"},
        {"attn_post_norm.weight", "post_attention_layernorm.weight"},
        {"ln2.weight", "pre_feedforward_layernorm.weight"},
        {"ffn_post_norm.weight", "post_feedforward_layernorm.weight"},
        {"out_scale.weight", "layer_scalar"}};
    static const std::map<std::string, std::string> linears = {
        {"attn_q", "self_attn.q_proj"}, {"attn_k", "self_attn.k_proj"}, {"attn_v", "self_attn.v_proj"},
        {"attn_out", "self_attn.o_proj"}, {"ffn_gate", "mlp.gate_proj"}, {"ffn_up", "mlp.up_proj"},
        {"ffn_down", "mlp.down_proj"}};
    if (gguf.rfind("v.blk.", 0) != 0) return {};
    const size_t dot = gguf.find('.', 6);
    if (dot == std::string::npos) return {};
    const std::string layer = "model.vision_tower.encoder.layers." + gguf.substr(6, dot - 6) + ".";
    const std::string rest = gguf.substr(dot + 1);
    if (auto it = inLayer.find(rest); it != inLayer.end()) return layer + it->second;
    const size_t at = rest.find('.');
    if (at == std::string::npos) return {};
    const auto lin = linears.find(rest.substr(0, at));
    if (lin == linears.end()) return {};
    const std::string what = rest.substr(at + 1);  // weight, input_min, ...
    return layer + lin->second + (what == "weight" ? ".linear.weight" : "." + what);
}

}  // namespace

Result<std::unique_ptr<VisionModel>> VisionModel::openHf(const std::string& dir) {
    std::unique_ptr<VisionModel> m(new VisionModel());
    m->path_ = dir;
    const fs::path root(dir);
    FACET_ASSIGN(json config, readJson((root / "config.json").string()));
    FACET_ASSIGN(m->desc_, visionDesc(config, (root / "config.json").string()));

    // Which file holds each tensor: the shard index, or the single file.
    std::map<std::string, std::string> fileOf;
    std::error_code ec;
    const std::string index = (root / "model.safetensors.index.json").string();
    if (fs::is_regular_file(index, ec)) {
        FACET_ASSIGN(json doc, readJson(index));
        auto wm = doc.find("weight_map");
        if (wm == doc.end() || !wm->is_object()) return errorf("%s: missing object 'weight_map'", index.c_str());
        for (auto it = wm->begin(); it != wm->end(); ++it) {
            const std::string file = it->is_string() ? it->get<std::string>() : std::string();
            if (file.empty() || file.find('/') != std::string::npos || file.find("..") != std::string::npos)
                return errorf("%s: tensor '%s' names no file beside the index", index.c_str(), it.key().c_str());
            fileOf[it.key()] = file;
        }
    }
    std::map<std::string, SafetensorsFile*> opened;
    auto shard = [&](const std::string& file) -> Result<SafetensorsFile*> {
        if (auto it = opened.find(file); it != opened.end()) return it->second;
        FACET_ASSIGN(auto st, SafetensorsFile::open((root / file).string()));
        m->shards_.push_back(std::move(st));
        return opened[file] = m->shards_.back().get();
    };
    const VisionDesc& d = m->desc_;
    VisionModel* self = m.get();
    FACET_TRY(m->bind([&](const std::string& gguf) -> Result<std::optional<TensorView>> {
        const std::string name = hfName(gguf);
        if (name.empty()) return std::optional<TensorView>();
        std::string file = "model.safetensors";
        if (!fileOf.empty()) {
            auto it = fileOf.find(name);
            if (it == fileOf.end()) return std::optional<TensorView>();
            file = it->second;
        }
        FACET_ASSIGN(SafetensorsFile * st, shard(file));
        if (!st->entry(name)) return std::optional<TensorView>();
        FACET_ASSIGN(TensorView v, st->view(name));
        v.name = gguf;
        const int64_t p = d.patchSize, E = d.width;
        if (gguf == "v.patch_embd.weight") {
            // HF: Linear over (ky, kx, c)-ordered patches, [E][p·p·3]; the tower
            // reads the conv kernel's (c, ky, kx) order: reorder each row.
            if (v.ne[0] != 3 * p * p || v.ne[1] != E || v.ne[2] != 1)
                return errorf("%s: tensor '%s' has shape %s, expected %lld x %lld", dir.c_str(), name.c_str(),
                              shapeString(v).c_str(), (long long)(3 * p * p), (long long)E);
            std::vector<float> row(size_t(3 * p * p)), kernel(size_t(3 * p * p * E));
            for (int64_t e = 0; e < E; ++e) {
                dequantizeTensorRow(v, e, row.data());
                for (int64_t ky = 0; ky < p; ++ky)
                    for (int64_t kx = 0; kx < p; ++kx)
                        for (int64_t c = 0; c < 3; ++c)
                            kernel[size_t(((e * 3 + c) * p + ky) * p + kx)] = row[size_t((ky * p + kx) * 3 + c)];
            }
            self->owned_.push_back(std::move(kernel));
            v.type = GgmlType::F32;
            v.ne = {p, p, 3, E};
            v.nDims = 4;
        } else if (gguf == "v.position_embd.weight" && v.type != GgmlType::F32) {
            std::vector<float> table(size_t(v.elements()));
            for (int64_t r = 0; r < v.rows(); ++r) dequantizeTensorRow(v, r, &table[size_t(r * v.ne[0])]);
            self->owned_.push_back(std::move(table));
            v.type = GgmlType::F32;
        } else {
            return std::optional<TensorView>(std::move(v));
        }
        v.data = reinterpret_cast<const uint8_t*>(self->owned_.back().data());
        v.nbytes = self->owned_.back().size() * sizeof(float);
        return std::optional<TensorView>(std::move(v));
    }));
    return m;
}

}  // namespace facet
