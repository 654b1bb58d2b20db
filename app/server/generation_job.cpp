#include "generation_job.h"

#include "stop_matcher.h"

namespace facet::server {

Result<GenerationOutcome> runGeneration(CompletionEngine& engine, const EngineJob& job,
                                        const std::vector<std::string>& stop, const std::atomic<bool>* cancel,
                                        const std::function<void(const ChatOutput&)>& onText) {
    StopMatcher matcher(stop);
    auto out = engine.run(job, cancel, [&](const ChatOutput& d) {
        ChatOutput safe;
        safe.thinking = d.thinking;  // stop strings apply to the answer only
        safe.answer = matcher.push(d.answer);
        safe.toolCalls = d.toolCalls;
        if (!safe.empty()) onText(safe);
        return !matcher.matched();
    });
    if (!out.ok()) return out.error();
    GenerationOutcome g;
    g.engine = out.value();
    ChatOutput rest;
    rest.answer = matcher.flush();
    if (!rest.answer.empty()) onText(rest);
    g.cancelled = !matcher.matched() && g.engine.stop == EngineStop::Halted;
    g.finishReason = g.engine.stop == EngineStop::Length && !matcher.matched() ? QStringLiteral("length")
                                                                                : QStringLiteral("stop");
    return g;
}

}  // namespace facet::server
