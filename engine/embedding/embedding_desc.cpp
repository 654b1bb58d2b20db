#include "embedding/embedding_desc.h"

#include <optional>
#include <filesystem>

#include "model/gguf_file.h"

namespace facet {

namespace {

std::string key(const char* suffix) { return std::string(kEmbeddingArch) + "." + suffix; }

// An integer key in lo..hi; `fallback` when absent (nullopt: required).
Status readInt(const GgufFile& f, const char* suffix, std::optional<int64_t> fallback, int64_t lo, int64_t hi,
               int& out) {
    const std::string k = key(suffix);
    FACET_ASSIGN(std::optional<int64_t> v, f.getInt(k));
    if (!v && !fallback) return errorf("%s: required metadata key '%s' is missing", f.path().c_str(), k.c_str());
    const int64_t x = v ? *v : *fallback;
    if (x < lo || x > hi)
        return errorf("%s: '%s' = %lld is out of range %lld..%lld", f.path().c_str(), k.c_str(),
                      static_cast<long long>(x), static_cast<long long>(lo), static_cast<long long>(hi));
    out = static_cast<int>(x);
    return {};
}

Status readFloat(const GgufFile& f, const char* suffix, double fallback, double lo, double hi, float& out) {
    const std::string k = key(suffix);
    FACET_ASSIGN(std::optional<double> v, f.getFloat(k));
    const double x = v ? *v : fallback;
    if (!(x >= lo && x <= hi))  // also rejects NaN
        return errorf("%s: '%s' = %g is out of range %g..%g", f.path().c_str(), k.c_str(), x, lo, hi);
    out = static_cast<float>(x);
    return {};
}

}  // namespace

Result<EmbeddingDesc> embeddingDescFromGguf(const GgufFile& f) {
    const char* path = f.path().c_str();
    FACET_ASSIGN(std::optional<std::string> arch, f.getString("general.architecture"));
    if (!arch) return errorf("%s: 'general.architecture' is missing; not a model GGUF", path);
    if (*arch != kEmbeddingArch)
        return errorf("%s: architecture is '%s'; an embedding model is '%s'", path, arch->c_str(), kEmbeddingArch);

    EmbeddingDesc d;
    FACET_ASSIGN(std::optional<std::string> name, f.getString("general.name"));
    d.name = name ? *name : std::filesystem::path(f.path()).stem().string();
    FACET_TRY(readInt(f, "block_count", std::nullopt, 1, 1024, d.nLayers));
    FACET_TRY(readInt(f, "embedding_length", std::nullopt, 1, 65536, d.hidden));
    FACET_TRY(readInt(f, "feed_forward_length", std::nullopt, 1, 1 << 20, d.ffnWidth));
    FACET_TRY(readInt(f, "context_length", 2048, 1, 1 << 24, d.contextLength));
    FACET_TRY(readInt(f, "attention.head_count", std::nullopt, 1, 1024, d.nHeads));
    FACET_TRY(readInt(f, "attention.head_count_kv", d.nHeads, 1, 1024, d.nKvHeads));
    if (d.nHeads % d.nKvHeads != 0)
        return errorf("%s: %d query heads are not a multiple of %d KV heads", path, d.nHeads, d.nKvHeads);
    // Without key_length llama.cpp takes hidden / heads.
    FACET_TRY(readInt(f, "attention.key_length", d.hidden / d.nHeads, 2, 4096, d.headDim));
    int valueLength = 0;
    FACET_TRY(readInt(f, "attention.value_length", d.headDim, 2, 4096, valueLength));
    if (valueLength != d.headDim)
        return errorf("%s: key_length %d differs from value_length %d; Facet needs them equal", path, d.headDim,
                      valueLength);
    if (d.headDim % 2 != 0) return errorf("%s: key_length %d is odd; RoPE needs pairs", path, d.headDim);
    FACET_TRY(readFloat(f, "attention.layer_norm_rms_epsilon", 1e-6, 0.0, 1.0, d.rmsEps));
    FACET_TRY(readFloat(f, "rope.freq_base", 10000.0, 1e-3, 1e12, d.ropeBase));
    FACET_TRY(readFloat(f, "rope.freq_base_swa", 10000.0, 1e-3, 1e12, d.ropeBaseSwa));
    FACET_TRY(readInt(f, "attention.sliding_window", 0, 0, 1 << 24, d.slidingWindow));
    // llama.cpp reads the pattern as a u32 and ignores an array-typed key; absent means 6.
    const std::string patternKey = key("attention.sliding_window_pattern");
    if (const GgufValue* p = f.find(patternKey); p && p->type != GgufValueType::Array)
        FACET_TRY(readInt(f, "attention.sliding_window_pattern", 6, 1, 1 << 20, d.swaPattern));
    FACET_TRY(readInt(f, "pooling_type", 1, -1, 1 << 20, d.poolingType));
    if (d.poolingType != 1)
        return errorf("%s: '%s' = %d; Facet runs mean pooling (1) only", path, key("pooling_type").c_str(),
                      d.poolingType);

    const GgufTensorInfo* embd = f.findTensor("token_embd.weight");
    if (!embd) return errorf("%s: required tensor 'token_embd.weight' is missing", path);
    if (embd->ne[1] < 1 || embd->ne[1] > (int64_t{1} << 30))
        return errorf("%s: tensor 'token_embd.weight' has %lld rows", path, static_cast<long long>(embd->ne[1]));
    d.vocab = static_cast<int>(embd->ne[1]);

    // The dense head: all four keys or none; their tensors then are required.
    const bool anyDenseKey = f.find(key("dense_2_feat_in")) || f.find(key("dense_2_feat_out")) ||
                             f.find(key("dense_3_feat_in")) || f.find(key("dense_3_feat_out"));
    if (anyDenseKey) {
        int in2 = 0, in3 = 0;
        FACET_TRY(readInt(f, "dense_2_feat_in", std::nullopt, 1, 1 << 20, in2));
        FACET_TRY(readInt(f, "dense_2_feat_out", std::nullopt, 1, 1 << 20, d.dense2Out));
        FACET_TRY(readInt(f, "dense_3_feat_in", std::nullopt, 1, 1 << 20, in3));
        FACET_TRY(readInt(f, "dense_3_feat_out", std::nullopt, 1, 1 << 20, d.dense3Out));
        if (in2 != d.hidden)
            return errorf("%s: dense_2_feat_in = %d, expected the hidden size %d", path, in2, d.hidden);
        if (in3 != d.dense2Out)
            return errorf("%s: dense_3_feat_in = %d, expected dense_2_feat_out %d", path, in3, d.dense2Out);
    } else {
        for (const char* t : {"dense_2.weight", "dense_3.weight"})
            if (f.findTensor(t))
                return errorf("%s: tensor '%s' is present but the %s.dense_* keys are missing", path, t,
                              kEmbeddingArch);
    }
    return d;
}

std::vector<EmbeddingTensorSpec> embeddingTensorList(const EmbeddingDesc& d) {
    std::vector<EmbeddingTensorSpec> out;
    const int64_t H = d.hidden, F = d.ffnWidth, hd = d.headDim;
    const int64_t qW = d.nHeads * hd, kvW = d.nKvHeads * hd;
    using R = EmbeddingRole;
    out.push_back({"token_embd.weight", {H, d.vocab}, R::TokenEmbd, -1});
    out.push_back({"output_norm.weight", {H}, R::OutputNorm, -1});
    if (d.hasDense()) {
        out.push_back({"dense_2.weight", {H, d.dense2Out}, R::Dense2, -1});
        out.push_back({"dense_3.weight", {d.dense2Out, d.dense3Out}, R::Dense3, -1});
    }
    for (int i = 0; i < d.nLayers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        auto layer = [&](R role, const char* name, std::vector<int64_t> ne) {
            out.push_back({p + name, std::move(ne), role, i});
        };
        layer(R::AttnNorm, "attn_norm.weight", {H});
        layer(R::AttnQ, "attn_q.weight", {H, qW});
        layer(R::AttnK, "attn_k.weight", {H, kvW});
        layer(R::AttnV, "attn_v.weight", {H, kvW});
        layer(R::AttnOutput, "attn_output.weight", {qW, H});
        layer(R::AttnQNorm, "attn_q_norm.weight", {hd});
        layer(R::AttnKNorm, "attn_k_norm.weight", {hd});
        layer(R::PostAttnNorm, "post_attention_norm.weight", {H});
        layer(R::FfnNorm, "ffn_norm.weight", {H});
        layer(R::FfnGate, "ffn_gate.weight", {H, F});
        layer(R::FfnUp, "ffn_up.weight", {H, F});
        layer(R::FfnDown, "ffn_down.weight", {F, H});
        layer(R::PostFfwNorm, "post_ffw_norm.weight", {H});
    }
    return out;
}

}  // namespace facet
