// facet-cli info: what the model description says, and what it will cost.
#include <algorithm>
#include <cstdio>

#include "cli_common.h"
#include "model/model_summary.h"

namespace facet::cli {

int commandInfo(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model", "--ctx"}, {});
    if (!args.ok()) return fail(args.message());
    auto path = args->require("--model");
    if (!path.ok()) return fail(path.message());
    auto model = Model::open(path.value());
    if (!model.ok()) return fail(model.message());
    const Model& m = *model.value();
    auto ctx = args->getInt("--ctx", std::min(m.desc().contextLength, 8192), 1, m.desc().contextLength);
    if (!ctx.ok()) return fail(ctx.message());

    for (const ModelFact& f : summarizeModel(m, static_cast<int>(ctx.value())))
        std::printf("%-32s %s\n", (f.key + ":").c_str(), f.value.c_str());
    std::printf("per-layer:\n");
    for (const std::string& line : describeLayers(m.desc())) std::printf("  %s\n", line.c_str());
    return 0;
}

}  // namespace facet::cli
