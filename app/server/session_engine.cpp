#include "session_engine.h"

#include <algorithm>

#include "tokenizer/utf8_stream.h"

namespace facet::server {

SessionEngine::~SessionEngine() {
    // The generator and format point into the backend and tokenizer.
    generator_.reset();
    format_.reset();
    backend_.reset();
}

Result<std::unique_ptr<SessionEngine>> SessionEngine::open(const std::string& path, const BackendChoice& choice) {
    std::unique_ptr<SessionEngine> e(new SessionEngine());
    FACET_ASSIGN(e->model_, Model::open(path));
    FACET_ASSIGN(e->tokenizer_, tokenizerForModel(*e->model_));
    BackendChoice c = choice;
    c.maxContext = std::clamp(c.maxContext, 16, e->model_->desc().contextLength);
    FACET_ASSIGN(e->backend_, makeBackend(*e->model_, c));
    e->format_ = std::make_unique<ChatFormat>(*e->tokenizer_,
                                              ChatFormat::Options{usesLargeChatTemplate(e->model_->desc())});
    FACET_TRY(e->format_->status());
    e->generator_ = std::make_unique<Generator>(*e->backend_);
    return e;
}

int SessionEngine::contextSize() const { return backend_->maxContext(); }
const char* SessionEngine::backendName() const { return backend_->backendName(); }

Result<std::vector<int>> SessionEngine::promptIds(const EngineJob& job) const {
    if (job.chat) return format_->render(job.messages, job.thinking, true);
    return tokenizer_->encodeWithBos(job.prompt);
}

Result<int> SessionEngine::promptTokens(const EngineJob& job) const {
    FACET_ASSIGN(auto ids, promptIds(job));
    return static_cast<int>(ids.size());
}

Result<EngineOutcome> SessionEngine::run(const EngineJob& job, const std::atomic<bool>* cancel,
                                         const std::function<bool(const ChatOutput&)>& onDelta) {
    FACET_ASSIGN(auto prompt, promptIds(job));
    const int room = contextSize() - static_cast<int>(prompt.size());
    if (room <= 0)
        return errorf("the prompt takes %zu tokens; the context holds %d", prompt.size(), contextSize());
    ChatOutputParser parser(*tokenizer_);  // raw jobs: only its stop ids and text decoding
    StreamingDecoder raw(*tokenizer_);
    GenerateOptions opt;
    opt.maxTokens = job.maxTokens < 0 ? room : std::min(job.maxTokens, room);
    opt.sampling = job.sampling;
    opt.stopIds = parser.stopIds();
    opt.cancel = cancel;
    bool halted = false;
    FACET_ASSIGN(auto stats, generator_->generate(prompt, opt, [&](int id) {
        ChatOutput d;
        if (job.chat) d = parser.feed(id);
        else d.answer = raw.push(id);
        if ((d.thinking.empty() && d.answer.empty()) || onDelta(d)) return true;
        halted = true;
        return false;
    }));
    if (!halted) {
        ChatOutput rest;
        if (job.chat) rest = parser.finish();
        else rest.answer = raw.finish();
        if (!rest.thinking.empty() || !rest.answer.empty()) onDelta(rest);
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
