// Generator: prompt → streamed tokens over any ForwardPass backend.
// Reuses the KV cache across calls: a prompt that extends what the backend
// already processed only prefills its new tokens (chat follow-ups).
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "core/result.h"
#include "runtime/forward_pass.h"
#include "sampling/sampler.h"

namespace facet {

enum class StopReason { StopToken, MaxTokens, Cancelled, ContextFull };
const char* stopReasonName(StopReason r);

struct GenerateOptions {
    int maxTokens = 256;
    SamplerParams sampling;
    std::vector<int> stopIds;                      // e.g. <eos>, <turn|>, <|tool_response>
    const std::atomic<bool>* cancel = nullptr;     // checked before every token
    TokenFilter* filter = nullptr;                 // constrains every sampled token (stop ids too)
    int prefillChunk = 512;                        // tokens per forward call while prefilling
    // Images in the prompt: soft-token rows over placeholder ids, in order.
    // A chunk never splits a bidirectional one. An image stays cached while
    // a later prompt holds it at the same place with the same key.
    std::vector<InjectedRows> images;
};

struct GenerateStats {
    int promptTokens = 0;
    int reusedTokens = 0;     // prompt tokens already in the cache
    int generated = 0;        // tokens emitted (stop token excluded)
    double prefillSeconds = 0, decodeSeconds = 0;
    StopReason reason = StopReason::MaxTokens;
    int stopToken = -1;
};

class Generator {
public:
    explicit Generator(ForwardPass& backend) : backend_(backend) {}

    // onToken(id) is called for each generated token that is not a stop token;
    // returning false stops generation (like cancel).
    Result<GenerateStats> generate(const std::vector<int>& prompt, const GenerateOptions& opts,
                                   const std::function<bool(int)>& onToken);

    // Prefills `prompt` (reusing the cached prefix, as generate() does) and
    // returns the logits of the token after it, sampling nothing: a
    // judgement read off the next token (the app's passage reranker). The
    // cache then holds `prompt`; the next generate() rewinds to what they share.
    Result<std::vector<float>> nextLogits(const std::vector<int>& prompt, int prefillChunk = 512,
                                          const std::vector<InjectedRows>& images = {});

    // Tokens whose K/V the backend holds, in order.
    const std::vector<int>& cached() const { return cached_; }
    void reset();

private:
    Status prefill(const std::vector<int>& prompt, const GenerateOptions& opts, std::vector<float>& logits,
                   GenerateStats& st);

    // How many tokens of `prompt` (with `images`) the cache can keep.
    size_t reusablePrefix(const std::vector<int>& prompt, const std::vector<InjectedRows>& images) const;

    ForwardPass& backend_;
    std::vector<int> cached_;
    std::vector<InjectedRows> cachedImages_;  // spans and keys (rows not kept)
};

}  // namespace facet
