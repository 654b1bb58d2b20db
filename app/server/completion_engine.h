// What the API asks of a text generator: count a prompt, then stream one
// completion. The model-backed one is SessionEngine; tests use a scripted
// fake, so the queue, stop strings and SSE framing run without a model.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "chat/chat_format.h"
#include "core/result.h"
#include "sampling/sampler.h"

namespace facet::server {

struct EngineJob {
    bool chat = true;                   // chat: `messages` through the chat template; else raw `prompt`
    std::vector<ChatMessage> messages;
    bool thinking = false;
    std::string prompt;
    SamplerParams sampling;
    int maxTokens = -1;                 // -1: until a stop token or the context is full
};

enum class EngineStop { StopToken, Length, Halted };  // Halted: cancel set or onDelta returned false

struct EngineOutcome {
    int promptTokens = 0;
    int completionTokens = 0;
    int cachedTokens = 0;  // prompt tokens whose KV the engine reused
    EngineStop stop = EngineStop::StopToken;
};

class CompletionEngine {
public:
    virtual ~CompletionEngine() = default;
    virtual int contextSize() const = 0;
    // Tokens the job's prompt takes. Thread-safe: the server thread calls it
    // while the engine thread generates.
    virtual Result<int> promptTokens(const EngineJob& job) const = 0;
    // Engine thread only. `cancel` is checked before every token; onDelta gets
    // whole UTF-8 text (thinking apart from the answer) and returns false to stop.
    virtual Result<EngineOutcome> run(const EngineJob& job, const std::atomic<bool>* cancel,
                                      const std::function<bool(const ChatOutput&)>& onDelta) = 0;
};

}  // namespace facet::server
