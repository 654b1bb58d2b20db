// Gemma 4 tool use as text (spec §5, tests/data/templates/*.jinja): the
// declarations in the system turn, the model's calls and the host's
// responses, mirroring the template's macros. The markers are written as
// single "protocol bytes" (below); ChatFormat turns them into their token
// ids, and ChatOutputParser writes a generated call back in the same bytes,
// so user text (which never contains them: sanitizeProtocolText) can never
// forge a call.
//
// ToolCallStream reads generated calls (<|tool_call>call:NAME{key:value}
// <tool_call|>, strings between <|"|>) and writes OpenAI tool calls: the
// name, then the arguments as JSON text, piece by piece as they arrive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace facet {

namespace protocol {
inline constexpr char kQuote = '\x01';              // <|"|>
inline constexpr char kCallOpen = '\x02';           // <|tool_call>
inline constexpr char kCallClose = '\x03';          // <tool_call|>
inline constexpr char kResponseOpen = '\x04';       // <|tool_response>
inline constexpr char kResponseClose = '\x05';      // <tool_response|>
inline constexpr char kDeclarationOpen = '\x06';    // <|tool>
inline constexpr char kDeclarationClose = '\x07';   // <tool|>
inline constexpr int kMarkerCount = 7;
// The vocabulary pieces of markers 1..7, in byte order.
extern const char* const kMarkerPieces[kMarkerCount];
}  // namespace protocol

// `text` without protocol bytes (for anything a user or client wrote).
std::string sanitizeProtocolText(std::string_view text);

// The template's format_argument of a JSON value given as JSON text.
// Invalid JSON is rendered as a string value.
std::string gemmaValueText(std::string_view json, bool escapeKeys);

// One <|tool>declaration:...<tool|> per tool of an OpenAI `tools` array.
Result<std::string> toolDeclarationsText(std::string_view toolsJson);
// <|tool_call>call:NAME{args}<tool_call|>; `argumentsJson` is the OpenAI
// arguments string (a JSON object). Not an object: rendered verbatim, as the
// template does with a string.
std::string toolCallText(std::string_view name, std::string_view argumentsJson);
// <|tool_response>response:NAME{value:<|"|>content<|"|>}<tool_response|>.
std::string toolResponseText(std::string_view name, std::string_view content);

struct ToolCallEvent {
    enum Kind { Begin, Arguments, End };
    Kind kind = Begin;
    int index = 0;      // 0, 1, ... in order of the calls
    std::string text;   // Begin: the function name; Arguments: JSON text to append
};

class ToolCallStream {
public:
    // Protocol bytes of generated calls (ChatOutput::toolCalls), in order.
    std::vector<ToolCallEvent> feed(std::string_view bytes);
    int calls() const { return calls_; }

private:
    enum class State { Outside, Header, Args, AfterArgs };
    enum class Sub { ExpectKey, InKey, ExpectValue, InString, InLiteral, AfterValue };
    void argsByte(char c, std::vector<ToolCallEvent>& out);
    void appendArgs(std::vector<ToolCallEvent>& out, std::string text);
    void flushLiteral(std::string& json);
    void closeCall(std::vector<ToolCallEvent>& out);

    State state_ = State::Outside;
    Sub sub_ = Sub::ExpectKey;
    std::string name_, key_, literal_;
    std::string nesting_;  // open '{' / '['
    int calls_ = 0;
};

}  // namespace facet
