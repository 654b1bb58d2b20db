#include "model/gguf_desc.h"

#include <cmath>
#include <filesystem>
#include <functional>

#include "model/dequantize.h"
#include "model/gguf_split.h"

namespace facet {
namespace {

// Reads "gemma4.<key>" as one value per layer: a scalar broadcasts, an array
// must have exactly nLayers entries.
Result<std::vector<int64_t>> perLayerInt(const GgufFile& f, const std::string& key, int nLayers, bool required,
                                         int64_t fallback) {
    const GgufValue* v = f.find(key);
    if (!v) {
        if (required) return errorf("%s: required metadata key '%s' is missing", f.path().c_str(), key.c_str());
        return std::vector<int64_t>(nLayers, fallback);
    }
    if (v->type == GgufValueType::Array) {
        if (v->ints.size() != static_cast<size_t>(nLayers))
            return errorf("%s: '%s' has %zu entries, expected one per layer (%d)", f.path().c_str(), key.c_str(),
                          v->arraySize(), nLayers);
        return v->ints;
    }
    if (!v->isInteger()) return errorf("%s: '%s' must be an integer or an integer array", f.path().c_str(), key.c_str());
    return std::vector<int64_t>(nLayers, v->i);
}

Result<int64_t> requiredInt(const GgufFile& f, const std::string& key) {
    FACET_ASSIGN(auto v, f.getInt(key));
    if (!v) return errorf("%s: required metadata key '%s' is missing", f.path().c_str(), key.c_str());
    return *v;
}

Result<int64_t> optionalInt(const GgufFile& f, const std::string& key, int64_t fallback) {
    FACET_ASSIGN(auto v, f.getInt(key));
    return v ? *v : fallback;
}

Result<double> optionalFloat(const GgufFile& f, const std::string& key, double fallback) {
    FACET_ASSIGN(auto v, f.getFloat(key));
    return v ? *v : fallback;
}

// Narrowing with a range check so absurd metadata cannot wrap into plausible ints.
Status toInt(const GgufFile& f, const char* what, int64_t v, int64_t lo, int64_t hi, int& out) {
    if (v < lo || v > hi)
        return errorf("%s: %s = %lld is out of range %lld..%lld", f.path().c_str(), what, static_cast<long long>(v),
                      static_cast<long long>(lo), static_cast<long long>(hi));
    out = static_cast<int>(v);
    return {};
}

// Where a tensor is: `f` itself, or whichever part of a split model holds it.
using TensorFinder = std::function<GgufSplitTensor(const std::string&)>;

Result<ModelDesc> descFrom(const GgufFile& f, const TensorFinder& findTensor) {
    const std::string& path = f.path();
    FACET_ASSIGN(auto arch, f.getString("general.architecture"));
    if (!arch) return errorf("%s: 'general.architecture' is missing; not a model GGUF", path.c_str());
    if (*arch != "gemma4")
        return errorf("%s: architecture is '%s'; Facet runs only Gemma 4 ('gemma4')", path.c_str(), arch->c_str());

    ModelDesc d;
    FACET_ASSIGN(auto name, f.getString("general.name"));
    d.name = name ? *name : std::filesystem::path(path).stem().string();
    FACET_ASSIGN(int64_t L, requiredInt(f, "gemma4.block_count"));
    FACET_TRY(toInt(f, "gemma4.block_count", L, 1, 1024, d.nLayers));
    FACET_ASSIGN(int64_t H, requiredInt(f, "gemma4.embedding_length"));
    FACET_TRY(toInt(f, "gemma4.embedding_length", H, 1, 65536, d.hidden));
    FACET_ASSIGN(int64_t ctx, optionalInt(f, "gemma4.context_length", 8192));
    FACET_TRY(toInt(f, "gemma4.context_length", ctx, 1, 1 << 24, d.contextLength));

    if (const GgufValue* tok = f.find("tokenizer.ggml.tokens"); tok && tok->type == GgufValueType::Array) {
        d.vocab = static_cast<int>(std::min<size_t>(tok->strings.size(), 1u << 30));
    } else if (const GgufTensorInfo* e = findTensor("token_embd.weight").info) {
        d.vocab = static_cast<int>(std::min<int64_t>(e->ne[1], 1 << 30));
    }

    FACET_ASSIGN(int64_t pleDim, optionalInt(f, "gemma4.embedding_length_per_layer_input", 0));
    FACET_TRY(toInt(f, "gemma4.embedding_length_per_layer_input", pleDim, 0, 65536, d.pleDim));
    FACET_ASSIGN(int64_t nExp, optionalInt(f, "gemma4.expert_count", 0));
    FACET_TRY(toInt(f, "gemma4.expert_count", nExp, 0, 4096, d.nExperts));
    FACET_ASSIGN(int64_t nUsed, optionalInt(f, "gemma4.expert_used_count", 0));
    FACET_TRY(toInt(f, "gemma4.expert_used_count", nUsed, 0, 4096, d.nExpertsUsed));
    FACET_ASSIGN(int64_t expFfn, optionalInt(f, "gemma4.expert_feed_forward_length", 0));
    FACET_TRY(toInt(f, "gemma4.expert_feed_forward_length", expFfn, 0, 1 << 20, d.expertFfn));
    FACET_ASSIGN(int64_t window, optionalInt(f, "gemma4.attention.sliding_window", 0));
    FACET_TRY(toInt(f, "gemma4.attention.sliding_window", window, 0, 1 << 24, d.slidingWindow));
    FACET_ASSIGN(int64_t shared, optionalInt(f, "gemma4.attention.shared_kv_layers", 0));
    FACET_TRY(toInt(f, "gemma4.attention.shared_kv_layers", shared, 0, d.nLayers - 1, d.nKvShared));
    FACET_ASSIGN(double eps, optionalFloat(f, "gemma4.attention.layer_norm_rms_epsilon", 1e-6));
    d.rmsEps = static_cast<float>(eps);
    // llama.cpp applies 30 when the key is absent; only an explicit 0 disables it.
    FACET_ASSIGN(double cap, optionalFloat(f, "gemma4.final_logit_softcapping", 30.0));
    d.finalSoftcap = static_cast<float>(cap);
    d.embedScale = std::sqrt(static_cast<float>(d.hidden));
    FACET_ASSIGN(double baseFull, optionalFloat(f, "gemma4.rope.freq_base", 1e6));
    FACET_ASSIGN(double baseSwa, optionalFloat(f, "gemma4.rope.freq_base_swa", 1e4));

    FACET_ASSIGN(auto headDimFull, requiredInt(f, "gemma4.attention.key_length"));
    FACET_ASSIGN(auto headDimSwa, optionalInt(f, "gemma4.attention.key_length_swa", headDimFull));
    FACET_ASSIGN(auto ffn, perLayerInt(f, "gemma4.feed_forward_length", d.nLayers, true, 0));
    FACET_ASSIGN(auto heads, perLayerInt(f, "gemma4.attention.head_count", d.nLayers, true, 0));
    FACET_ASSIGN(auto kvHeads, perLayerInt(f, "gemma4.attention.head_count_kv", d.nLayers, false, -1));

    const GgufValue* pattern = f.find("gemma4.attention.sliding_window_pattern");
    if (!pattern || pattern->type != GgufValueType::Array || pattern->ints.size() != static_cast<size_t>(d.nLayers))
        return errorf("%s: 'gemma4.attention.sliding_window_pattern' must be a bool array with one entry per layer (%d)",
                      path.c_str(), d.nLayers);

    d.layers.resize(d.nLayers);
    const int firstShared = d.nLayers - d.nKvShared;
    for (int i = 0; i < d.nLayers; ++i) {
        LayerDesc& l = d.layers[i];
        const std::string li = "layer " + std::to_string(i) + " ";
        l.attn = pattern->ints[i] ? AttnKind::Sliding : AttnKind::Full;
        FACET_TRY(toInt(f, (li + "head dim").c_str(), l.attn == AttnKind::Sliding ? headDimSwa : headDimFull, 2, 4096,
                        l.headDim));
        FACET_TRY(toInt(f, (li + "head_count").c_str(), heads[i], 1, 1024, l.nHeads));
        FACET_TRY(toInt(f, (li + "head_count_kv").c_str(), kvHeads[i] < 0 ? heads[i] : kvHeads[i], 1, 1024,
                        l.nKvHeads));
        FACET_TRY(toInt(f, (li + "feed_forward_length").c_str(), ffn[i], 1, 1 << 20, l.ffnWidth));
        l.window = l.attn == AttnKind::Sliding ? d.slidingWindow : 0;
        l.ropeBase = static_cast<float>(l.attn == AttnKind::Sliding ? baseSwa : baseFull);
        l.moe = d.nExperts > 0;
        l.kvSource = i;
        if (i >= firstShared) {  // reuse the last non-shared layer of the same kind (spec §2.4)
            l.kvSource = -1;
            for (int j = firstShared - 1; j >= 0; --j)
                if (d.layers[j].attn == l.attn) { l.kvSource = j; break; }
            if (l.kvSource < 0)
                return errorf("%s: KV-shared layer %d has no earlier %s layer to share with", path.c_str(), i,
                              attnKindName(l.attn));
        }
        l.kEqV = l.ownsKv(i) && !findTensor("blk." + std::to_string(i) + ".attn_v.weight").info;
    }

    if (d.headDimFull() > 0) {
        const GgufSplitTensor rft = findTensor("rope_freqs.weight");
        const GgufTensorInfo* rf = rft.info;
        if (!rf) return errorf("%s: tensor 'rope_freqs.weight' is required when the model has full-attention layers",
                               path.c_str());
        if (rf->ne[0] != d.headDimFull() / 2 || rf->ne[1] != 1 || rf->ne[2] != 1 || rf->ne[3] != 1)
            return errorf("%s: tensor 'rope_freqs.weight' has %lld entries, expected %d", path.c_str(),
                          static_cast<long long>(rf->ne[0]), d.headDimFull() / 2);
        FACET_ASSIGN(TensorView v, rft.file->view(*rf));
        d.ropeFreqFactors.resize(static_cast<size_t>(v.ne[0]));
        dequantizeTensorRow(v, 0, d.ropeFreqFactors.data());
        for (float x : d.ropeFreqFactors)
            if (!(x > 0.f)) return errorf("%s: 'rope_freqs.weight' holds a non-positive factor", path.c_str());
    }
    d.variant = detectVariant(d);
    if (std::string err = validateDesc(d); !err.empty()) return errorf("%s: %s", path.c_str(), err.c_str());
    return d;
}

}  // namespace

Result<ModelDesc> descFromGguf(const GgufFile& f) {
    return descFrom(f, [&f](const std::string& name) { return GgufSplitTensor{f.findTensor(name), &f}; });
}

Result<ModelDesc> descFromGguf(const GgufSplit& parts) {
    return descFrom(parts.head(), [&parts](const std::string& name) {
        const GgufSplitTensor* t = parts.findTensor(name);
        return t ? *t : GgufSplitTensor{};
    });
}

}  // namespace facet
