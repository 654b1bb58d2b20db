// facet-cli generate: --tokens prints the generated ids on one line (a raw
// continuation of exactly -n tokens: no stop tokens, like llama.cpp's
// reference runs); --prompt streams text and stops at <eos>/<turn|>/
// <|tool_response>; --chat wraps the prompt in the Gemma 4 chat format.
#include <chrono>
#include <cstdio>

#include "chat/chat_format.h"
#include "cli_common.h"
#include "runtime/generator.h"
#include "tokenizer/utf8_stream.h"

namespace facet::cli {

static Result<SamplerParams> samplingFrom(const Args& a) {
    SamplerParams p;  // Gemma 4 generation_config defaults: temp 1, top-k 64, top-p 0.95
    FACET_ASSIGN(double temp, a.getDouble("--temp", p.temperature, 0, 100));
    FACET_ASSIGN(long long topK, a.getInt("--top-k", p.topK, 0, 1 << 30));
    FACET_ASSIGN(double topP, a.getDouble("--top-p", p.topP, 0, 1));
    FACET_ASSIGN(double minP, a.getDouble("--min-p", p.minP, 0, 1));
    FACET_ASSIGN(double rep, a.getDouble("--repeat-penalty", p.repeatPenalty, 0, 100));
    FACET_ASSIGN(long long seed, a.getInt("--seed", 0, 0, (1LL << 62)));
    p.temperature = static_cast<float>(temp);
    p.topK = static_cast<int>(topK);
    p.topP = static_cast<float>(topP);
    p.minP = static_cast<float>(minP);
    p.repeatPenalty = static_cast<float>(rep);
    p.seed = static_cast<uint64_t>(seed);
    return p;
}

int commandGenerate(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv,
                            {"--model", "--prompt", "--tokens", "-n", "--temp", "--top-k", "--top-p", "--min-p",
                             "--repeat-penalty", "--seed", "--backend", "--device", "--ctx", "--system", "--mmproj",
                             "--image", "--image-tokens"},
                            {"--chat", "--think"});
    if (!args.ok()) return fail(args.message());
    const Args& a = args.value();
    auto path = a.require("--model");
    if (!path.ok()) return fail(path.message());
    if (a.has("--prompt") == a.has("--tokens")) return fail("give exactly one of --prompt and --tokens");
    const bool withImages = a.has("--image") || a.has("--mmproj");
    if (withImages && !(a.has("--image") && a.has("--mmproj") && a.has("--prompt")))
        return fail("image input needs --mmproj, at least one --image and --prompt");
    auto nGen = a.getInt("-n", 128, 0, 1 << 24);
    if (!nGen.ok()) return fail(nGen.message());
    auto sampling = samplingFrom(a);
    if (!sampling.ok()) return fail(sampling.message());

    auto model = Model::open(path.value());
    if (!model.ok()) return fail(model.message());
    const Model& m = *model.value();

    std::vector<int> prompt;
    std::unique_ptr<Tokenizer> tok;
    ImagePrompt pictures;  // with --image: the encoder and the soft tokens opt.images points into
    GenerateOptions opt;
    opt.maxTokens = static_cast<int>(nGen.value());
    opt.sampling = sampling.value();
    if (a.has("--tokens")) {
        auto ids = parseIds(*a.get("--tokens"));
        if (!ids.ok()) return fail(ids.message());
        prompt = ids.value();
        for (int id : prompt)
            if (id >= m.desc().vocab) return fail("token " + std::to_string(id) + " is outside the vocabulary");
    } else {
        auto t = tokenizerForModel(m);
        if (!t.ok()) return fail(t.message());
        tok = std::move(t).value();
        const std::string text = *a.get("--prompt");
        if (a.has("--chat") || withImages) {  // pictures go in a chat turn
            ChatFormat fmt(*tok, ChatFormat::Options{usesLargeChatTemplate(m.desc())});
            std::vector<ChatMessage> msgs;
            ChatMessage m;
            if (auto sys = a.get("--system")) {
                m.role = ChatMessage::System;
                m.text = *sys;
                msgs.push_back(m);
            }
            m.role = ChatMessage::User;
            m.text = text;
            msgs.push_back(m);
            if (withImages) {
#ifdef FACET_CLI_VISION
                auto p = imagePrompt(a, *model.value(), *tok, msgs, a.has("--think"));
                if (!p.ok()) return fail(p.message());
                pictures = std::move(p).value();
                prompt = pictures.ids;
                int soft = 0;
                for (const EncodedImage& e : pictures.images) {
                    opt.images.push_back(e.rows);
                    soft += e.rows.end - e.rows.begin;
                }
                std::fprintf(stderr, "%zu picture(s), %d soft tokens, encoded in %.2f s (%s)\n", pictures.images.size(),
                             soft, pictures.encoder->lastEncodeSeconds(), pictures.encoder->towerName().c_str());
#else
                return fail("this facet-cli was built without image input");
#endif
            } else {
                auto ids = fmt.render(msgs, a.has("--think"), true);
                if (!ids.ok()) return fail(ids.message());
                prompt = ids.value();
            }
        } else {
            prompt = tok->encodeWithBos(text);
        }
        opt.stopIds = ChatFormat::stopIds(*tok);
    }
    const auto ctxDefault = std::min<long long>(m.desc().contextLength, static_cast<long long>(prompt.size()) + opt.maxTokens + 1);
    auto ctx = a.getInt("--ctx", ctxDefault, 1, m.desc().contextLength);
    if (!ctx.ok()) return fail(ctx.message());
    // A bidirectional image block runs in one batch.
    int minBatch = 0;
    for (const InjectedRows& r : opt.images)
        if (r.bidirectional) minBatch = std::max(minBatch, r.end - r.begin);
    auto backend = makeBackend(m, a, static_cast<int>(ctx.value()), minBatch);
    if (!backend.ok()) return fail(backend.message());

    Generator gen(*backend.value());
    std::vector<int> out;
    std::unique_ptr<StreamingDecoder> stream;
    if (tok) stream = std::make_unique<StreamingDecoder>(*tok);
    auto st = gen.generate(prompt, opt, [&](int id) {
        out.push_back(id);
        if (stream) {
            const std::string s = stream->push(id);
            std::fwrite(s.data(), 1, s.size(), stdout);
            std::fflush(stdout);
        }
        return true;
    });
    if (!st.ok()) return fail(st.message());
    if (stream) {
        const std::string s = stream->finish();
        std::fwrite(s.data(), 1, s.size(), stdout);
        std::printf("\n");
    } else {
        std::string line;
        for (size_t i = 0; i < out.size(); ++i) line += (i ? " " : "") + std::to_string(out[i]);
        std::printf("%s\n", line.c_str());
    }
    std::fflush(stdout);
    const GenerateStats& s = st.value();
    std::fprintf(stderr, "prompt %d tokens in %.2f s (%.1f t/s), generated %d in %.2f s (%.1f t/s), stop: %s\n",
                 s.promptTokens, s.prefillSeconds, s.prefillSeconds > 0 ? s.promptTokens / s.prefillSeconds : 0.0,
                 s.generated, s.decodeSeconds, s.decodeSeconds > 0 ? s.generated / s.decodeSeconds : 0.0,
                 stopReasonName(s.reason));
    return 0;
}

}  // namespace facet::cli
