// The API's CompletionEngine in the app: it runs API jobs on the chat's own
// ChatSession (SharedSession, app/chat/shared_session.h), so the server
// loads no second copy of the model. A job takes the session's `use` lock
// for its run, in turn with chat replies on the engine thread; counting a
// prompt's tokens takes only the shared `parts` lock, so the server's thread
// (the UI thread) never waits for a reply.
#pragma once

#include <memory>

#include "completion_engine.h"
#include "shared_session.h"

class SharedChatEngine : public facet::server::CompletionEngine {
public:
    explicit SharedChatEngine(std::shared_ptr<SharedSession> shared);

    int contextSize() const override;  // 0 while no model is loaded
    bool modelLoaded() const override;
    bool seesImages() const override;  // the chat's model was loaded with its projector
    std::string modelId() const override;  // the file name without .gguf; "" when none
    facet::Result<int> promptTokens(const facet::server::EngineJob& job) const override;
    // Runs on the API queue's thread. It waits for a running chat reply (or
    // load) to end, checking `cancel` while it waits.
    facet::Result<facet::server::EngineOutcome> run(
        const facet::server::EngineJob& job, const std::atomic<bool>* cancel,
        const std::function<bool(const facet::ChatOutput&)>& onDelta) override;

    // What the API says when the chat has no model (the 503's message).
    static constexpr const char* kNoModel = "no model is loaded in Facet";

private:
    std::shared_ptr<SharedSession> shared_;
};
