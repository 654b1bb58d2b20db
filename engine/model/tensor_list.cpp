#include "model/tensor_list.h"

namespace facet {

std::array<TensorSpec, 2> splitGateUp(const TensorSpec& fused) {
    const std::string prefix = fused.name.substr(0, fused.name.size() - std::string("ffn_gate_up_exps.weight").size());
    std::vector<int64_t> ne = fused.ne;
    ne[1] /= 2;
    TensorSpec gate{prefix + "ffn_gate_exps.weight", ne, fused.need, TensorRole::GateExps, fused.layer, false};
    TensorSpec up{prefix + "ffn_up_exps.weight", ne, fused.need, TensorRole::UpExps, fused.layer, false};
    return {gate, up};
}

void forEachTensor(const ModelDesc& d, const std::function<void(const TensorSpec&)>& fn, ExpertLayout experts) {
    const int64_t H = d.hidden, V = d.vocab;
    auto global = [&](TensorRole role, const char* name, std::vector<int64_t> ne, Need need, bool norm = false) {
        fn(TensorSpec{name, std::move(ne), need, role, -1, norm});
    };
    global(TensorRole::TokenEmbd, "token_embd.weight", {H, V}, Need::Required);
    global(TensorRole::Output, "output.weight", {H, V}, Need::Optional);  // tied when absent
    global(TensorRole::OutputNorm, "output_norm.weight", {H}, Need::Required, true);
    if (d.headDimFull() > 0)  // llama.cpp requires it when a full layer exists
        global(TensorRole::RopeFreqs, "rope_freqs.weight", {d.headDimFull() / 2}, Need::Optional, true);
    if (d.hasPle()) {
        const int64_t P = d.pleDim, LP = static_cast<int64_t>(d.nLayers) * d.pleDim;
        global(TensorRole::PleTokenEmbd, "per_layer_token_embd.weight", {LP, V}, Need::Required);
        global(TensorRole::PleModelProj, "per_layer_model_proj.weight", {H, LP}, Need::Required);
        global(TensorRole::PleProjNorm, "per_layer_proj_norm.weight", {P}, Need::Required, true);
    }
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        auto layer = [&](TensorRole role, const char* name, std::vector<int64_t> ne, Need need, bool norm = false) {
            fn(TensorSpec{p + name, std::move(ne), need, role, i, norm});
        };
        const int64_t qDim = static_cast<int64_t>(l.nHeads) * l.headDim;
        const int64_t kvDim = static_cast<int64_t>(l.nKvHeads) * l.headDim;
        const bool owns = l.ownsKv(i);
        layer(TensorRole::AttnNorm, "attn_norm.weight", {H}, Need::Required, true);
        layer(TensorRole::AttnQ, "attn_q.weight", {H, qDim}, Need::Required);
        layer(TensorRole::AttnK, "attn_k.weight", {H, kvDim}, owns ? Need::Required : Need::Ignored);
        layer(TensorRole::AttnV, "attn_v.weight", {H, kvDim}, owns && !l.kEqV ? Need::Required : Need::Ignored);
        layer(TensorRole::AttnOutput, "attn_output.weight", {qDim, H}, Need::Required);
        layer(TensorRole::AttnQNorm, "attn_q_norm.weight", {l.headDim}, Need::Required, true);
        layer(TensorRole::AttnKNorm, "attn_k_norm.weight", {l.headDim}, owns ? Need::Required : Need::Ignored, true);
        layer(TensorRole::PostAttnNorm, "post_attention_norm.weight", {H}, Need::Required, true);
        layer(TensorRole::FfnNorm, "ffn_norm.weight", {H}, Need::Required, true);
        layer(TensorRole::FfnGate, "ffn_gate.weight", {H, l.ffnWidth}, Need::Required);
        layer(TensorRole::FfnUp, "ffn_up.weight", {H, l.ffnWidth}, Need::Required);
        layer(TensorRole::FfnDown, "ffn_down.weight", {l.ffnWidth, H}, Need::Required);
        layer(TensorRole::PostFfwNorm, "post_ffw_norm.weight", {H}, Need::Required, true);
        layer(TensorRole::LayerOutputScale, "layer_output_scale.weight", {1}, Need::Optional, true);
        if (l.moe) {
            const int64_t E = d.nExperts, F = d.expertFfn;
            layer(TensorRole::RouterW, "ffn_gate_inp.weight", {H, E}, Need::Required);
            layer(TensorRole::RouterScale, "ffn_gate_inp.scale", {H}, Need::Required, true);
            const TensorSpec gateUp{p + "ffn_gate_up_exps.weight", {H, 2 * F, E}, Need::Required,
                                    TensorRole::GateUpExps, i};
            if (experts == ExpertLayout::Fused) {
                fn(gateUp);
            } else {
                for (const TensorSpec& half : splitGateUp(gateUp)) fn(half);
            }
            layer(TensorRole::DownExps, "ffn_down_exps.weight", {F, H, E}, Need::Required);
            layer(TensorRole::DownExpsScale, "ffn_down_exps.scale", {E}, Need::Required, true);
            layer(TensorRole::PreFfwNorm2, "pre_ffw_norm_2.weight", {H}, Need::Required, true);
            layer(TensorRole::PostFfwNorm1, "post_ffw_norm_1.weight", {H}, Need::Required, true);
            layer(TensorRole::PostFfwNorm2, "post_ffw_norm_2.weight", {H}, Need::Required, true);
        }
        if (d.hasPle()) {
            layer(TensorRole::PleInpGate, "inp_gate.weight", {H, d.pleDim}, Need::Required);
            layer(TensorRole::PleProj, "proj.weight", {d.pleDim, H}, Need::Required);
            layer(TensorRole::PlePostNorm, "post_norm.weight", {H}, Need::Required, true);
        }
    }
}

std::vector<TensorSpec> tensorList(const ModelDesc& d, ExpertLayout experts) {
    std::vector<TensorSpec> out;
    forEachTensor(d, [&](const TensorSpec& s) { out.push_back(s); }, experts);
    return out;
}

}  // namespace facet
