// OpenAI request bodies → typed requests. Every value is checked (400 with
// `param` set); features this server does not implement (n > 1, logprobs,
// content parts other than text and image_url, deprecated `functions`) are refused with
// unsupported_parameter, never dropped silently. Tools and response_format
// are read by openai_tools.h. Unknown fields are ignored
// and listed in `ignored` (the X-Facet-Ignored-Params header).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

#include "api_error.h"
#include "chat/chat_format.h"
#include "openai_images.h"
#include "openai_tools.h"
#include "sampling/sampler.h"

namespace facet::server {

// What chat and text completions share.
struct GenerationParams {
    QString model;
    bool stream = false;
    bool includeUsage = false;       // stream_options.include_usage
    int maxTokens = -1;              // -1: until a stop or the context is full
    std::vector<std::string> stop;   // up to 4 stop strings, never emitted
    SamplerParams sampling;          // Gemma 4 defaults unless the request sets them
    QStringList ignored;             // unknown top-level fields, in request order
};

// A picture given by http(s) address: messages[message].images[image] stays
// null until the server fetches it (or refuses to).
struct ImageUrl {
    size_t message = 0, image = 0;
    QString url;
    int maxTokens = 0;
    QString param;  // for errors
};

struct ChatRequest {
    GenerationParams params;
    std::vector<ImageUrl> imageUrls;
    std::vector<ChatMessage> messages;  // system/developer → System, assistant → Model; ends with User
    bool thinking = false;              // reasoning_effort / chat_template_kwargs.enable_thinking
    ToolUse tools;                      // tools, tool_choice, response_format
};

struct CompletionRequest {
    GenerationParams params;
    std::string prompt;  // raw text; <bos> is added, no chat template
};

struct EmbeddingRequest {
    QString model;
    std::vector<std::string> input;
    bool base64 = false;  // encoding_format "base64": little-endian float32
    int dimensions = 0;   // > 0: the first N values, renormalized (Matryoshka); 0: all
    QStringList ignored;
};

ApiResult<ChatRequest> parseChatRequest(const QByteArray& body);
ApiResult<CompletionRequest> parseCompletionRequest(const QByteArray& body);
ApiResult<EmbeddingRequest> parseEmbeddingRequest(const QByteArray& body);

}  // namespace facet::server
