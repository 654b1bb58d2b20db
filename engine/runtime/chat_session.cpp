#include "runtime/chat_session.h"

#include <algorithm>

#include "runtime/vulkan_backend.h"
#include "vulkan/vk_device.h"

namespace facet {

std::vector<InjectedRows> PreparedPrompt::injected() const {
    std::vector<InjectedRows> rows;
    for (const EncodedImage& e : images) rows.push_back(e.rows);
    return rows;
}

ChatSession::~ChatSession() {
    // The generator and format point into the backend and tokenizer; the
    // image tower may run on the backend's device.
    generator_.reset();
    format_.reset();
    images_.reset();
    backend_.reset();
}

Result<std::unique_ptr<ChatSession>> ChatSession::open(const std::string& path, const BackendChoice& choice,
                                                       const std::string& projector) {
    std::unique_ptr<ChatSession> s(new ChatSession());
    FACET_ASSIGN(s->model_, Model::open(path));
    FACET_ASSIGN(s->tokenizer_, tokenizerForModel(*s->model_));
    BackendChoice c = choice;
    c.maxContext = std::clamp(c.maxContext, 16, s->model_->desc().contextLength);
    if (!projector.empty()) {
        FACET_ASSIGN(s->images_, ImageEncoder::open(projector, s->model_->desc()));
        // A bidirectional image block runs in one batch: room for the largest.
        if (s->images_->bidirectional()) c.minBatch = std::max(c.minBatch, kImageTokensDetailed);
    }
    FACET_ASSIGN(s->backend_, makeBackend(*s->model_, c));
    if (auto* vb = dynamic_cast<VulkanBackend*>(s->backend_.get())) {
        s->deviceName_ = vb->deviceName();
        s->onCpuDevice_ = vb->device().caps().type == vk::DeviceType::Cpu;
        // The tower on the same device (even lavapipe runs it ~4x faster than
        // the CPU reference); where it cannot, the CPU reference encodes.
        if (s->images_) (void)s->images_->useDevice(vb->device());
    } else {
        s->deviceName_ = "CPU reference";
    }
    s->format_ = std::make_unique<ChatFormat>(*s->tokenizer_,
                                              ChatFormat::Options{usesLargeChatTemplate(s->model_->desc())});
    FACET_TRY(s->format_->status());
    s->generator_ = std::make_unique<Generator>(*s->backend_);
    return s;
}

Result<int> ChatSession::promptTokens(const std::vector<ChatMessage>& history, bool thinking, int imageTokens) const {
    FACET_ASSIGN(auto r, format_->render(history, thinking, true, images_ ? images_->counter(imageTokens) : nullptr));
    return static_cast<int>(r.ids.size());
}

Result<PreparedPrompt> ChatSession::prepare(const std::vector<ChatMessage>& messages, bool thinking,
                                            bool addGenerationPrompt, int imageTokens) {
    FACET_ASSIGN(auto r, format_->render(messages, thinking, addGenerationPrompt,
                                         images_ ? images_->counter(imageTokens) : nullptr));
    PreparedPrompt p;
    if (!r.images.empty()) {
        FACET_ASSIGN(p.images, images_->encode(r, imageTokens));
    }
    p.ids = std::move(r.ids);
    return p;
}

Result<std::vector<float>> ChatSession::nextTokenLogits(const std::vector<ChatMessage>& messages) {
    if (messages.empty() || messages.back().role != ChatMessage::User)
        return errorf("chat: the messages must end with a user message");
    FACET_ASSIGN(PreparedPrompt prompt, prepare(messages, false, true));
    return generator_->nextLogits(prompt.ids, 512, prompt.injected());
}

Result<ChatReply> ChatSession::reply(const std::vector<ChatMessage>& history, const ChatSettings& settings,
                                     const std::atomic<bool>* cancel,
                                     const std::function<void(const ChatOutput&)>& onDelta) {
    if (history.empty() || history.back().role != ChatMessage::User)
        return errorf("chat: the conversation must end with a user message");
    const int ctx = contextSize();
    // Room to answer: the token budget, but never more than half the context.
    const int reserve = std::clamp(settings.maxTokens, 1, std::max(1, ctx / 2));
    std::vector<ChatMessage> msgs = history;
    for (ChatMessage& m : msgs) {
        if (m.role != ChatMessage::Model || !m.answerIds.empty()) continue;
        for (const auto& [text, ids] : recentAnswers_)
            if (text == m.text) m.answerIds = ids;
    }
    const size_t keepFirst = msgs.front().role == ChatMessage::System ? 1 : 0;
    ChatReply out;
    // Pictures count with their soft tokens (sized, not yet encoded).
    const ImageTokenCount counter = images_ ? images_->counter(settings.imageTokens) : nullptr;
    RenderedPrompt rendered;
    while (true) {
        FACET_ASSIGN(rendered, format_->render(msgs, settings.thinking, true, counter));
        if (static_cast<int>(rendered.ids.size()) + reserve <= ctx) break;
        if (msgs.size() <= keepFirst + 1)
            return errorf("chat: the message needs %zu tokens with the system prompt; the context holds %d",
                          rendered.ids.size() + reserve, ctx);
        // Drop the oldest turn: a user message and the answers after it.
        size_t end = keepFirst + 1;
        while (end < msgs.size() - 1 && msgs[end].role != ChatMessage::User) ++end;
        out.droppedMessages += static_cast<int>(end - keepFirst);
        msgs.erase(msgs.begin() + keepFirst, msgs.begin() + end);
    }
    std::vector<EncodedImage> encoded;
    if (!rendered.images.empty()) {
        FACET_ASSIGN(encoded, images_->encode(rendered, settings.imageTokens));
        out.imagesEncoded = images_->lastEncoded();
        out.encodeSeconds = images_->lastEncodeSeconds();
    }
    const std::vector<int>& prompt = rendered.ids;
    out.promptTokens = static_cast<int>(prompt.size());
    out.userTokens = static_cast<int>(tokenizer_->encode(history.back().text).size());

    ChatOutputParser parser(*tokenizer_);
    const int channelClose = format_->controlIds().channelClose;
    std::vector<int> ids;
    size_t answerStart = 0;
    GenerateOptions opt;
    opt.maxTokens = std::min(settings.maxTokens, ctx - out.promptTokens);
    opt.sampling = settings.sampling;
    opt.stopIds = parser.stopIds();
    opt.cancel = cancel;
    for (const EncodedImage& e : encoded) opt.images.push_back(e.rows);
    FACET_ASSIGN(out.stats, generator_->generate(prompt, opt, [&](int id) {
        ids.push_back(id);
        if (id == channelClose) answerStart = ids.size();
        const ChatOutput d = parser.feed(id);
        if (onDelta && (!d.thinking.empty() || !d.answer.empty())) onDelta(d);
        return true;
    }));
    const ChatOutput rest = parser.finish();
    if (onDelta && (!rest.thinking.empty() || !rest.answer.empty())) onDelta(rest);
    out.text = parser.total();
    out.answerIds.assign(ids.begin() + static_cast<std::ptrdiff_t>(answerStart), ids.end());
    // Only an answer that the template would render back unchanged may be
    // replaced by its ids (it trims; thinking is kept apart already).
    if (stripThinking(out.text.answer) == out.text.answer && !out.answerIds.empty()) {
        recentAnswers_.emplace_back(out.text.answer, out.answerIds);
        if (recentAnswers_.size() > 16) recentAnswers_.erase(recentAnswers_.begin());
    } else {
        out.answerIds.clear();
    }
    return out;
}

}  // namespace facet
