#include "shared_chat_engine.h"

#include <cctype>
#include <chrono>

#include "job_runner.h"

SharedChatEngine::SharedChatEngine(std::shared_ptr<SharedSession> shared) : shared_(std::move(shared)) {}

int SharedChatEngine::contextSize() const {
    std::shared_lock<std::shared_mutex> parts(shared_->parts);
    return shared_->session ? shared_->session->contextSize() : 0;
}

bool SharedChatEngine::modelLoaded() const {
    std::shared_lock<std::shared_mutex> parts(shared_->parts);
    return shared_->session != nullptr;
}

bool SharedChatEngine::seesImages() const {
    std::shared_lock<std::shared_mutex> parts(shared_->parts);
    return shared_->session && shared_->session->seesImages();
}

std::string SharedChatEngine::modelId() const {
    std::shared_lock<std::shared_mutex> parts(shared_->parts);
    std::string name = shared_->path.substr(shared_->path.find_last_of('/') + 1);  // npos + 1 == 0
    const std::string ext = ".gguf";
    if (name.size() > ext.size()) {
        std::string tail = name.substr(name.size() - ext.size());
        for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (tail == ext) name.resize(name.size() - ext.size());
    }
    return name;
}

facet::Result<int> SharedChatEngine::promptTokens(const facet::server::EngineJob& job) const {
    std::shared_lock<std::shared_mutex> parts(shared_->parts);
    if (!shared_->session) return facet::errorf("%s", kNoModel);
    const facet::ChatSession& s = *shared_->session;
    FACET_ASSIGN(auto prompt, facet::server::jobPrompt(s.tokenizer(), s.format(), job, s.images()));
    return static_cast<int>(prompt.ids.size());
}

facet::Result<facet::server::EngineOutcome> SharedChatEngine::run(
    const facet::server::EngineJob& job, const std::atomic<bool>* cancel,
    const std::function<bool(const facet::ChatOutput&)>& onDelta) {
    // Polled, not blocking: a client that leaves (or the server shutting
    // down) must not wait for a long chat reply to end.
    std::unique_lock<std::timed_mutex> use(shared_->use, std::defer_lock);
    while (!use.try_lock_for(std::chrono::milliseconds(50))) {
        if ((cancel && cancel->load()) || shared_->closing) {
            facet::server::EngineOutcome halted;
            halted.stop = facet::server::EngineStop::Halted;
            return halted;
        }
    }
    // Holding `use`, the pointer cannot change (its writer holds `use` too).
    facet::ChatSession* s = shared_->session.get();
    if (!s) return facet::errorf("%s", kNoModel);
    if (s->lost()) return facet::errorf("the GPU was lost; reload the model in Facet");
    if (shared_->closing) return facet::errorf("Facet is closing");
    const facet::server::JobTarget target{s->tokenizer(), s->format(), s->generator(), s->contextSize(), s->images()};
    return facet::server::runJob(target, job, cancel, [&](const facet::ChatOutput& d) {
        return !shared_->closing && onDelta(d);  // the app quits: stop at this token
    });
}
