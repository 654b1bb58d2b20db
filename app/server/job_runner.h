// Runs one API job on a loaded model's parts: the prompt (chat template or
// <bos> + text), generation through the Generator and its KV cache, and the
// output split into thinking and answer. SessionEngine (facet-cli serve)
// owns its parts; the app borrows the chat's, so both share one model and
// one KV cache: the Generator rewinds to the prefix a job shares with what it
// holds, so jobs run one after another never see each other's state.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "completion_engine.h"
#include "runtime/generator.h"
#include "runtime/image_encoder.h"
#include "tokenizer/tokenizer.h"

namespace facet::server {

struct JobTarget {
    const Tokenizer& tokenizer;
    const ChatFormat& format;
    Generator& generator;
    int contextSize;
    ImageEncoder* images = nullptr;  // the model's projector; null: pictures are an error
};

// The job's prompt with every picture sized (not encoded). Thread-safe as far
// as the tokenizer, format and encoder's sizing are (immutable).
Result<RenderedPrompt> jobPrompt(const Tokenizer& tokenizer, const ChatFormat& format, const EngineJob& job,
                                 const ImageEncoder* images);
// Not thread-safe: one job at a time per Generator.
Result<EngineOutcome> runJob(const JobTarget& target, const EngineJob& job, const std::atomic<bool>* cancel,
                             const std::function<bool(const ChatOutput&)>& onDelta);

}  // namespace facet::server
