// The tool and structured-output parts of a chat request: `tools`,
// `tool_choice`, `parallel_tool_calls` and `response_format`, checked and
// turned into what the engine enforces (a grammar over the output, or a
// banned tool-call marker), and the tool turns of `messages` (assistant
// tool_calls, role "tool" results) turned into Gemma 4 protocol text.
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <string>
#include <vector>

#include "api_error.h"
#include "chat/chat_format.h"
#include "grammar/grammar.h"

namespace facet::server {

struct ToolUse {
    enum class Choice { Auto, None, Required, Named };
    std::string toolsJson;  // the request's tools as compact JSON; empty: none
    Choice choice = Choice::Auto;
    QString named;          // Choice::Named
    bool parallel = true;   // parallel_tool_calls
    bool jsonOutput = false;  // response_format json_object / json_schema
    // What constrains the output: tool calls (required/named) or the
    // response format. Compiled here so a bad schema is a 400 up front.
    std::optional<grammar::Grammar> grammar;
};

// At most this many calls in one reply when parallel calls are allowed.
inline constexpr int kMaxParallelCalls = 8;

ApiResult<ToolUse> readToolUse(const QJsonObject& request);

// One message of `messages` that is an assistant turn with tool_calls, or a
// role "tool" result: appended to `out` (results go into the preceding
// assistant message that made the call). `at` names the message for errors;
// `callNames` maps the calls' ids to their function names as they are read.
std::optional<ApiError> readToolTurn(const QJsonObject& message, const QString& at, std::vector<ChatMessage>& out,
                                     QHash<QString, QString>& callNames);

// Puts the tool declarations into the system turn (adding an empty one).
void declareTools(const ToolUse& tools, std::vector<ChatMessage>& messages);

}  // namespace facet::server
