// config.json -> ModelDesc (see hf_config.h). Defaults are transformers'
// Gemma4TextConfig defaults, except final_logit_softcapping (absent -> 30,
// as every released checkpoint sets it).
#include "model/hf_config.h"

#include <cmath>
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/mapped_file.h"

namespace facet {

namespace {

using nlohmann::json;

constexpr uint64_t kMaxConfigBytes = 16ull << 20;  // real ones are a few KiB

// Typed access to the text config; absent and null read as the default.
class Fields {
public:
    Fields(const json& obj, std::string prefix, const std::string& path)
        : obj_(obj), prefix_(std::move(prefix)), path_(path) {}

    const json* get(const char* key) const {
        auto it = obj_.find(key);
        return (it == obj_.end() || it->is_null()) ? nullptr : &*it;
    }
    bool has(const char* key) const { return get(key) != nullptr; }

    // `def` empty: the key is required.
    Result<int> integer(const char* key, std::optional<int> def, int64_t lo, int64_t hi) const {
        const json* j = get(key);
        if (j == nullptr) {
            if (def) return *def;
            return errorf("%s: %s%s is missing", path_.c_str(), prefix_.c_str(), key);
        }
        if (!j->is_number_integer() || j->get<int64_t>() < lo || j->get<int64_t>() > hi ||
            (j->is_number_unsigned() && j->get<uint64_t>() > static_cast<uint64_t>(hi)))
            return errorf("%s: %s%s = %s, expected an integer in [%lld, %lld]", path_.c_str(), prefix_.c_str(), key,
                          shown(*j).c_str(), (long long)lo, (long long)hi);
        return static_cast<int>(j->get<int64_t>());
    }

    Result<double> number(const char* key, double def, double lo, double hi) const {
        const json* j = get(key);
        if (j == nullptr) return def;
        if (!j->is_number() || !(j->get<double>() >= lo && j->get<double>() <= hi))
            return errorf("%s: %s%s = %s, expected a number in [%g, %g]", path_.c_str(), prefix_.c_str(), key,
                          shown(*j).c_str(), lo, hi);
        return j->get<double>();
    }

    Result<bool> boolean(const char* key, bool def) const {
        const json* j = get(key);
        if (j == nullptr) return def;
        if (!j->is_boolean())
            return errorf("%s: %s%s = %s, expected true or false", path_.c_str(), prefix_.c_str(), key,
                          shown(*j).c_str());
        return j->get<bool>();
    }

    const std::string& prefix() const { return prefix_; }

    static std::string shown(const json& j) {
        std::string s = j.dump();
        return s.size() > 40 ? s.substr(0, 40) + "..." : s;
    }

private:
    const json& obj_;
    std::string prefix_;
    const std::string& path_;
};

struct Rope {
    double theta = 0;
    double partial = 1.0;  // fraction of the head dim that rotates
    double factor = 1.0;   // linear scaling: frequencies divided by it
};

// rope_parameters.<kind>; HF's built-in defaults when the whole dict is absent.
Result<Rope> readRope(const Fields& f, const char* kind, bool full, const std::string& path) {
    Rope r;
    r.theta = full ? 1e6 : 1e4;
    r.partial = full ? 0.25 : 1.0;
    const json* params = f.get("rope_parameters");
    if (params == nullptr) return r;
    if (!params->is_object())
        return errorf("%s: %srope_parameters is not an object", path.c_str(), f.prefix().c_str());
    auto it = params->find(kind);
    if (it == params->end() || it->is_null()) return r;
    if (!it->is_object())
        return errorf("%s: %srope_parameters.%s is not an object", path.c_str(), f.prefix().c_str(), kind);
    Fields k(*it, f.prefix() + "rope_parameters." + kind + ".", path);
    FACET_ASSIGN(r.theta, k.number("rope_theta", r.theta, 1.0, 1e12));
    FACET_ASSIGN(r.partial, k.number("partial_rotary_factor", 1.0, 1e-6, 1.0));  // HF: .get(..., 1.0)
    FACET_ASSIGN(r.factor, k.number("factor", 1.0, 1e-6, 1e6));
    std::string type = "default";
    if (const json* t = k.get("rope_type")) {
        if (!t->is_string())
            return errorf("%s: %srope_type is not a string", path.c_str(), k.prefix().c_str());
        type = t->get<std::string>();
    }
    // ModelDesc can express full rotation on sliding layers and proportional
    // (or full default) rotation with factors on full layers; nothing else.
    const bool ok = full ? (type == "proportional" || (type == "default" && r.partial == 1.0))
                         : (type == "default" && r.partial == 1.0);
    if (!ok)
        return errorf("%s: %s{rope_type '%s', partial_rotary_factor %g} is not supported for %s layers",
                      path.c_str(), k.prefix().c_str(), type.c_str(), r.partial, full ? "full" : "sliding");
    if (!full || type == "default") r.factor = 1.0;  // default RoPE has no linear factor in HF
    return r;
}


std::string folderName(const std::string& configPath) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(configPath).parent_path();
    if (dir.empty() || dir.filename().empty() || dir.filename() == "." || dir.filename() == "..") {
        std::error_code ec;
        fs::path abs = fs::weakly_canonical(fs::absolute(configPath, ec), ec);
        dir = abs.parent_path();
    }
    std::string n = dir.filename().string();
    return n.empty() ? std::string("model") : n;
}

Status checkModelType(const json& obj, const char* where, const std::string& path) {
    auto it = obj.find("model_type");
    if (it == obj.end() || it->is_null()) return Status::success();
    if (!it->is_string() || (it->get<std::string>() != "gemma4" && it->get<std::string>() != "gemma4_text"))
        return errorf("%s: %smodel_type = %s; Facet runs only Gemma 4 ('gemma4' / 'gemma4_text')", path.c_str(),
                      where, Fields::shown(*it).c_str());
    return Status::success();
}

}  // namespace

Result<ModelDesc> descFromHfConfig(const std::string& configJsonPath) {
    FACET_ASSIGN(auto mf, MappedFile::open(configJsonPath));
    if (mf->size() > kMaxConfigBytes)
        return errorf("%s: %llu bytes, expected at most %llu for a config.json", configJsonPath.c_str(),
                      (unsigned long long)mf->size(), (unsigned long long)kMaxConfigBytes);
    std::string text(reinterpret_cast<const char*>(mf->data()), mf->size());
    return descFromHfConfigText(text, configJsonPath);
}

Result<ModelDesc> descFromHfConfigText(const std::string& jsonText, const std::string& path) {
    json root = json::parse(jsonText, nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded() || !root.is_object()) return errorf("%s: not a JSON object", path.c_str());
    FACET_TRY(checkModelType(root, "", path));
    const json* textObj = &root;
    std::string prefix;
    if (auto tc = root.find("text_config"); tc != root.end() && !tc->is_null()) {
        if (!tc->is_object()) return errorf("%s: text_config is not an object", path.c_str());
        textObj = &*tc;
        prefix = "text_config.";
        FACET_TRY(checkModelType(*tc, "text_config.", path));
    }
    const Fields f(*textObj, prefix, path);

    // Gemma 4 always ties the output head to embed_tokens; ModelDesc has no untied head.
    for (const Fields& g : {f, Fields(root, "", path)}) {
        FACET_ASSIGN(bool tied, g.boolean("tie_word_embeddings", true));
        if (!tied)
            return errorf("%s: %stie_word_embeddings = false; Facet expects the tied Gemma 4 head", path.c_str(),
                          g.prefix().c_str());
    }
    if (const json* bidi = f.get("use_bidirectional_attention"); bidi && bidi->is_string() && *bidi == "all")
        return errorf("%s: %suse_bidirectional_attention = \"all\" is not a causal decoder", path.c_str(),
                      prefix.c_str());

    ModelDesc d;
    d.name = folderName(path);
    FACET_ASSIGN(d.nLayers, f.integer("num_hidden_layers", std::nullopt, 1, 1024));
    FACET_ASSIGN(d.hidden, f.integer("hidden_size", std::nullopt, 1, 65536));
    FACET_ASSIGN(int ffn, f.integer("intermediate_size", std::nullopt, 1, 1 << 20));
    FACET_ASSIGN(int nHeads, f.integer("num_attention_heads", std::nullopt, 1, 1024));
    FACET_ASSIGN(int nKv, f.integer("num_key_value_heads", 4, 1, 1024));
    FACET_ASSIGN(int headDim, f.integer("head_dim", 256, 2, 8192));
    FACET_ASSIGN(int globalHeadDim, f.integer("global_head_dim", 512, 2, 8192));
    FACET_ASSIGN(bool kEqV, f.boolean("attention_k_eq_v", false));
    // HF applies num_global_key_value_heads to full layers only under k_eq_v.
    FACET_ASSIGN(int nKvFull, f.integer("num_global_key_value_heads", nKv, 1, 1024));
    if (!kEqV) nKvFull = nKv;
    FACET_ASSIGN(d.vocab, f.integer("vocab_size", 262144, 1, 1 << 30));
    FACET_ASSIGN(d.contextLength, f.integer("max_position_embeddings", 131072, 1, 1 << 24));
    FACET_ASSIGN(d.slidingWindow, f.integer("sliding_window", 512, 1, 1 << 24));
    FACET_ASSIGN(d.pleDim, f.integer("hidden_size_per_layer_input", 256, 0, 65536));
    FACET_ASSIGN(d.nKvShared, f.integer("num_kv_shared_layers", 0, 0, d.nLayers - 1));
    FACET_ASSIGN(bool doubleWide, f.boolean("use_double_wide_mlp", false));
    FACET_ASSIGN(double eps, f.number("rms_norm_eps", 1e-6, 0.0, 1.0));
    d.rmsEps = static_cast<float>(eps);

    // Absent -> 30 (all released models); explicit null or 0 -> disabled.
    if (auto it = textObj->find("final_logit_softcapping"); it == textObj->end()) {
        d.finalSoftcap = 30.f;
    } else if (it->is_null()) {
        d.finalSoftcap = 0.f;
    } else {
        FACET_ASSIGN(double cap, f.number("final_logit_softcapping", 30.0, 0.0, 1e6));
        d.finalSoftcap = static_cast<float>(cap);
    }

    FACET_ASSIGN(bool moe, f.boolean("enable_moe_block", false));
    if (moe) {
        FACET_ASSIGN(d.nExperts, f.integer("num_experts", std::nullopt, 1, 4096));
        FACET_ASSIGN(d.nExpertsUsed, f.integer("top_k_experts", std::nullopt, 1, d.nExperts));
        FACET_ASSIGN(d.expertFfn, f.integer("moe_intermediate_size", std::nullopt, 1, 1 << 20));
    }

    // Per-layer attention kind; HF's default pattern is 5 sliding + 1 full.
    std::vector<AttnKind> kinds(d.nLayers);
    if (const json* lt = f.get("layer_types")) {
        if (!lt->is_array() || lt->size() != static_cast<size_t>(d.nLayers))
            return errorf("%s: %slayer_types must be an array of %d entries (num_hidden_layers)", path.c_str(),
                          prefix.c_str(), d.nLayers);
        for (int i = 0; i < d.nLayers; ++i) {
            const json& e = (*lt)[i];
            if (e == "sliding_attention") kinds[i] = AttnKind::Sliding;
            else if (e == "full_attention") kinds[i] = AttnKind::Full;
            else
                return errorf("%s: %slayer_types[%d] = %s, expected \"sliding_attention\" or \"full_attention\"",
                              path.c_str(), prefix.c_str(), i, Fields::shown(e).c_str());
        }
    } else {
        for (int i = 0; i < d.nLayers; ++i) kinds[i] = (i + 1) % 6 ? AttnKind::Sliding : AttnKind::Full;
    }
    kinds.back() = AttnKind::Full;  // HF forces the last layer to full attention

    FACET_ASSIGN(Rope slidingRope, readRope(f, "sliding_attention", false, path));
    FACET_ASSIGN(Rope fullRope, readRope(f, "full_attention", true, path));

    // KV sharing: the last nKvShared layers read the cache of the last
    // non-shared layer of their own kind (spec §2.4).
    const int firstShared = d.nLayers - d.nKvShared;
    int lastOwner[2] = {-1, -1};
    d.layers.resize(d.nLayers);
    for (int i = 0; i < d.nLayers; ++i) {
        LayerDesc& l = d.layers[i];
        const bool full = kinds[i] == AttnKind::Full;
        l.attn = kinds[i];
        l.headDim = full ? globalHeadDim : headDim;
        l.nHeads = nHeads;
        l.nKvHeads = full ? nKvFull : nKv;
        l.kEqV = full && kEqV;
        l.ffnWidth = (doubleWide && i >= firstShared) ? 2 * ffn : ffn;
        l.moe = moe;
        l.window = full ? 0 : d.slidingWindow;
        l.ropeBase = static_cast<float>(full ? fullRope.theta : slidingRope.theta);
        if (i < firstShared) {
            l.kvSource = i;
            lastOwner[full] = i;
        } else if (lastOwner[full] < 0) {
            return errorf("%s: layer %d shares KV (num_kv_shared_layers = %d) but no earlier %s layer owns a cache",
                          path.c_str(), i, d.nKvShared, attnKindName(l.attn));
        } else {
            l.kvSource = lastOwner[full];
        }
    }

    // Full-layer RoPE as GGUF rope_freqs divisors: rotated pairs get the linear
    // factor, the rest a huge divisor that freezes them (spec §2.6).
    const int pairs = globalHeadDim / 2;
    const int angles = static_cast<int>(std::floor(fullRope.partial * globalHeadDim / 2.0));
    d.ropeFreqFactors.assign(pairs, 1e30f);
    for (int j = 0; j < angles && j < pairs; ++j) d.ropeFreqFactors[j] = static_cast<float>(fullRope.factor);

    d.embedScale = std::sqrt(static_cast<float>(d.hidden));
    d.variant = detectVariant(d);
    if (std::string err = validateDesc(d); !err.empty()) return errorf("%s: %s", path.c_str(), err.c_str());
    return d;
}

}  // namespace facet
