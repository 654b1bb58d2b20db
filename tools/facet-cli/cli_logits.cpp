// facet-cli logits: one forward pass over the given ids (no BOS added);
// writes float32 little-endian logits, row-major [n_tokens][vocab].
#include <cstdio>

#include "cli_common.h"

namespace facet::cli {

int commandLogits(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model", "--tokens", "--out", "--backend", "--device", "--mmproj", "--image"}, {});
    if (!args.ok()) return fail(args.message());
    auto path = args->require("--model");
    auto idsText = args->require("--tokens");
    auto out = args->require("--out");
    if (!path.ok()) return fail(path.message());
    if (!idsText.ok()) return fail(idsText.message());
    if (!out.ok()) return fail(out.message());
    auto ids = parseIds(idsText.value());
    if (!ids.ok()) return fail(ids.message());
    auto model = Model::open(path.value());
    if (!model.ok()) return fail(model.message());
    const ModelDesc& d = model.value()->desc();
    for (int id : ids.value())
        if (id >= d.vocab) return fail("token " + std::to_string(id) + " is outside the vocabulary of " + std::to_string(d.vocab));
    if (static_cast<int>(ids->size()) > d.contextLength) return fail("more tokens than the model's context");
    if (args->has("--mmproj") || args->has("--image")) {
#ifdef FACET_CLI_VISION
        return logitsWithImage(args.value(), *model.value(), ids.value(), out.value());
#else
        return fail("this facet-cli was built without image input");
#endif
    }

    auto backend = makeBackend(*model.value(), args.value(), static_cast<int>(ids->size()));
    if (!backend.ok()) return fail(backend.message());
    std::vector<float> logits;
    Status s = backend.value()->forward(ids.value(), true, logits);
    if (!s.ok()) return fail(s.message());

    if (Status w = writeFloats(out.value(), logits); !w.ok()) return fail(w.message());
    std::fprintf(stderr, "wrote %zu x %d logits to %s\n", ids->size(), d.vocab, out.value().c_str());
    return 0;
}

}  // namespace facet::cli
