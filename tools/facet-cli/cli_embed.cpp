// facet-cli embed: the sentence embedding of one text or id sequence with an
// EmbeddingGemma GGUF; writes float32 little-endian, one row: mean pool →
// dense_2/dense_3 (when the file has them) → L2 normalize (--dim N keeps the
// first N values and renormalizes). --text tokenizes as llama.cpp does for the
// model (BOS, text, EOS when add_eos_token), with no task prefix; --tokens
// uses exactly the given ids. --backend cpu (the default) runs the reference
// EmbeddingForward; --backend vulkan runs EmbeddingVulkan on --device (index
// or name substring, as for the other commands).
#include <cstdio>

#include "cli_common.h"
#include "embedding/embedding_forward.h"
#include "embedding/embedding_model.h"
#include "embedding/embedding_vulkan.h"
#include "model/gguf_file.h"

namespace facet::cli {

int commandEmbed(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model", "--text", "--tokens", "--dim", "--backend", "--device", "--out"}, {});
    if (!args.ok()) return fail(args.message());
    auto path = args->require("--model");
    if (!path.ok()) return fail(path.message());
    auto out = args->require("--out");
    if (!out.ok()) return fail(out.message());
    if (args->has("--text") == args->has("--tokens")) return fail("embed: give exactly one of --text and --tokens");
    const std::string backend = args->get("--backend").value_or("cpu");
    if (backend != "vulkan" && backend != "cpu") return fail("embed: unknown backend '" + backend + "' (vulkan or cpu)");
    if (backend == "cpu" && args->has("--device")) return fail("embed: --device needs --backend vulkan");

    auto model = EmbeddingModel::open(path.value());
    if (!model.ok()) return fail(model.message());
    const EmbeddingDesc& d = model.value()->desc();
    auto dim = args->getInt("--dim", 0, 1, d.outputDim());
    if (!dim.ok()) return fail(dim.message());

    std::vector<int> ids;
    if (auto text = args->get("--text")) {
        auto tok = Tokenizer::fromGguf(model.value()->gguf());
        if (!tok.ok()) return fail(tok.message());
        ids = tok.value()->encodeWithSpecials(*text);
    } else {
        auto parsed = parseIds(*args->get("--tokens"));
        if (!parsed.ok()) return fail(parsed.message());
        ids = std::move(parsed).value();
        if (ids.empty()) return fail("embed: --tokens holds no ids");
    }

    Result<std::vector<std::vector<float>>> rows = errorf("embed: no backend");
    if (backend == "vulkan") {
        auto gpu = EmbeddingVulkan::open(*model.value(), args->get("--device").value_or(""));
        if (!gpu.ok()) return fail(gpu.message());
        rows = gpu.value()->embed({ids}, static_cast<int>(dim.value()));
    } else {
        rows = EmbeddingForward(*model.value()).embed({ids}, static_cast<int>(dim.value()));
    }
    if (!rows.ok()) return fail(rows.message());
    if (Status s = writeFloats(out.value(), rows.value()[0]); !s.ok()) return fail(s.message());
    std::fprintf(stderr, "wrote a %zu-value embedding of %zu tokens to %s\n", rows.value()[0].size(), ids.size(),
                 out.value().c_str());
    return 0;
}

}  // namespace facet::cli
