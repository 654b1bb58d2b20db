#include "model/model_desc.h"

#include <cmath>

#include "core/result.h"

namespace facet {

const char* attnKindName(AttnKind k) {
    switch (k) {
        case AttnKind::Sliding: return "sliding";
        case AttnKind::Full: return "full";
    }
    return "?";
}

const char* variantName(Variant v) {
    switch (v) {
        case Variant::E2B: return "Gemma 4 E2B";
        case Variant::E4B: return "Gemma 4 E4B";
        case Variant::MoE26B: return "Gemma 4 26B-A4B";
        case Variant::Dense31B: return "Gemma 4 31B";
        case Variant::Custom: return "custom Gemma 4";
    }
    return "?";
}

int ModelDesc::headDimSliding() const {
    for (const auto& l : layers)
        if (l.attn == AttnKind::Sliding) return l.headDim;
    return 0;
}

int ModelDesc::headDimFull() const {
    for (const auto& l : layers)
        if (l.attn == AttnKind::Full) return l.headDim;
    return 0;
}

double ropeTheta(const ModelDesc& d, int layer, int pair) {
    const LayerDesc& l = d.layers[layer];
    // θ_j = base^(-2j/d); the exponent uses the layer's full head dim (spec §2.6).
    double theta = std::pow(static_cast<double>(l.ropeBase), -2.0 * pair / l.headDim);
    if (l.attn == AttnKind::Full && pair < static_cast<int>(d.ropeFreqFactors.size()))
        theta /= d.ropeFreqFactors[pair];
    return theta;
}

ParamCounts countParams(const ModelDesc& d) {
    ParamCounts c;
    const int64_t H = d.hidden;
    c.embedding = static_cast<int64_t>(d.vocab) * H;
    c.total += c.embedding + H;  // + output_norm
    c.activePerToken += c.embedding + H;
    if (d.hasPle()) {
        const int64_t plTotal = static_cast<int64_t>(d.nLayers) * d.pleDim;
        c.ple = static_cast<int64_t>(d.vocab) * plTotal;
        int64_t proj = plTotal * H + d.pleDim;
        c.total += c.ple + proj;
        c.activePerToken += proj + plTotal;  // one PLE row per token
    }
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        int64_t p = 4 * H + 1;  // four norms + layer scalar
        p += static_cast<int64_t>(l.nHeads) * l.headDim * H * 2;  // q, o
        p += l.headDim;                                           // q_norm
        if (l.ownsKv(i)) {
            p += static_cast<int64_t>(l.nKvHeads) * l.headDim * H * (l.kEqV ? 1 : 2);
            p += l.headDim;  // k_norm
        }
        p += static_cast<int64_t>(l.ffnWidth) * H * 3;
        int64_t active = p;
        if (l.moe) {
            int64_t router = static_cast<int64_t>(d.nExperts) * H + H + d.nExperts + 3 * H;
            int64_t perExpert = static_cast<int64_t>(d.expertFfn) * H * 3;
            p += router + perExpert * d.nExperts;
            active += router + perExpert * d.nExpertsUsed;
        }
        if (d.hasPle()) {
            int64_t ple = static_cast<int64_t>(d.pleDim) * H * 2 + H;
            p += ple;
            active += ple;
        }
        c.total += p;
        c.activePerToken += active;
    }
    return c;
}

uint64_t kvCacheBytes(const ModelDesc& d, int ctx, int bytesPerElem) {
    uint64_t total = 0;
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        if (!l.ownsKv(i)) continue;
        uint64_t entries = static_cast<uint64_t>(ctx);
        if (l.attn == AttnKind::Sliding && l.window > 0 && entries > static_cast<uint64_t>(l.window))
            entries = static_cast<uint64_t>(l.window);
        total += entries * 2ull * static_cast<uint64_t>(l.nKvHeads) * l.headDim * bytesPerElem;
    }
    return total;
}

// The four released shapes (spec §1); anything else is Custom.
Variant detectVariant(const ModelDesc& d) {
    if (d.vocab != 262144 || d.layers.empty()) return Variant::Custom;
    const LayerDesc& s = d.layers.front();  // layer 0 is sliding in all four
    const LayerDesc& f = d.layers.back();   // the last layer is full
    auto is = [&](int L, int H, int ffn, int nH, int kvS, int kvF, int win, int shared, int ple, int nExp, int used,
                  int expFfn, bool kEqV) {
        return d.nLayers == L && d.hidden == H && s.ffnWidth == ffn && s.nHeads == nH && s.nKvHeads == kvS &&
               f.nKvHeads == kvF && s.headDim == 256 && f.headDim == 512 && d.slidingWindow == win &&
               d.nKvShared == shared && d.pleDim == ple && d.nExperts == nExp && d.nExpertsUsed == used &&
               d.expertFfn == expFfn && f.kEqV == kEqV;
    };
    if (is(35, 1536, 6144, 8, 1, 1, 512, 20, 256, 0, 0, 0, false)) return Variant::E2B;
    if (is(42, 2560, 10240, 8, 2, 2, 512, 18, 256, 0, 0, 0, false)) return Variant::E4B;
    if (is(30, 2816, 2112, 16, 8, 2, 1024, 0, 0, 128, 8, 704, true)) return Variant::MoE26B;
    if (is(60, 5376, 21504, 32, 16, 4, 1024, 0, 0, 0, 0, 0, true)) return Variant::Dense31B;
    return Variant::Custom;
}

bool usesLargeChatTemplate(const ModelDesc& d) {
    switch (d.variant) {
        case Variant::E2B:
        case Variant::E4B: return false;
        case Variant::MoE26B:
        case Variant::Dense31B: return true;
        case Variant::Custom: return !d.hasPle();
    }
    return true;
}

std::string validateDesc(const ModelDesc& d) {
    if (d.nLayers <= 0 || d.nLayers > 1024) return errorf("block_count %d is out of range 1..1024", d.nLayers).message;
    if (d.hidden <= 0 || d.hidden > 65536) return errorf("embedding_length %d is out of range 1..65536", d.hidden).message;
    if (d.vocab <= 0 || d.vocab > (1 << 22)) return errorf("vocabulary size %d is out of range", d.vocab).message;
    if (static_cast<int>(d.layers.size()) != d.nLayers)
        return errorf("%zu layer descriptions for %d layers", d.layers.size(), d.nLayers).message;
    if (d.pleDim < 0 || d.pleDim > 65536) return errorf("per-layer input width %d is out of range", d.pleDim).message;
    if (d.nExperts < 0 || d.nExperts > 4096) return errorf("expert_count %d is out of range", d.nExperts).message;
    if (d.nExperts > 0 && (d.nExpertsUsed <= 0 || d.nExpertsUsed > d.nExperts))
        return errorf("expert_used_count %d must be in 1..%d", d.nExpertsUsed, d.nExperts).message;
    if (d.nExperts > 0 && (d.expertFfn <= 0 || d.expertFfn > 1 << 20))
        return errorf("expert_feed_forward_length %d is out of range", d.expertFfn).message;
    if (!(d.rmsEps > 0.f) || d.rmsEps > 1.f) return errorf("rms epsilon %g is out of range", d.rmsEps).message;
    if (!(d.finalSoftcap >= 0.f)) return errorf("final_logit_softcapping %g is negative", d.finalSoftcap).message;
    if (d.layers.back().attn != AttnKind::Full) return "the last layer must use full attention";
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        auto bad = [&](const char* what, long v) { return errorf("layer %d: %s %ld is out of range", i, what, v).message; };
        if (l.headDim <= 0 || l.headDim > 4096 || l.headDim % 2) return bad("head dim", l.headDim);
        if (l.nHeads <= 0 || l.nHeads > 1024) return bad("head count", l.nHeads);
        if (l.nKvHeads <= 0 || l.nKvHeads > l.nHeads || l.nHeads % l.nKvHeads)
            return errorf("layer %d: %d query heads are not a multiple of %d kv heads", i, l.nHeads, l.nKvHeads).message;
        if (l.ffnWidth <= 0 || l.ffnWidth > 1 << 20) return bad("feed_forward_length", l.ffnWidth);
        if (l.attn == AttnKind::Sliding && l.window <= 0) return bad("sliding window", l.window);
        if (!(l.ropeBase > 0.f)) return bad("rope base", static_cast<long>(l.ropeBase));
        if (l.moe && d.nExperts == 0) return errorf("layer %d is MoE but the model has no experts", i).message;
        if (l.kvSource < 0 || l.kvSource > i) return bad("kv source layer", l.kvSource);
        if (l.kvSource != i) {
            const LayerDesc& s = d.layers[l.kvSource];
            if (!s.ownsKv(l.kvSource) || s.attn != l.attn || s.headDim != l.headDim || s.nKvHeads != l.nKvHeads)
                return errorf("layer %d reads the KV cache of layer %d, which is not a KV-owning %s layer of the same shape",
                              i, l.kvSource, attnKindName(l.attn)).message;
        }
        if (l.attn == AttnKind::Full && static_cast<int>(d.ropeFreqFactors.size()) != l.headDim / 2)
            return errorf("layer %d: %zu rope frequency factors for head dim %d (expected %d)", i,
                          d.ropeFreqFactors.size(), l.headDim, l.headDim / 2).message;
    }
    return {};
}

}  // namespace facet
