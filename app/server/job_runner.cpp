#include "job_runner.h"

#include <algorithm>

#include "chat/tool_syntax.h"
#include "grammar/token_constraint.h"
#include "tokenizer/utf8_stream.h"

namespace facet::server {

Result<RenderedPrompt> jobPrompt(const Tokenizer& tokenizer, const ChatFormat& format, const EngineJob& job,
                                 const ImageEncoder* images) {
    if (job.chat)
        return format.render(job.messages, job.thinking, true, images ? images->counter(kImageTokensDefault) : nullptr);
    RenderedPrompt raw;
    raw.ids = tokenizer.encodeWithBos(job.prompt);
    return raw;
}

Result<EngineOutcome> runJob(const JobTarget& target, const EngineJob& job, const std::atomic<bool>* cancel,
                             const std::function<bool(const ChatOutput&)>& onDelta) {
    FACET_ASSIGN(RenderedPrompt rendered, jobPrompt(target.tokenizer, target.format, job, target.images));
    std::vector<EncodedImage> pictures;  // holds the soft tokens while generating
    if (!rendered.images.empty()) {
        FACET_ASSIGN(pictures, target.images->encode(rendered, kImageTokensDefault));
    }
    const std::vector<int>& prompt = rendered.ids;
    const int room = target.contextSize - static_cast<int>(prompt.size());
    if (room <= 0)
        return errorf("the prompt takes %zu tokens; the context holds %d", prompt.size(), target.contextSize);
    ChatOutputParser parser(target.tokenizer);  // raw jobs: only its stop ids and text decoding
    StreamingDecoder raw(target.tokenizer);
    GenerateOptions opt;
    opt.maxTokens = job.maxTokens < 0 ? room : std::min(job.maxTokens, room);
    opt.sampling = job.sampling;
    opt.stopIds = parser.stopIds();
    opt.cancel = cancel;
    for (const EncodedImage& p : pictures) opt.images.push_back(p.rows);
    std::unique_ptr<TokenFilter> filter;
    if (job.grammar) {
        filter = std::make_unique<grammar::TokenConstraint>(target.tokenizer, *job.grammar,
                                                            grammar::TokenConstraint::Options{parser.stopIds(), job.thinking});
    } else if (job.banToolCalls) {
        if (auto call = target.tokenizer.idOf(protocol::kMarkerPieces[protocol::kCallOpen - 1]))
            filter = std::make_unique<BannedTokens>(std::vector<int>{*call});
    }
    opt.filter = filter.get();
    bool halted = false;
    FACET_ASSIGN(auto stats, target.generator.generate(prompt, opt, [&](int id) {
        ChatOutput d;
        if (job.chat) d = parser.feed(id);
        else d.answer = raw.push(id);
        if (d.empty() || onDelta(d)) return true;
        halted = true;
        return false;
    }));
    if (!halted) {
        ChatOutput rest;
        if (job.chat) rest = parser.finish();
        else rest.answer = raw.finish();
        if (!rest.empty()) onDelta(rest);
    }
    EngineOutcome out;
    out.promptTokens = stats.promptTokens;
    out.completionTokens = stats.generated;
    out.cachedTokens = stats.reusedTokens;
    if (halted || stats.reason == StopReason::Cancelled) out.stop = EngineStop::Halted;
    else if (stats.reason == StopReason::StopToken) out.stop = EngineStop::StopToken;
    else out.stop = EngineStop::Length;
    return out;
}

}  // namespace facet::server
