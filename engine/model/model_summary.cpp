#include "model/model_summary.h"

#include <algorithm>
#include <cstdio>

#include "model/gguf_split.h"

namespace facet {

std::string formatBytes(uint64_t bytes) {
    char buf[80];
    if (bytes >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.3f GiB (%llu bytes)", bytes / 1073741824.0, static_cast<unsigned long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, "%.3f MiB (%llu bytes)", bytes / 1048576.0, static_cast<unsigned long long>(bytes));
    return buf;
}

static std::string billions(int64_t n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld (%.3f B)", static_cast<long long>(n), n / 1e9);
    return buf;
}

std::vector<ModelFact> summarizeModel(const Model& m, int ctx) {
    const ModelDesc& d = m.desc();
    const ParamCounts pc = countParams(d);
    std::vector<ModelFact> f;
    auto add = [&](std::string k, std::string v) { f.push_back({std::move(k), std::move(v)}); };
    add("model", m.path());
    add("format", m.format() == ModelFormat::Gguf ? "GGUF" : "Hugging Face safetensors");
    if (m.ggufParts() && m.ggufParts()->partCount() > 1) add("parts", std::to_string(m.ggufParts()->partCount()) + " files");
    add("name", d.name);
    add("variant", variantName(d.variant));
    add("layers", std::to_string(d.nLayers));
    add("hidden", std::to_string(d.hidden));
    add("vocab", std::to_string(d.vocab));
    add("context", std::to_string(d.contextLength));
    add("sliding window", std::to_string(d.slidingWindow));
    add("kv shared layers", std::to_string(d.nKvShared));
    add("per-layer embedding", std::to_string(d.pleDim));
    if (d.hasMoe())
        add("experts", std::to_string(d.nExperts) + ", " + std::to_string(d.nExpertsUsed) + " used, width " +
                           std::to_string(d.expertFfn) +
                           (m.weights().experts == ExpertLayout::Split ? ", gate/up split" : ""));
    char cap[32];
    std::snprintf(cap, sizeof cap, "%g", d.finalSoftcap);
    add("softcap", cap);
    add("parameters", billions(pc.total));
    add("embedding parameters", billions(pc.embedding));
    add("PLE parameters", billions(pc.ple));
    add("active parameters per token", billions(pc.activePerToken));
    std::string types;
    for (const auto& [name, count] : m.typeCounts()) types += (types.empty() ? "" : ", ") + name + " x" + std::to_string(count);
    add("weight types", types);
    add("weights", formatBytes(m.weightBytes()));
    add("PLE table (host memory)", formatBytes(m.pleBytes()));
    add("kv cache at ctx " + std::to_string(ctx) + " (f16)", formatBytes(kvCacheBytes(d, ctx, 2)));
    return f;
}

std::vector<std::string> describeLayers(const ModelDesc& d) {
    std::vector<std::string> out;
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        char buf[160];
        int n = std::snprintf(buf, sizeof buf, "%2d %-7s head %3d  q %2d kv %2d  ffn %6d%s%s", i, attnKindName(l.attn),
                              l.headDim, l.nHeads, l.nKvHeads, l.ffnWidth, l.moe ? "  moe" : "", l.kEqV ? "  k=v" : "");
        std::string s(buf, static_cast<size_t>(std::max(0, n)));
        if (!l.ownsKv(i)) s += "  kv from " + std::to_string(l.kvSource);
        if (l.attn == AttnKind::Sliding) s += "  window " + std::to_string(l.window);
        out.push_back(s);
    }
    return out;
}

}  // namespace facet
