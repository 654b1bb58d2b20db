#include "session_engine.h"

#include <algorithm>

#include "job_runner.h"
#include "runtime/vulkan_backend.h"

namespace facet::server {

SessionEngine::~SessionEngine() {
    // The generator and format point into the backend and tokenizer.
    generator_.reset();
    format_.reset();
    images_.reset();
    backend_.reset();
}

Result<std::unique_ptr<SessionEngine>> SessionEngine::open(const std::string& path, const BackendChoice& choice,
                                                           const std::string& projector) {
    std::unique_ptr<SessionEngine> e(new SessionEngine());
    FACET_ASSIGN(e->model_, Model::open(path));
    FACET_ASSIGN(e->tokenizer_, tokenizerForModel(*e->model_));
    BackendChoice c = choice;
    c.maxContext = std::clamp(c.maxContext, 16, e->model_->desc().contextLength);
    if (!projector.empty()) {
        FACET_ASSIGN(e->images_, ImageEncoder::open(projector, e->model_->desc()));
        if (e->images_->bidirectional()) c.minBatch = std::max(c.minBatch, kImageTokensDetailed);
    }
    FACET_ASSIGN(e->backend_, makeBackend(*e->model_, c));
    if (auto* vb = dynamic_cast<VulkanBackend*>(e->backend_.get()); vb && e->images_)
        (void)e->images_->useDevice(vb->device());  // else the CPU reference encodes
    e->format_ = std::make_unique<ChatFormat>(*e->tokenizer_,
                                              ChatFormat::Options{usesLargeChatTemplate(e->model_->desc())});
    FACET_TRY(e->format_->status());
    e->generator_ = std::make_unique<Generator>(*e->backend_);
    return e;
}

int SessionEngine::contextSize() const { return backend_->maxContext(); }
const char* SessionEngine::backendName() const { return backend_->backendName(); }

Result<int> SessionEngine::promptTokens(const EngineJob& job) const {
    FACET_ASSIGN(auto prompt, jobPrompt(*tokenizer_, *format_, job, images_.get()));
    return static_cast<int>(prompt.ids.size());
}

Result<EngineOutcome> SessionEngine::run(const EngineJob& job, const std::atomic<bool>* cancel,
                                         const std::function<bool(const ChatOutput&)>& onDelta) {
    return runJob(JobTarget{*tokenizer_, *format_, *generator_, contextSize(), images_.get()}, job, cancel, onDelta);
}

}  // namespace facet::server
