#include "model/variants.h"

#include <cmath>

namespace facet {
namespace {

ModelDesc gemma4Base() {
    ModelDesc d;
    d.vocab = 262144;
    d.rmsEps = 1e-6f;
    d.finalSoftcap = 30.f;
    return d;
}

void finish(ModelDesc& d) { d.embedScale = std::sqrt(static_cast<float>(d.hidden)); }

}  // namespace

void applyPattern(ModelDesc& d, const LayerPattern& p) {
    d.layers.assign(d.nLayers, LayerDesc{});
    const int firstShared = d.nLayers - d.nKvShared;
    for (int i = 0; i < d.nLayers; ++i) {
        LayerDesc& l = d.layers[i];
        bool sliding = p.sliding.empty() ? (i % p.fullEvery != p.fullEvery - 1) : p.sliding[i];
        if (i == d.nLayers - 1) sliding = false;  // the last layer is always full (HF config)
        l.attn = sliding ? AttnKind::Sliding : AttnKind::Full;
        l.headDim = sliding ? p.headDimSliding : p.headDimFull;
        l.nHeads = p.nHeads;
        l.nKvHeads = sliding ? p.kvSliding : p.kvFull;
        l.window = sliding ? d.slidingWindow : 0;
        l.ropeBase = sliding ? 1e4f : 1e6f;
        l.ffnWidth = p.ffn.size() == 1 ? p.ffn[0] : p.ffn[i];
        l.moe = d.nExperts > 0;
        l.kvSource = i;
        if (i >= firstShared)
            for (int j = firstShared - 1; j >= 0; --j)
                if (d.layers[j].attn == l.attn) { l.kvSource = j; break; }
        l.kEqV = !sliding && p.kEqVFull && l.ownsKv(i);
    }
    // Proportional RoPE: int(partial · d_full / 2) pairs rotate (spec §2.6).
    const int half = p.headDimFull / 2;
    const int rotated = static_cast<int>(p.partialRotary * p.headDimFull / 2);
    d.ropeFreqFactors.assign(half, 1e30f);
    for (int j = 0; j < rotated; ++j) d.ropeFreqFactors[j] = 1.0f;
    finish(d);
}

ModelDesc gemma4E2B() {
    ModelDesc d = gemma4Base();
    d.name = "gemma-4-E2B";
    d.variant = Variant::E2B;
    d.nLayers = 35, d.hidden = 1536, d.contextLength = 131072, d.pleDim = 256;
    d.slidingWindow = 512, d.nKvShared = 20;
    LayerPattern p;
    p.fullEvery = 5, p.nHeads = 8, p.kvSliding = 1, p.kvFull = 1;
    p.ffn.assign(35, 6144);
    for (int i = 15; i < 35; ++i) p.ffn[i] = 12288;  // double-wide on KV-shared layers
    applyPattern(d, p);
    return d;
}

ModelDesc gemma4E4B() {
    ModelDesc d = gemma4Base();
    d.name = "gemma-4-E4B";
    d.variant = Variant::E4B;
    d.nLayers = 42, d.hidden = 2560, d.contextLength = 131072, d.pleDim = 256;
    d.slidingWindow = 512, d.nKvShared = 18;
    LayerPattern p;
    p.fullEvery = 6, p.nHeads = 8, p.kvSliding = 2, p.kvFull = 2, p.ffn = {10240};
    applyPattern(d, p);
    return d;
}

ModelDesc gemma4MoE26B() {
    ModelDesc d = gemma4Base();
    d.name = "gemma-4-26B-A4B";
    d.variant = Variant::MoE26B;
    d.nLayers = 30, d.hidden = 2816, d.contextLength = 262144;
    d.slidingWindow = 1024, d.nExperts = 128, d.nExpertsUsed = 8, d.expertFfn = 704;
    LayerPattern p;
    p.fullEvery = 6, p.nHeads = 16, p.kvSliding = 8, p.kvFull = 2, p.kEqVFull = true, p.ffn = {2112};
    applyPattern(d, p);
    return d;
}

ModelDesc gemma4Dense31B() {
    ModelDesc d = gemma4Base();
    d.name = "gemma-4-31B";
    d.variant = Variant::Dense31B;
    d.nLayers = 60, d.hidden = 5376, d.contextLength = 262144, d.slidingWindow = 1024;
    LayerPattern p;
    p.fullEvery = 6, p.nHeads = 32, p.kvSliding = 16, p.kvFull = 4, p.kEqVFull = true, p.ffn = {21504};
    applyPattern(d, p);
    return d;
}

ModelDesc e2bLike() {
    ModelDesc d = gemma4Base();
    d.name = "e2b-like";
    d.variant = Variant::Custom;
    d.vocab = 618, d.nLayers = 8, d.hidden = 64, d.contextLength = 131072, d.pleDim = 32;
    d.slidingWindow = 8, d.nKvShared = 4;
    LayerPattern p;
    p.sliding = {true, true, true, false, true, true, true, false};
    p.headDimSliding = 32, p.headDimFull = 64, p.nHeads = 4, p.kvSliding = 1, p.kvFull = 1;
    p.ffn = {128, 128, 128, 128, 256, 256, 256, 256};
    applyPattern(d, p);
    return d;
}

ModelDesc moeLike() {
    ModelDesc d = gemma4Base();
    d.name = "moe-like";
    d.variant = Variant::Custom;
    d.vocab = 618, d.nLayers = 6, d.hidden = 64, d.contextLength = 262144;
    d.slidingWindow = 16, d.nExperts = 16, d.nExpertsUsed = 4, d.expertFfn = 32;
    LayerPattern p;
    p.sliding = {true, true, false, true, true, false};
    p.headDimSliding = 32, p.headDimFull = 64, p.nHeads = 4, p.kvSliding = 2, p.kvFull = 1, p.kEqVFull = true;
    p.ffn = {96};
    applyPattern(d, p);
    return d;
}

ModelDesc dense31bLike() {
    ModelDesc d = gemma4Base();
    d.name = "dense31b-like";
    d.variant = Variant::Custom;
    d.vocab = 618, d.nLayers = 8, d.hidden = 64, d.contextLength = 262144, d.slidingWindow = 12;
    LayerPattern p;
    p.sliding = {true, true, true, true, true, false, true, false};
    p.headDimSliding = 16, p.headDimFull = 32, p.nHeads = 8, p.kvSliding = 4, p.kvFull = 1, p.kEqVFull = true;
    p.ffn = {192};
    applyPattern(d, p);
    return d;
}

std::vector<std::string> variantNames() {
    return {"e2b", "e4b", "moe", "31b", "e2b-like", "moe-like", "dense31b-like"};
}

bool variantByName(const std::string& name, ModelDesc& out) {
    if (name == "e2b") out = gemma4E2B();
    else if (name == "e4b") out = gemma4E4B();
    else if (name == "moe" || name == "26b") out = gemma4MoE26B();
    else if (name == "31b") out = gemma4Dense31B();
    else if (name == "e2b-like") out = e2bLike();
    else if (name == "moe-like") out = moeLike();
    else if (name == "dense31b-like") out = dense31bLike();
    else return false;
    return true;
}

}  // namespace facet
