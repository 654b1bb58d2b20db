// The model-backed CompletionEngine: a Gemma 4 model, its tokenizer, one
// forward backend and a Generator that keeps the KV cache between requests
// (a request sharing a prefix with the previous one prefills only the rest;
// cachedTokens reports it). Chat jobs go through the Gemma 4 chat format,
// raw jobs are <bos> + text. Unlike ChatSession it never drops turns to fit:
// the API refuses prompts that do not fit instead.
#pragma once

#include <memory>
#include <string>

#include "completion_engine.h"
#include "model/model.h"
#include "runtime/backend_factory.h"
#include "runtime/generator.h"
#include "runtime/image_encoder.h"
#include "tokenizer/tokenizer.h"

namespace facet::server {

class SessionEngine : public CompletionEngine {
public:
    // `projector`: a vision projector for pictures in chat jobs, or "".
    static Result<std::unique_ptr<SessionEngine>> open(const std::string& path, const BackendChoice& choice,
                                                       const std::string& projector = "");
    ~SessionEngine() override;

    int contextSize() const override;
    bool seesImages() const override { return images_ != nullptr; }
    Result<int> promptTokens(const EngineJob& job) const override;
    Result<EngineOutcome> run(const EngineJob& job, const std::atomic<bool>* cancel,
                              const std::function<bool(const ChatOutput&)>& onDelta) override;
    const char* backendName() const;

private:
    SessionEngine() = default;

    std::unique_ptr<Model> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::unique_ptr<ForwardPass> backend_;
    std::unique_ptr<Generator> generator_;
    std::unique_ptr<ChatFormat> format_;
    std::unique_ptr<ImageEncoder> images_;
};

}  // namespace facet::server
