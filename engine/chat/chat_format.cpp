#include "chat/chat_format.h"

#include <algorithm>
#include <cstdint>

#include "chat/tool_syntax.h"
#include "tokenizer/tokenizer.h"

namespace facet {

namespace {

constexpr std::string_view kChannelOpen = "<|channel>";
constexpr std::string_view kChannelClose = "<channel|>";
constexpr size_t kNpos = std::string_view::npos;

// Code points Python's str.isspace() accepts.
bool isPyWhitespace(uint32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

// Decodes the code point of a UTF-8 sequence of `len` bytes at `at`.
uint32_t codePoint(std::string_view s, size_t at, size_t len) {
    const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(s[at + k])); };
    switch (len) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    }
}

size_t seqLen(uint8_t lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

}  // namespace

std::string_view trimLikeJinja(std::string_view s) {
    size_t begin = 0, end = s.size();
    while (begin < end) {
        const size_t len = std::min(seqLen(static_cast<uint8_t>(s[begin])), end - begin);
        if (!isPyWhitespace(codePoint(s, begin, len))) break;
        begin += len;
    }
    while (end > begin) {
        size_t start = end - 1;  // back up over continuation bytes to the lead byte
        while (start > begin && (static_cast<uint8_t>(s[start]) & 0xC0) == 0x80 && end - start < 4) --start;
        if (!isPyWhitespace(codePoint(s, start, end - start))) break;
        end = start;
    }
    return s.substr(begin, end - begin);
}

std::string stripThinking(std::string_view text) {
    std::string result;
    size_t at = 0;
    while (true) {  // text.split('<channel|>'), keeping what precedes any '<|channel>'
        const size_t close = text.find(kChannelClose, at);
        const std::string_view part = text.substr(at, close == kNpos ? kNpos : close - at);
        result.append(part.substr(0, part.find(kChannelOpen)));
        if (close == kNpos) break;
        at = close + kChannelClose.size();
    }
    return std::string(trimLikeJinja(result));
}

// ------------------------------------------------------------ ChatFormat

ChatFormat::ChatFormat(const Tokenizer& tok, Options options) : tokenizer_(&tok), options_(options) {
    ids_.bos = tok.bosId();
    // The turn markers are always needed; the others when a prompt uses them (render() says so).
    const std::pair<std::string_view, int*> wanted[] = {{"<|turn>", &ids_.turnOpen}, {"<turn|>", &ids_.turnClose}};
    for (const auto& [piece, id] : wanted) {
        const auto found = tok.idOf(piece);
        if (found) {
            *id = *found;
        } else if (status_.ok()) {
            status_ = errorf("the vocabulary has no '%.*s' token, which the Gemma 4 chat format needs",
                             static_cast<int>(piece.size()), piece.data());
        }
    }
    ids_.think = tok.idOf("<|think|>").value_or(-1);
    ids_.channelOpen = tok.idOf(kChannelOpen).value_or(-1);
    ids_.channelClose = tok.idOf(kChannelClose).value_or(-1);
    for (int i = 0; i < protocol::kMarkerCount; ++i) ids_.markers[i] = tok.idOf(protocol::kMarkerPieces[i]).value_or(-1);
    ids_.imageOpen = tok.idOf("<|image>").value_or(-1);
    ids_.imageSlot = tok.idOf("<|image|>").value_or(-1);
    ids_.imageClose = tok.idOf("<image|>").value_or(-1);
}

std::vector<int> ChatFormat::stopIds(const Tokenizer& tok) {
    std::vector<int> ids{tok.eosId()};
    for (std::string_view piece : {"<turn|>", "<|tool_response>"})
        if (const auto id = tok.idOf(piece)) ids.push_back(*id);
    return ids;
}

void ChatFormat::appendText(std::vector<int>& out, std::string_view text) const {
    const std::vector<int> ids = tokenizer_->encode(text);
    out.insert(out.end(), ids.begin(), ids.end());
}

Status ChatFormat::appendProtocol(std::vector<int>& out, std::string_view text) const {
    size_t at = 0;
    while (at < text.size()) {
        size_t next = at;
        while (next < text.size() && (text[next] < 1 || text[next] > protocol::kMarkerCount)) ++next;
        if (next > at) appendText(out, text.substr(at, next - at));
        if (next == text.size()) break;
        const int marker = text[next] - 1;
        if (ids_.markers[marker] < 0)
            return errorf("the vocabulary has no '%s' token, which Gemma 4 tool use needs", protocol::kMarkerPieces[marker]);
        out.push_back(ids_.markers[marker]);
        at = next + 1;
    }
    return {};
}

Result<std::vector<int>> ChatFormat::render(const std::vector<ChatMessage>& messages, bool enableThinking,
                                            bool addGenerationPrompt) const {
    FACET_ASSIGN(RenderedPrompt r, render(messages, enableThinking, addGenerationPrompt, nullptr));
    return std::move(r.ids);
}

Result<RenderedPrompt> ChatFormat::render(const std::vector<ChatMessage>& messages, bool enableThinking,
                                          bool addGenerationPrompt, const ImageTokenCount& imageTokens) const {
    if (!status_.ok()) return status_.error();
    auto need = [](int id, const char* piece, const char* what) -> Status {
        if (id >= 0) return {};
        return errorf("the vocabulary has no '%s' token, which %s needs", piece, what);
    };
    if (enableThinking) FACET_TRY(need(ids_.think, "<|think|>", "thinking"));
    const bool thoughtChannel = (!enableThinking && options_.largeModelTemplate && addGenerationPrompt) ||
                                std::any_of(messages.begin(), messages.end(), [](const ChatMessage& m) {
                                    return !m.toolCalls.empty() && !m.thinking.empty();
                                });
    if (thoughtChannel) {
        FACET_TRY(need(ids_.channelOpen, "<|channel>", "the Gemma 4 chat format"));
        FACET_TRY(need(ids_.channelClose, "<channel|>", "the Gemma 4 chat format"));
    }
    RenderedPrompt rendered;
    std::vector<int>& out = rendered.ids;
    out.push_back(ids_.bos);
    const bool leadingSystem = !messages.empty() && messages.front().role == ChatMessage::System;
    if (enableThinking || leadingSystem) {
        out.push_back(ids_.turnOpen);
        appendText(out, "system\n");
        if (enableThinking) {
            out.push_back(ids_.think);
            appendText(out, "\n");
        }
        if (leadingSystem) {
            appendText(out, trimLikeJinja(messages.front().text));
            FACET_TRY(appendProtocol(out, messages.front().toolDeclarations));
        }
        out.push_back(ids_.turnClose);
        appendText(out, "\n");
    }

    const size_t first = leadingSystem ? 1 : 0;
    size_t lastUser = first;  // the template shows thinking only after the last user message
    for (size_t i = first; i < messages.size(); ++i)
        if (messages[i].role == ChatMessage::User) lastUser = i;
    enum class Last { Text, ToolCall, ToolResponse } last = Last::Text;
    for (size_t i = first; i < messages.size(); ++i) {
        const ChatMessage& m = messages[i];
        const bool model = m.role == ChatMessage::Model;
        last = Last::Text;
        // The template continues the same model turn for consecutive model messages.
        const bool continuesModelTurn = model && i > first && messages[i - 1].role == ChatMessage::Model;
        if (!continuesModelTurn) {
            out.push_back(ids_.turnOpen);
            const char* role = m.role == ChatMessage::System ? "system\n"
                               : m.role == ChatMessage::User ? "user\n"
                                                             : "model\n";
            appendText(out, role);
        }
        for (const auto& image : m.images) {
            if (!imageTokens) return errorf("this model has no vision projector: it cannot read images");
            if (ids_.imageOpen < 0 || ids_.imageSlot < 0 || ids_.imageClose < 0)
                return errorf("the vocabulary has no <|image>, <|image|> and <image|> tokens, which image input needs");
            FACET_ASSIGN(const int n, imageTokens(*image));
            out.push_back(ids_.imageOpen);
            rendered.images.push_back({static_cast<int>(out.size()), static_cast<int>(out.size()) + n, image.get()});
            out.insert(out.end(), static_cast<size_t>(n), ids_.imageSlot);
            out.push_back(ids_.imageClose);
        }
        if (model && !m.toolCalls.empty()) {
            if (!m.thinking.empty() && i > lastUser) {
                out.push_back(ids_.channelOpen);
                appendText(out, "thought\n" + m.thinking + "\n");
                out.push_back(ids_.channelClose);
            }
            FACET_TRY(appendProtocol(out, m.toolCalls));
            last = Last::ToolCall;
        }
        if (model && !m.toolResponses.empty()) {
            FACET_TRY(appendProtocol(out, m.toolResponses));
            last = Last::ToolResponse;
        }
        if (model && !m.answerIds.empty()) out.insert(out.end(), m.answerIds.begin(), m.answerIds.end());
        else if (model) appendText(out, stripThinking(m.text));
        else appendText(out, trimLikeJinja(m.text));
        if (last == Last::ToolCall) {
            FACET_TRY(appendProtocol(out, std::string(1, protocol::kResponseOpen)));  // the call awaits its response
        } else if (!(last == Last::ToolResponse && m.text.empty())) {
            out.push_back(ids_.turnClose);
            appendText(out, "\n");
        }
    }

    // After a tool call or response the model goes on in the same turn.
    if (addGenerationPrompt && last == Last::Text) {
        out.push_back(ids_.turnOpen);
        appendText(out, "model\n");
        if (!enableThinking && options_.largeModelTemplate) {
            out.push_back(ids_.channelOpen);
            appendText(out, "thought\n");
            out.push_back(ids_.channelClose);
        }
    }
    return rendered;
}

// ------------------------------------------------------- ChatOutputParser

ChatOutputParser::ChatOutputParser(const Tokenizer& tok)
    : decoder_(tok),
      tokenizer_(&tok),
      channelOpen_(tok.idOf(kChannelOpen).value_or(-1)),
      channelClose_(tok.idOf(kChannelClose).value_or(-1)),
      callOpen_(tok.idOf(protocol::kMarkerPieces[protocol::kCallOpen - 1]).value_or(-1)),
      callClose_(tok.idOf(protocol::kMarkerPieces[protocol::kCallClose - 1]).value_or(-1)),
      quote_(tok.idOf(protocol::kMarkerPieces[protocol::kQuote - 1]).value_or(-1)),
      stopIds_(ChatFormat::stopIds(tok)) {}

bool ChatOutputParser::isStop(int id) const {
    return std::find(stopIds_.begin(), stopIds_.end(), id) != stopIds_.end();
}

void ChatOutputParser::route(const std::string& text, ChatOutput& delta) {
    if (text.empty()) return;
    if (state_ == State::ChannelHeader) {
        header_ += text;
        const size_t nl = header_.find('\n');
        if (nl == std::string::npos) return;
        const std::string rest = header_.substr(nl + 1);
        header_.clear();
        state_ = State::Thinking;
        route(rest, delta);
        return;
    }
    if (state_ == State::ToolCall) {
        // Protocol bytes come from marker ids only (feed), never from text.
        const std::string clean = sanitizeProtocolText(text);
        delta.toolCalls += clean;
        total_.toolCalls += clean;
        return;
    }
    const bool thinking = state_ == State::Thinking;
    (thinking ? delta.thinking : delta.answer) += text;
    (thinking ? total_.thinking : total_.answer) += text;
}

ChatOutput ChatOutputParser::feed(int id) {
    ChatOutput delta;
    if (stopped_) return delta;
    if (isStop(id) || (id >= 0 && (id == channelOpen_ || id == channelClose_))) {
        route(decoder_.finish(), delta);  // a marker ends any pending character
        if (isStop(id)) stopped_ = true;
        else state_ = id == channelOpen_ ? State::ChannelHeader : State::Answer;
        header_.clear();
        return delta;
    }
    // A tool call (outside thinking): its markers become protocol bytes.
    if (id >= 0 && (id == callOpen_ || (state_ == State::ToolCall && (id == callClose_ || id == quote_)))) {
        route(decoder_.finish(), delta);
        if (id == callOpen_ && inThinking()) return delta;  // a call inside thinking is just thought
        const char byte = id == callOpen_ ? protocol::kCallOpen : id == callClose_ ? protocol::kCallClose : protocol::kQuote;
        if (id == callOpen_) state_ = State::ToolCall;
        delta.toolCalls += byte;  // the only way a protocol byte gets in
        total_.toolCalls += byte;
        if (id == callClose_) state_ = State::Answer;
        return delta;
    }
    if (tokenizer_->isControl(id)) return delta;  // other markers are not prose
    route(decoder_.push(id), delta);
    return delta;
}

ChatOutput ChatOutputParser::finish() {
    ChatOutput delta;
    route(decoder_.finish(), delta);
    return delta;
}

ChatOutput ChatOutputParser::splitText(std::string_view text) {
    ChatOutput out;
    size_t at = 0;
    while (at < text.size()) {
        const size_t open = text.find(kChannelOpen, at);
        out.answer.append(text.substr(at, open == kNpos ? kNpos : open - at));
        if (open == kNpos) break;
        const size_t nameEnd = text.find('\n', open);  // "thought" runs to the first newline
        const size_t close = text.find(kChannelClose, open);
        const size_t end = close == kNpos ? text.size() : close;
        const size_t body = nameEnd == kNpos || nameEnd >= end ? end : nameEnd + 1;
        out.thinking.append(text.substr(body, end - body));
        if (close == kNpos) break;
        at = close + kChannelClose.size();
    }
    return out;
}

}  // namespace facet
