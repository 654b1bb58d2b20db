// ChatSession: one loaded model ready to chat — model, tokenizer, backend,
// generator and the Gemma 4 chat format. reply() renders a conversation,
// fits it into the context (dropping the oldest turns, never a leading
// system message), streams thinking and answer text, and reuses the KV cache
// for the prefix the backend already holds (a follow-up prefills only its
// new tokens). Not thread-safe: the app's engine thread owns one.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "chat/chat_format.h"
#include "core/result.h"
#include "model/model.h"
#include "runtime/backend_factory.h"
#include "runtime/generator.h"
#include "runtime/image_encoder.h"
#include "tokenizer/tokenizer.h"

namespace facet {

struct ChatSettings {
    SamplerParams sampling;
    int maxTokens = 1024;
    bool thinking = false;
    int imageTokens = kImageTokensDefault;  // soft-token budget per picture ("more detail": kImageTokensDetailed)
};

// A rendered prompt with its pictures' soft tokens ready (ChatSession::prepare).
struct PreparedPrompt {
    std::vector<int> ids;
    std::vector<EncodedImage> images;
    std::vector<InjectedRows> injected() const;
};

struct ChatReply {
    ChatOutput text;            // the whole thinking and answer
    std::vector<int> answerIds; // the answer's ids (ChatMessage::answerIds for the next turn)
    GenerateStats stats;
    int droppedMessages = 0;    // oldest messages left out to fit the context
    int promptTokens = 0;       // the whole rendered prompt
    int userTokens = 0;         // the user's last message alone
    int imagesEncoded = 0;      // pictures that went through the vision tower now (not cached)
    double encodeSeconds = 0;   // their time, part of the time to first token
};

class ChatSession {
public:
    // `projector`: a Gemma 4 vision projector (mmproj) for image input, or "".
    static Result<std::unique_ptr<ChatSession>> open(const std::string& path, const BackendChoice& choice,
                                                     const std::string& projector = "");
    ~ChatSession();

    const Model& model() const { return *model_; }
    const Tokenizer& tokenizer() const { return *tokenizer_; }
    // The parts another caller (the app's API server) runs its own jobs on,
    // one at a time with reply(): the generator rewinds to the prefix a job
    // shares with its cache, so interleaved callers never corrupt each other.
    const ChatFormat& format() const { return *format_; }
    Generator& generator() { return *generator_; }
    int contextSize() const { return backend_->maxContext(); }
    int cachedTokens() const { return static_cast<int>(generator_->cached().size()); }
    const char* backendName() const { return backend_->backendName(); }
    // The backend computes on the CPU: the CPU reference, or a Vulkan device
    // that is a CPU implementation (lavapipe). Optional extra passes (the
    // app's passage rerank) are off there by default.
    bool onCpuDevice() const { return onCpuDevice_; }
    // Image input: a projector was opened with the model.
    bool seesImages() const { return images_ != nullptr; }
    ImageEncoder* images() { return images_.get(); }
    const ImageEncoder* images() const { return images_.get(); }
    // Renders `messages` and encodes their pictures (or takes them from the
    // cache): the prompt reply() runs, for callers with their own generate
    // loop (the API server). Pictures without a projector are an error.
    Result<PreparedPrompt> prepare(const std::vector<ChatMessage>& messages, bool thinking, bool addGenerationPrompt,
                                   int imageTokens = kImageTokensDefault);
    // The GPU was lost (driver reset): this session cannot run again.
    bool lost() const { return backend_->lost(); }
    // "NVIDIA H200", "llvmpipe (...)" or "CPU reference".
    const std::string& deviceName() const { return deviceName_; }

    // `history` ends with the user's message. onDelta receives text as it
    // completes (UTF-8 whole characters); cancel stops within one token.
    Result<ChatReply> reply(const std::vector<ChatMessage>& history, const ChatSettings& settings,
                            const std::atomic<bool>* cancel, const std::function<void(const ChatOutput&)>& onDelta);

    // The logits of the first token the model would answer `messages` with
    // (rendered with the generation prompt, thinking off), one per vocabulary
    // entry; nothing is sampled. It runs through the same KV cache as
    // reply(): the cache then holds this prompt, and the next reply() reuses
    // the prefix they share and prefills the rest (correct, but a conversation
    // cached before is prefilled again unless `messages` starts with it).
    Result<std::vector<float>> nextTokenLogits(const std::vector<ChatMessage>& messages);

    // Tokens `history` takes as a prompt (for the context meter).
    Result<int> promptTokens(const std::vector<ChatMessage>& history, bool thinking,
                             int imageTokens = kImageTokensDefault) const;

private:
    ChatSession() = default;
    std::unique_ptr<Model> model_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::unique_ptr<ForwardPass> backend_;
    std::unique_ptr<Generator> generator_;
    std::unique_ptr<ChatFormat> format_;
    std::unique_ptr<ImageEncoder> images_;
    std::string deviceName_;
    bool onCpuDevice_ = true;
    // Recent answers' ids by their text: a history that repeats one gets its
    // exact ids back (the UI keeps text only).
    std::vector<std::pair<std::string, std::vector<int>>> recentAnswers_;
};

}  // namespace facet
