#include "model/hf_export.h"

#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "core/replace_file.h"

namespace facet {

using nlohmann::json;

Status writeHfConfig(const ModelDesc& d, const std::string& path) {
    json layerTypes = json::array();
    int kvSliding = 0, kvFull = 0;
    bool kEqV = false;
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        layerTypes.push_back(l.attn == AttnKind::Sliding ? "sliding_attention" : "full_attention");
        (l.attn == AttnKind::Sliding ? kvSliding : kvFull) = l.nKvHeads;
        kEqV = kEqV || l.kEqV;
    }
    if (!kEqV && kvSliding && kvFull && kvSliding != kvFull)
        return errorf("%s: config.json cannot express different kv heads per kind without k=v", path.c_str());
    // Double-wide MLP: KV-shared layers have twice layer 0's width.
    const int base = d.layers[0].ffnWidth;
    bool doubleWide = false;
    for (int i = 0; i < d.nLayers; ++i) {
        const int want = d.layers[i].ownsKv(i) ? base : d.layers[i].ffnWidth == 2 * base ? 2 * base : base;
        if (d.layers[i].ffnWidth != want)
            return errorf("%s: config.json cannot express layer %d's FFN width %d", path.c_str(), i, d.layers[i].ffnWidth);
        doubleWide = doubleWide || d.layers[i].ffnWidth == 2 * base;
    }
    int rotated = 0;
    for (float f : d.ropeFreqFactors) rotated += f == 1.0f;
    const int hdFull = d.headDimFull() ? d.headDimFull() : d.headDimSliding();
    float baseSliding = 1e4f, baseFull = 1e6f;
    for (const LayerDesc& l : d.layers) (l.attn == AttnKind::Sliding ? baseSliding : baseFull) = l.ropeBase;

    json text = {
        {"model_type", "gemma4_text"},
        {"hidden_size", d.hidden},
        {"num_hidden_layers", d.nLayers},
        {"intermediate_size", base},
        {"num_attention_heads", d.layers[0].nHeads},
        {"num_key_value_heads", kvSliding ? kvSliding : kvFull},
        {"head_dim", d.headDimSliding() ? d.headDimSliding() : hdFull},
        {"global_head_dim", hdFull},
        {"layer_types", layerTypes},
        {"sliding_window", d.slidingWindow},
        {"num_kv_shared_layers", d.nKvShared},
        {"hidden_size_per_layer_input", d.pleDim},
        {"vocab_size", d.vocab},
        {"vocab_size_per_layer_input", d.vocab},
        {"max_position_embeddings", d.contextLength},
        {"rms_norm_eps", d.rmsEps},
        {"final_logit_softcapping", d.finalSoftcap},
        {"attention_k_eq_v", kEqV},
        {"use_double_wide_mlp", doubleWide},
        {"tie_word_embeddings", true},
        {"hidden_activation", "gelu_pytorch_tanh"},
        {"rope_parameters",
         {{"sliding_attention", {{"rope_type", "default"}, {"rope_theta", baseSliding}}},
          {"full_attention",
           {{"rope_type", "proportional"},
            {"rope_theta", baseFull},
            {"partial_rotary_factor", 2.0 * rotated / hdFull}}}}},
    };
    if (kEqV) text["num_global_key_value_heads"] = kvFull;
    if (d.hasMoe()) {
        text["enable_moe_block"] = true;
        text["num_experts"] = d.nExperts;
        text["top_k_experts"] = d.nExpertsUsed;
        text["moe_intermediate_size"] = d.expertFfn;
    }
    json config = {{"architectures", {"Gemma4ForConditionalGeneration"}},
                   {"model_type", "gemma4"},
                   {"text_config", text}};
    return replaceFile(path, config.dump(2));
}

Status writeTokenizerJson(const Vocab& v, const std::string& path) {
    json vocab = json::object();
    json added = json::array();
    for (size_t i = 0; i < v.pieces.size(); ++i) {
        vocab[v.pieces[i]] = i;
        const PieceType t = v.types[i];
        if (t == PieceType::Control || t == PieceType::UserDefined || t == PieceType::Unknown)
            added.push_back({{"id", i},
                             {"content", v.pieces[i]},
                             {"single_word", false},
                             {"lstrip", false},
                             {"rstrip", false},
                             {"normalized", false},
                             {"special", t != PieceType::UserDefined}});
    }
    json tok = {{"version", "1.0"},
                {"added_tokens", added},
                {"model",
                 {{"type", "BPE"},
                  {"byte_fallback", true},
                  {"fuse_unk", true},
                  {"unk_token", "<unk>"},
                  {"vocab", vocab},
                  {"merges", v.merges}}}};
    return replaceFile(path, tok.dump());
}

std::string hfNameFor(const std::string& ggufName) {
    static const std::map<std::string, std::string> global = {
        {"token_embd.weight", "embed_tokens.weight"},
        {"output_norm.weight", "norm.weight"},
        {"per_layer_token_embd.weight", "embed_tokens_per_layer.weight"},
        {"per_layer_model_proj.weight", "per_layer_model_projection.weight"},
        {"per_layer_proj_norm.weight", "per_layer_projection_norm.weight"},
    };
    static const std::map<std::string, std::string> layer = {
        {"attn_norm.weight", "input_layernorm.weight"},
        {"attn_q.weight", "self_attn.q_proj.weight"},
        {"attn_k.weight", "self_attn.k_proj.weight"},
        {"attn_v.weight", "self_attn.v_proj.weight"},
        {"attn_output.weight", "self_attn.o_proj.weight"},
        {"attn_q_norm.weight", "self_attn.q_norm.weight"},
        {"attn_k_norm.weight", "self_attn.k_norm.weight"},
        {"post_attention_norm.weight", "post_attention_layernorm.weight"},
        {"ffn_norm.weight", "pre_feedforward_layernorm.weight"},
        {"ffn_gate.weight", "mlp.gate_proj.weight"},
        {"ffn_up.weight", "mlp.up_proj.weight"},
        {"ffn_down.weight", "mlp.down_proj.weight"},
        {"post_ffw_norm.weight", "post_feedforward_layernorm.weight"},
        {"layer_output_scale.weight", "layer_scalar"},
        {"ffn_gate_inp.weight", "router.proj.weight"},
        {"ffn_gate_inp.scale", "router.scale"},
        {"ffn_down_exps.scale", "router.per_expert_scale"},
        {"ffn_gate_up_exps.weight", "experts.gate_up_proj"},
        {"ffn_down_exps.weight", "experts.down_proj"},
        {"pre_ffw_norm_2.weight", "pre_feedforward_layernorm_2.weight"},
        {"post_ffw_norm_1.weight", "post_feedforward_layernorm_1.weight"},
        {"post_ffw_norm_2.weight", "post_feedforward_layernorm_2.weight"},
        {"inp_gate.weight", "per_layer_input_gate.weight"},
        {"proj.weight", "per_layer_projection.weight"},
        {"post_norm.weight", "post_per_layer_input_norm.weight"},
    };
    const std::string prefix = "model.language_model.";
    if (auto it = global.find(ggufName); it != global.end()) return prefix + it->second;
    if (ggufName.rfind("blk.", 0) == 0) {
        const size_t dot = ggufName.find('.', 4);
        if (dot == std::string::npos) return {};
        const std::string idx = ggufName.substr(4, dot - 4);
        if (auto it = layer.find(ggufName.substr(dot + 1)); it != layer.end())
            return prefix + "layers." + idx + "." + it->second;
    }
    return {};
}

}  // namespace facet
