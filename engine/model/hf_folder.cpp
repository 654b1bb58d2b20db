// HfFolder: HF folder layout, shard index and HF -> GGUF tensor names.
#include "model/hf_folder.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/mapped_file.h"
#include "model/safetensors_file.h"

namespace facet {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Rename {
    std::string_view hf;
    std::string_view gguf;
};

// Spec §3.1/§3.2. Names relative to the text prefix.
constexpr Rename kGlobalNames[] = {
    {"embed_tokens.weight", "token_embd.weight"},
    {"norm.weight", "output_norm.weight"},
    {"embed_tokens_per_layer.weight", "per_layer_token_embd.weight"},
    {"per_layer_model_projection.weight", "per_layer_model_proj.weight"},
    {"per_layer_projection_norm.weight", "per_layer_proj_norm.weight"},
};

// Relative to "layers.N."; the GGUF side gets "blk.N.".
constexpr Rename kLayerNames[] = {
    {"input_layernorm.weight", "attn_norm.weight"},
    {"self_attn.q_proj.weight", "attn_q.weight"},
    {"self_attn.k_proj.weight", "attn_k.weight"},
    {"self_attn.v_proj.weight", "attn_v.weight"},
    {"self_attn.o_proj.weight", "attn_output.weight"},
    {"self_attn.q_norm.weight", "attn_q_norm.weight"},
    {"self_attn.k_norm.weight", "attn_k_norm.weight"},
    {"post_attention_layernorm.weight", "post_attention_norm.weight"},
    {"pre_feedforward_layernorm.weight", "ffn_norm.weight"},
    {"post_feedforward_layernorm.weight", "post_ffw_norm.weight"},
    {"mlp.gate_proj.weight", "ffn_gate.weight"},
    {"mlp.up_proj.weight", "ffn_up.weight"},
    {"mlp.down_proj.weight", "ffn_down.weight"},
    {"layer_scalar", "layer_output_scale.weight"},
    // MoE (26B-A4B)
    {"router.proj.weight", "ffn_gate_inp.weight"},
    {"router.scale", "ffn_gate_inp.scale"},
    {"router.per_expert_scale", "ffn_down_exps.scale"},
    {"experts.gate_up_proj", "ffn_gate_up_exps.weight"},
    {"experts.down_proj", "ffn_down_exps.weight"},
    {"pre_feedforward_layernorm_2.weight", "pre_ffw_norm_2.weight"},
    {"post_feedforward_layernorm_1.weight", "post_ffw_norm_1.weight"},
    {"post_feedforward_layernorm_2.weight", "post_ffw_norm_2.weight"},
    // Per-layer embeddings (E2B/E4B)
    {"per_layer_input_gate.weight", "inp_gate.weight"},
    {"per_layer_projection.weight", "proj.weight"},
    {"post_per_layer_input_norm.weight", "post_norm.weight"},
};

// Non-text parts of a multimodal checkpoint, relative to "model.".
constexpr std::string_view kSkippedPrefixes[] = {"vision_tower.", "audio_tower.", "embed_vision", "embed_audio"};

bool consume(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) return false;
    s.remove_prefix(prefix.size());
    return true;
}

// "12.rest" -> 12 and "rest"; canonical decimals only, so "03" cannot alias "3".
bool consumeLayerIndex(std::string_view& s, int& layer) {
    size_t dot = s.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 5) return false;
    if (s[0] == '0' && dot > 1) return false;
    int v = 0;
    for (size_t i = 0; i < dot; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    layer = v;
    s.remove_prefix(dot + 1);
    return true;
}

// A shard name from the index must stay inside the folder.
bool isPlainFileName(const std::string& n) {
    return !n.empty() && n != "." && n != ".." && n.find('/') == std::string::npos &&
           n.find('\\') == std::string::npos && n.find('\0') == std::string::npos;
}

constexpr uint64_t kMaxIndexBytes = 64ull << 20;  // real indexes are ~100 KiB

}  // namespace

HfNameMapping mapHfTensorName(std::string_view name) {
    HfNameMapping m;
    if (name == "lm_head.weight") {  // tied to embed_tokens in every Gemma 4
        m.kind = HfNameKind::Skipped;
        return m;
    }
    std::string_view rest = name;
    if (!consume(rest, "model.language_model.")) {
        if (!consume(rest, "model.")) return m;  // Unknown
        for (std::string_view p : kSkippedPrefixes) {
            if (rest.substr(0, p.size()) == p) {
                m.kind = HfNameKind::Skipped;
                return m;
            }
        }
    }
    for (const Rename& r : kGlobalNames) {
        if (rest == r.hf) {
            m.kind = HfNameKind::Text;
            m.ggufName = r.gguf;
            return m;
        }
    }
    int layer = 0;
    if (!consume(rest, "layers.") || !consumeLayerIndex(rest, layer)) return m;
    for (const Rename& r : kLayerNames) {
        if (rest == r.hf) {
            m.kind = HfNameKind::Text;
            m.ggufName = "blk." + std::to_string(layer) + "." + std::string(r.gguf);
            return m;
        }
    }
    return m;
}

HfFolder::~HfFolder() = default;

Result<std::unique_ptr<HfFolder>> HfFolder::open(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return errorf("%s: not a directory", dir.c_str());
    std::unique_ptr<HfFolder> f(new HfFolder());
    f->dir_ = dir;
    const fs::path root(dir);
    f->configPath_ = (root / "config.json").string();
    if (!fs::is_regular_file(f->configPath_, ec))
        return errorf("%s: no config.json in the model folder", f->configPath_.c_str());
    if (std::string tok = (root / "tokenizer.json").string(); fs::is_regular_file(tok, ec))
        f->tokenizerJsonPath_ = tok;

    const std::string index = (root / "model.safetensors.index.json").string();
    const std::string single = (root / "model.safetensors").string();
    if (fs::is_regular_file(index, ec)) {
        FACET_TRY(f->loadIndex(index));
    } else if (fs::is_regular_file(single, ec)) {
        FACET_TRY(f->loadSingle(single));
    } else {
        return errorf("%s: neither model.safetensors nor model.safetensors.index.json found", dir.c_str());
    }
    if (f->tensors_.empty())
        return errorf("%s: no Gemma 4 text tensors (expected names under 'model.language_model.' or 'model.')",
                      dir.c_str());
    f->finish();
    return f;
}

Status HfFolder::loadSingle(const std::string& file) {
    FACET_ASSIGN(auto st, SafetensorsFile::open(file));
    SafetensorsFile& ref = *st;
    shards_.emplace(fs::path(file).filename().string(), std::move(st));
    weightFiles_.push_back(file);
    for (const SafetensorsEntry& e : ref.tensors()) {
        HfNameMapping m = mapHfTensorName(e.name);
        if (m.kind == HfNameKind::Skipped) {
            ++skipped_;
        } else if (m.kind == HfNameKind::Unknown) {
            unknown_.push_back(e.name);
        } else {
            FACET_TRY(addTensor(e.name, m.ggufName, ref));
        }
    }
    return Status::success();
}

Status HfFolder::loadIndex(const std::string& indexPath) {
    FACET_ASSIGN(auto mf, MappedFile::open(indexPath));
    if (mf->size() > kMaxIndexBytes)
        return errorf("%s: %llu bytes, expected at most %llu for a shard index", indexPath.c_str(),
                      (unsigned long long)mf->size(), (unsigned long long)kMaxIndexBytes);
    const char* text = reinterpret_cast<const char*>(mf->data());
    json doc = json::parse(text, text + mf->size(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return errorf("%s: not a JSON object", indexPath.c_str());
    auto wm = doc.find("weight_map");
    if (wm == doc.end() || !wm->is_object())
        return errorf("%s: missing object 'weight_map'", indexPath.c_str());

    for (auto it = wm->begin(); it != wm->end(); ++it) {
        const std::string& hfName = it.key();
        if (!it.value().is_string())
            return errorf("%s: weight_map['%s'] is not a file name string", indexPath.c_str(), hfName.c_str());
        const std::string& fileName = it.value().get_ref<const std::string&>();
        if (!isPlainFileName(fileName))
            return errorf("%s: weight_map['%s'] = '%s' is not a file name inside the folder", indexPath.c_str(),
                          hfName.c_str(), fileName.c_str());
        HfNameMapping m = mapHfTensorName(hfName);
        if (m.kind == HfNameKind::Skipped) {
            ++skipped_;  // its shard is not even opened when it holds only towers
            continue;
        }
        if (m.kind == HfNameKind::Unknown) {
            unknown_.push_back(hfName);
            continue;
        }
        FACET_ASSIGN(SafetensorsFile * st, shard(fileName));
        if (st->entry(hfName) == nullptr)
            return errorf("%s: weight_map puts tensor '%s' in %s, which has no such tensor", indexPath.c_str(),
                          hfName.c_str(), st->path().c_str());
        FACET_TRY(addTensor(hfName, m.ggufName, *st));
    }
    return Status::success();
}

Result<SafetensorsFile*> HfFolder::shard(const std::string& fileName) {
    auto it = shards_.find(fileName);
    if (it != shards_.end()) return it->second.get();
    const std::string path = (fs::path(dir_) / fileName).string();
    FACET_ASSIGN(auto st, SafetensorsFile::open(path));
    SafetensorsFile* raw = st.get();
    shards_.emplace(fileName, std::move(st));
    weightFiles_.push_back(path);
    return raw;
}

Status HfFolder::addTensor(const std::string& hfName, const std::string& ggufName, SafetensorsFile& file) {
    // e.g. both "model.layers.0..." and "model.language_model.layers.0..." present
    if (auto it = byName_.find(ggufName); it != byName_.end())
        return errorf("%s: tensors '%s' and '%s' both map to '%s'", file.path().c_str(),
                      sources_[it->second].hfName.c_str(), hfName.c_str(), ggufName.c_str());
    FACET_ASSIGN(TensorView v, file.view(hfName));
    byName_.emplace(ggufName, tensors_.size());
    v.name = ggufName;
    tensors_.push_back(std::move(v));
    sources_.push_back(HfTensorSource{hfName, file.path()});
    return Status::success();
}

void HfFolder::finish() {
    std::vector<size_t> order(tensors_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tensors_[a].name < tensors_[b].name; });
    std::vector<TensorView> t;
    std::vector<HfTensorSource> s;
    for (size_t i : order) {
        t.push_back(std::move(tensors_[i]));
        s.push_back(std::move(sources_[i]));
    }
    tensors_ = std::move(t);
    sources_ = std::move(s);
    byName_.clear();
    for (size_t i = 0; i < tensors_.size(); ++i) byName_.emplace(tensors_[i].name, i);
    std::sort(unknown_.begin(), unknown_.end());
}

const TensorView* HfFolder::find(std::string_view ggufName) const {
    auto it = byName_.find(std::string(ggufName));
    return it == byName_.end() ? nullptr : &tensors_[it->second];
}

const HfTensorSource* HfFolder::source(std::string_view ggufName) const {
    auto it = byName_.find(std::string(ggufName));
    return it == byName_.end() ? nullptr : &sources_[it->second];
}

}  // namespace facet
