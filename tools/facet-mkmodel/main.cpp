// facet-mkmodel: writes a random-weight Gemma 4 model (GGUF or HF folder) of
// any variant shape, weight type and vocabulary, for tests and benchmarks.
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <string>

#include "model/model_maker.h"
#include "model/variants.h"
#include "vision/projector_maker.h"

using namespace facet;

static const char* kUsage =
    "usage: facet-mkmodel --variant NAME -o OUT [--format gguf|hf] [--type T] [--norm-type T]\n"
    "                     [--seed S] [--hidden H] [--vocab V] [--ctx N] [--tokenizer tokenizer.json]\n"
    "                     [--split-experts]\n"
    "  NAME: e2b e4b moe 31b (real shapes) or e2b-like moe-like dense31b-like (tiny);\n"
    "        mmproj-e2b mmproj-31b: a random projector (gemma4v) of the real tower shapes\n"
    "  T:    f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1 q4_k q5_k q6_k\n"
    "  --split-experts: MoE gate/up as ffn_gate_exps + ffn_up_exps instead of ffn_gate_up_exps\n";

static int fail(const std::string& msg) {
    std::fprintf(stderr, "facet-mkmodel: %s\n", msg.c_str());
    return 1;
}

int main(int argc, char** argv) {
    std::string variant, out, format = "gguf";
    MakeOptions opt;
    int hidden = 0, vocab = 0, ctx = 0;
    bool typeGiven = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        auto number = [&](int& dst) {
            const std::string v = value();
            char* end = nullptr;
            const long x = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end || x <= 0 || x > (1 << 24)) return false;
            dst = static_cast<int>(x);
            return true;
        };
        if (a == "--variant") variant = value();
        else if (a == "-o" || a == "--out") out = value();
        else if (a == "--format") format = value();
        else if (a == "--type") { if (!typeFromName(value(), opt.weightType)) return fail("unknown --type"); typeGiven = true; }
        else if (a == "--norm-type") { if (!typeFromName(value(), opt.normType)) return fail("unknown --norm-type"); }
        else if (a == "--seed") opt.seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--hidden") { if (!number(hidden)) return fail("bad --hidden"); }
        else if (a == "--vocab") { if (!number(vocab)) return fail("bad --vocab"); }
        else if (a == "--ctx") { if (!number(ctx)) return fail("bad --ctx"); }
        else if (a == "--tokenizer") opt.tokenizerJson = value();
        else if (a == "--split-experts") opt.splitExperts = true;
        else if (a == "--help" || a == "-h") { std::fputs(kUsage, stdout); return 0; }
        else return fail("unknown option '" + a + "'\n" + kUsage);
    }
    if (variant.empty() || out.empty()) return fail(std::string("--variant and -o are required\n") + kUsage);
    if (variant.rfind("mmproj-", 0) == 0) {
        VisionDesc v;
        if (!projectorShapeByName(variant.substr(7), v)) return fail("unknown projector '" + variant + "'");
        if (hidden) v.textWidth = hidden;  // the text model it goes with
        ProjectorOptions po;
        po.seed = opt.seed;
        po.weightType = typeGiven ? opt.weightType : GgmlType::F16;  // as the converter writes them
        Status s = writeRandomProjector(v, po, out);
        if (!s.ok()) return fail(s.message());
        std::fprintf(stderr, "wrote %s (%s, %s)\n", out.c_str(), variant.c_str(), typeName(po.weightType).c_str());
        return 0;
    }
    ModelDesc d;
    if (!variantByName(variant, d)) return fail("unknown variant '" + variant + "'");
    if (hidden) d.hidden = hidden, d.embedScale = std::sqrt(static_cast<float>(hidden));
    if (vocab) d.vocab = vocab;
    if (ctx) d.contextLength = ctx;
    Status s = format == "gguf" ? writeRandomGguf(d, opt, out)
             : format == "hf"   ? writeRandomHfFolder(d, opt, out)
                                : Status(makeError("--format must be gguf or hf"));
    if (!s.ok()) return fail(s.message());
    std::fprintf(stderr, "wrote %s (%s, %s)\n", out.c_str(), variant.c_str(), typeName(opt.weightType).c_str());
    return 0;
}
