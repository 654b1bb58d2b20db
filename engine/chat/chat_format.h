// Gemma 4 chat prompt (spec §5, tests/data/templates/*.jinja) built directly
// as token ids, and the parser for what the model generates back.
//
// Template tokens (<bos>, <|turn>, <turn|>, <|think|>, <|channel>, <channel|>)
// go in by id; role names and message text are encoded as plain text, so a
// message containing "<turn|>" stays text and cannot end its turn.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat_image.h"
#include "core/result.h"
#include "tokenizer/utf8_stream.h"

namespace facet {

class Tokenizer;

struct ChatMessage {
    enum Role { System, User, Model };
    Role role = User;
    std::string text;
    // The model's thought for this turn, kept for display only: the templates
    // drop earlier thinking from the prompt, so render() never sends it.
    std::string thinking;
    // Model messages: the ids the model generated for its answer (after any
    // thought channel), when known. render() then uses them instead of
    // encoding `text`, so the prompt repeats exactly what the KV cache holds
    // and a follow-up prefills only its new tokens. Callers set it only when
    // stripThinking(text) would give the same text back.
    std::vector<int> answerIds;
    // Tool use, in protocol text (chat/tool_syntax.h): a leading System
    // message's declarations; a Model message's calls and the responses the
    // host gave them (rendered in the same model turn, as the template does).
    std::string toolDeclarations;
    std::string toolCalls;
    std::string toolResponses;
    // Pictures, rendered before the text as the app composes a message (each
    // <|image> + its soft-token placeholders + <image|>, inserted by id).
    std::vector<std::shared_ptr<const ChatImage>> images;
};

// Where an image's soft tokens go in a rendered prompt: [begin, end).
struct ImageSpan {
    int begin = 0, end = 0;
    const ChatImage* image = nullptr;
};

struct RenderedPrompt {
    std::vector<int> ids;            // image positions hold the placeholder id
    std::vector<ImageSpan> images;   // in prompt order
};

// The soft tokens a picture takes (the vision plan at the session's budget).
using ImageTokenCount = std::function<Result<int>(const ChatImage&)>;

// Python's str.strip() (what Jinja's `trim` does): Unicode whitespace.
std::string_view trimLikeJinja(std::string_view text);
// The templates' strip_thinking macro: drops every <|channel>...<channel|>
// span (and an unterminated trailing one), then trims.
std::string stripThinking(std::string_view text);

class ChatFormat {
public:
    struct Options {
        // 26B-A4B / 31B templates: with thinking off, the generation prompt ends
        // with an empty thought channel. The E2B/E4B templates do not add it.
        bool largeModelTemplate = false;
    };
    struct ControlIds {
        int bos = -1, turnOpen = -1, turnClose = -1, think = -1, channelOpen = -1, channelClose = -1;
        int markers[7] = {-1, -1, -1, -1, -1, -1, -1};  // protocol bytes 1..7 (tool_syntax.h); -1: not in the vocabulary
        int imageOpen = -1, imageSlot = -1, imageClose = -1;  // <|image>, <|image|>, <image|>; -1: absent
    };

    // Looks the template tokens up by string; when one is missing, status()
    // and every render() return an Error naming it. `tokenizer` must outlive
    // the ChatFormat.
    ChatFormat(const Tokenizer& tokenizer, Options options);
    const Status& status() const { return status_; }

    // A system turn appears when the first message is a System message or
    // thinking is enabled; exactly one <bos> starts the prompt.
    // Messages with images fail here: see the overload below.
    Result<std::vector<int>> render(const std::vector<ChatMessage>& messages, bool enableThinking,
                                    bool addGenerationPrompt) const;
    // The same with pictures, each taking imageTokens(picture) positions;
    // without that function (a model with no projector) images are an error.
    Result<RenderedPrompt> render(const std::vector<ChatMessage>& messages, bool enableThinking,
                                  bool addGenerationPrompt, const ImageTokenCount& imageTokens) const;

    // Generation stops at <eos>, <turn|> and <|tool_response>, the ones present.
    static std::vector<int> stopIds(const Tokenizer& tokenizer);

    const ControlIds& controlIds() const { return ids_; }
    const Options& options() const { return options_; }

private:
    void appendText(std::vector<int>& out, std::string_view text) const;
    // Text with protocol bytes: each byte becomes its marker's id.
    Status appendProtocol(std::vector<int>& out, std::string_view text) const;

    const Tokenizer* tokenizer_;
    Options options_;
    ControlIds ids_;
    Status status_;
};

struct ChatOutput {
    std::string thinking;
    std::string answer;
    // Generated tool calls in protocol bytes (<|tool_call>call:NAME{...}
    // <tool_call|>, strings between <|"|>), for ToolCallStream.
    std::string toolCalls;
    bool empty() const { return thinking.empty() && answer.empty() && toolCalls.empty(); }
};

// Splits generated ids into thinking and answer: the model writes
// <|channel>thought\n ... <channel|> before its answer. Generation ends at a
// stop id: <eos>, <turn|> or <|tool_response>.
class ChatOutputParser {
public:
    // `tokenizer` must outlive the parser. Without channel markers in the
    // vocabulary everything counts as answer.
    explicit ChatOutputParser(const Tokenizer& tokenizer);

    bool isStop(int id) const;
    const std::vector<int>& stopIds() const { return stopIds_; }

    // Consumes one generated id and returns the text it completed. After a
    // stop id, further ids are ignored.
    ChatOutput feed(int id);
    // Flushes bytes still waiting for the rest of a UTF-8 character.
    ChatOutput finish();

    bool stopped() const { return stopped_; }
    bool inThinking() const { return state_ == State::ChannelHeader || state_ == State::Thinking; }
    const ChatOutput& total() const { return total_; }

    // The same split for text in which markers appear literally (for example
    // a decode with renderSpecial), following the template's regex
    // <|channel>thought\n(.*?)<channel|>.
    static ChatOutput splitText(std::string_view text);

private:
    enum class State { Answer, ChannelHeader, Thinking, ToolCall };
    void route(const std::string& text, ChatOutput& delta);

    StreamingDecoder decoder_;
    const Tokenizer* tokenizer_;
    int channelOpen_;
    int channelClose_;
    int callOpen_, callClose_, quote_;  // <|tool_call>, <tool_call|>, <|"|>
    std::vector<int> stopIds_;
    State state_ = State::Answer;
    std::string header_;  // channel name being read, up to its newline
    bool stopped_ = false;
    ChatOutput total_;
};

}  // namespace facet
