// facet-cli info: what the model description says, and what it will cost.
#include <cstdio>

#include "cli_common.h"
#include "model/model_desc.h"

namespace facet::cli {

static std::string gib(uint64_t bytes) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f GiB (%llu bytes)", bytes / 1073741824.0, static_cast<unsigned long long>(bytes));
    return buf;
}

int commandInfo(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model", "--ctx"}, {});
    if (!args.ok()) return fail(args.message());
    auto path = args->require("--model");
    if (!path.ok()) return fail(path.message());
    auto model = Model::open(path.value());
    if (!model.ok()) return fail(model.message());
    const Model& m = *model.value();
    const ModelDesc& d = m.desc();
    auto ctx = args->getInt("--ctx", std::min(d.contextLength, 8192), 1, d.contextLength);
    if (!ctx.ok()) return fail(ctx.message());

    const ParamCounts pc = countParams(d);
    std::printf("model:        %s\n", m.path().c_str());
    std::printf("format:       %s\n", m.format() == ModelFormat::Gguf ? "GGUF" : "Hugging Face safetensors");
    std::printf("name:         %s\n", d.name.c_str());
    std::printf("variant:      %s\n", variantName(d.variant));
    std::printf("layers:       %d\n", d.nLayers);
    std::printf("hidden:       %d\n", d.hidden);
    std::printf("vocab:        %d\n", d.vocab);
    std::printf("context:      %d\n", d.contextLength);
    std::printf("window:       %d\n", d.slidingWindow);
    std::printf("kv shared:    %d layers\n", d.nKvShared);
    std::printf("ple:          %d per layer\n", d.pleDim);
    if (d.hasMoe())
        std::printf("experts:      %d, %d used, width %d\n", d.nExperts, d.nExpertsUsed, d.expertFfn);
    std::printf("softcap:      %g\n", d.finalSoftcap);
    std::printf("parameters:   %lld total, %lld embedding, %lld PLE, %lld active per token\n",
                static_cast<long long>(pc.total), static_cast<long long>(pc.embedding), static_cast<long long>(pc.ple),
                static_cast<long long>(pc.activePerToken));
    std::printf("weight types:");
    for (const auto& [name, count] : m.typeCounts()) std::printf(" %s x%d", name.c_str(), count);
    std::printf("\n");
    std::printf("weights:      %s\n", gib(m.weightBytes()).c_str());
    std::printf("  PLE table:  %s (host memory)\n", gib(m.pleBytes()).c_str());
    std::printf("kv cache:     %s at ctx %lld (f16)\n", gib(kvCacheBytes(d, static_cast<int>(ctx.value()), 2)).c_str(),
                ctx.value());
    std::printf("layers:\n");
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        std::printf("  %2d %-7s head %3d  q %2d kv %2d  ffn %6d%s%s", i, attnKindName(l.attn), l.headDim, l.nHeads,
                    l.nKvHeads, l.ffnWidth, l.moe ? "  moe" : "", l.kEqV ? "  k=v" : "");
        if (!l.ownsKv(i)) std::printf("  kv from %d", l.kvSource);
        if (l.attn == AttnKind::Sliding) std::printf("  window %d", l.window);
        std::printf("\n");
    }
    return 0;
}

}  // namespace facet::cli
