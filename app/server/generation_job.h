// One completion as the API runs it on the engine thread: the engine's
// deltas through the stop strings, and the finish reason and usage OpenAI
// reports. Independent of HTTP and threads, so tests drive it directly.
#pragma once

#include <QString>

#include "completion_engine.h"

namespace facet::server {

struct GenerationOutcome {
    EngineOutcome engine;
    QString finishReason;  // "stop" (stop token or string) or "length" (max tokens or full context)
    bool cancelled = false;
};

Result<GenerationOutcome> runGeneration(CompletionEngine& engine, const EngineJob& job,
                                        const std::vector<std::string>& stop, const std::atomic<bool>* cancel,
                                        const std::function<void(const ChatOutput&)>& onText);

}  // namespace facet::server
