// A compiled output grammar: JSON values described by a JSON Schema subset,
// in one of two spellings, and Gemma 4 tool calls built from them. The
// matcher (grammar_matcher.h) runs it byte by byte; the token constraint
// (token_constraint.h) turns it into a sampler mask.
//
// Dialects:
//  - Json: RFC 8259 text as response_format asks for.
//  - GemmaCall: the argument syntax of Gemma 4's <|tool_call>: bare keys,
//    strings between <|"|> markers (byte kQuoteMarker here), no escapes.
// Whitespace between tokens is bounded (kMaxGap bytes per gap) so a model
// cannot stall inside a value; numbers have bounded digits for the same reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/tool_syntax.h"
#include "core/result.h"

namespace facet::grammar {

// Protocol markers as single bytes (chat/tool_syntax.h).
inline constexpr char kQuoteMarker = protocol::kQuote;
inline constexpr char kCallOpenMarker = protocol::kCallOpen;
inline constexpr char kCallCloseMarker = protocol::kCallClose;

enum class Dialect { Json, GemmaCall };

inline constexpr int kMaxGap = 8;         // whitespace bytes allowed between two tokens
inline constexpr int kMaxIntDigits = 15;
inline constexpr int kMaxFracDigits = 15;
inline constexpr int kMaxExpDigits = 3;
inline constexpr int kMaxDepth = 24;      // nested values on one path
inline constexpr int kMaxProperties = 64; // per object schema (a bit mask tracks them)

using NodeId = int;

struct GrammarNode {
    enum Kind { Object, Array, String, Number, Integer, Literal, Alt, Seq, Repeat };
    Kind kind = Literal;
    // Object: named properties (in schema order), which are required, and
    // what other keys may hold (-1: no other keys).
    std::vector<std::pair<std::string, NodeId>> properties;
    uint64_t requiredMask = 0;
    NodeId additional = -1;
    // Array (items, minItems, maxItems); Repeat (child repeated, no separator).
    NodeId items = -1;
    int minCount = 0, maxCount = -1;  // -1: unbounded
    // String: length in code points.
    int minLength = 0, maxLength = -1;
    // Literal: exact bytes. Alt: one of `children`. Seq: all of them in order.
    std::string text;
    std::vector<NodeId> children;
};

struct Grammar {
    Dialect dialect = Dialect::Json;
    std::vector<GrammarNode> nodes;
    NodeId root = -1;
};

// response_format json_schema: `schemaJson` is the schema's JSON text.
// Supported: type (one or a list of object, array, string, number, integer,
// boolean, null), properties, required, additionalProperties (false, true or a
// schema), items, enum, const, anyOf/oneOf, minLength/maxLength,
// minItems/maxItems, and $ref to #/$defs or #/definitions. Keywords that only
// describe (title, description, format, ...) are ignored; others that would
// constrain the value differently are refused so the client learns it.
Result<Grammar> compileJsonSchema(std::string_view schemaJson, Dialect dialect = Dialect::Json);
// response_format json_object: any JSON object.
Grammar anyJsonObject();

// Gemma 4 tool calls: one or more (up to maxCalls) calls
// <|tool_call>call:NAME{args}<tool_call|> where NAME is one of `toolsJson`
// (an OpenAI tools array) and args follow its parameters schema in the
// GemmaCall dialect. `onlyName` non-empty: that function only.
Result<Grammar> compileToolCalls(std::string_view toolsJson, std::string_view onlyName, int maxCalls);

}  // namespace facet::grammar
