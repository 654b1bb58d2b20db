// What the API asks of a text generator: count a prompt, then stream one
// completion. The model-backed one is SessionEngine; tests use a scripted
// fake, so the queue, stop strings and SSE framing run without a model.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <optional>

#include "chat/chat_format.h"
#include "grammar/grammar.h"
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
    // Output constraint: the answer (after any thought) follows this grammar
    // (a JSON response format or required tool calls).
    std::optional<grammar::Grammar> grammar;
    bool banToolCalls = false;          // tool_choice "none": the tool-call marker is never sampled
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
    // The app's engine shares the chat's model, which may be absent (none
    // loaded, or between two): the API then answers 503 and lists no chat
    // model. Its id is the loaded file's name without .gguf; an empty id
    // means OpenAiApi::Options::chatModelId (a fixed model, facet-cli serve).
    virtual bool modelLoaded() const { return true; }
    virtual std::string modelId() const { return {}; }
    // A vision projector is loaded: chat jobs may hold pictures.
    virtual bool seesImages() const { return false; }
    // Tokens the job's prompt takes. Thread-safe: the server thread calls it
    // while the engine thread generates.
    virtual Result<int> promptTokens(const EngineJob& job) const = 0;
    // Engine thread only. `cancel` is checked before every token; onDelta gets
    // whole UTF-8 text (thinking apart from the answer) and returns false to stop.
    virtual Result<EngineOutcome> run(const EngineJob& job, const std::atomic<bool>* cancel,
                                      const std::function<bool(const ChatOutput&)>& onDelta) = 0;
};

}  // namespace facet::server
