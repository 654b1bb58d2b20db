// facet-cli embed-image, and the image part of logits: a picture through a
// Gemma 4 projector (gemma4v mmproj) into the soft tokens that enter the text
// model (gemma4-vision.md). Both run on the CPU reference (--backend cpu, the
// default) or on a Vulkan device (--backend vulkan [--device N|NAME]: the
// tower as VisionVulkan, the text model as the Vulkan forward pass).
#include <QString>
#include <cstdio>

#include "cli_common.h"
#include "cpu/cpu_forward.h"
#include "image_loader.h"
#include "vision/vision_forward.h"
#include "vision/vision_model.h"
#include "vision/vision_vulkan.h"

namespace facet::cli {

namespace {

// `command` names the command in errors.
Result<SoftTokens> softTokensFor(const Args& a, const ModelDesc& text, const char* command) {
    const std::string backend = a.get("--backend").value_or("cpu");
    if (backend != "vulkan" && backend != "cpu")
        return errorf("%s: unknown backend '%s' (vulkan or cpu)", command, backend.c_str());
    if (backend == "cpu" && a.has("--device")) return errorf("%s: --device needs --backend vulkan", command);
    FACET_ASSIGN(std::string mmproj, a.require("--mmproj"));
    FACET_ASSIGN(std::string image, a.require("--image"));
    FACET_ASSIGN(auto vision, VisionModel::open(mmproj));
    FACET_ASSIGN(RgbImage rgb, loadImageFile(QString::fromStdString(image)));
    ImageBudget budget;
    budget.patchSize = vision->desc().patchSize;
    budget.poolKernel = vision->desc().poolKernel;
    FACET_ASSIGN(PreprocessedImage pre, preprocessImage(rgb, budget));
    SoftTokens tokens;
    if (backend == "vulkan") {
        FACET_ASSIGN(auto tower, VisionVulkan::open(*vision, a.get("--device").value_or("")));
        FACET_ASSIGN(tokens, tower->encode(encoderInput(pre), pre.plan.targetWidth, pre.plan.targetHeight));
    } else {
        FACET_ASSIGN(tokens, encodeImageCpu(*vision, encoderInput(pre), pre.plan.targetWidth, pre.plan.targetHeight));
    }
    if (tokens.width != text.hidden)
        return errorf("%s makes soft tokens of width %d, but the model's hidden width is %d: they do not belong together",
                      mmproj.c_str(), tokens.width, text.hidden);
    return tokens;
}

// The run of image placeholders between <|image> and <image|> in `ids`.
Result<std::pair<int, int>> placeholderRun(const Model& model, const std::vector<int>& ids) {
    FACET_ASSIGN(auto tok, tokenizerForModel(model));
    const auto boi = tok->idOf("<|image>"), slot = tok->idOf("<|image|>"), eoi = tok->idOf("<image|>");
    if (!boi || !slot || !eoi) return errorf("the model's vocabulary has no <|image>, <|image|> and <image|> tokens");
    int begin = -1;
    for (size_t i = 0; i + 1 < ids.size(); ++i)
        if (ids[i] == *boi) {
            begin = static_cast<int>(i) + 1;
            break;
        }
    if (begin < 0) return errorf("the tokens hold no begin-of-image id %d", *boi);
    int end = begin;
    while (end < static_cast<int>(ids.size()) && ids[end] == *slot) ++end;
    if (end == static_cast<int>(ids.size()) || ids[end] != *eoi)
        return errorf("after begin-of-image (%d) the tokens must hold placeholders (%d) and then end-of-image (%d)", *boi,
                      *slot, *eoi);
    return std::make_pair(begin, end);
}

}  // namespace

int commandEmbedImage(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model", "--mmproj", "--image", "--backend", "--device", "--out"}, {});
    if (!args.ok()) return fail(args.message());
    auto path = args->require("--model");
    auto out = args->require("--out");
    if (!path.ok()) return fail(path.message());
    if (!out.ok()) return fail(out.message());
    auto model = Model::open(path.value());
    if (!model.ok()) return fail(model.message());
    auto tokens = softTokensFor(args.value(), model.value()->desc(), "embed-image");
    if (!tokens.ok()) return fail(tokens.message());
    if (Status w = writeFloats(out.value(), tokens->values); !w.ok()) return fail(w.message());
    std::printf("%d\n", tokens->count());
    std::fflush(stdout);
    std::fprintf(stderr, "wrote %d x %d soft tokens (%d x %d grid) to %s\n", tokens->count(), tokens->width, tokens->cols,
                 tokens->rows, out.value().c_str());
    return 0;
}

int logitsWithImage(const Args& a, const Model& model, const std::vector<int>& ids, const std::string& out) {
    auto tokens = softTokensFor(a, model.desc(), "logits");
    if (!tokens.ok()) return fail(tokens.message());
    auto run = placeholderRun(model, ids);
    if (!run.ok()) return fail(run.message());
    const auto [begin, end] = run.value();
    if (end - begin != tokens->count())
        return fail("the tokens hold " + std::to_string(end - begin) + " image placeholders, but the picture makes " +
                    std::to_string(tokens->count()) + " soft tokens");
    InjectedRows rows{begin, end, tokens->values.data(), cpu::bidirectionalImageAttention(model.desc())};
    rows.width = tokens->width;
    std::vector<float> logits;
    const bool vulkan = a.get("--backend").value_or("cpu") == "vulkan";
    if (vulkan) {  // a bidirectional image runs in one batch
        auto backend = makeBackend(model, a, static_cast<int>(ids.size()), rows.bidirectional ? end - begin : 0);
        if (!backend.ok()) return fail(backend.message());
        if (Status s = backend.value()->forwardInjected(ids, {rows}, true, logits); !s.ok()) return fail(s.message());
    } else {
        cpu::CpuForward fwd(model.desc(), model.weights(), static_cast<int>(ids.size()));
        if (Status s = fwd.forward(ids, {rows}, true, logits); !s.ok()) return fail(s.message());
    }
    if (Status w = writeFloats(out, logits); !w.ok()) return fail(w.message());
    std::fprintf(stderr, "wrote %zu x %d logits to %s (image at %d..%d, %s)\n", ids.size(), model.desc().vocab,
                 out.c_str(), begin, end, vulkan ? "Vulkan" : "CPU reference");
    return 0;
}

}  // namespace facet::cli
