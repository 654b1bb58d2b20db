// UTF-8 helpers and StreamingDecoder: turns generated token ids into text one
// id at a time, emitting only complete UTF-8 characters. Byte-fallback pieces
// (<0xXX>) split one character over several tokens, so their bytes wait here
// until the character is complete.
#pragma once

#include <string>
#include <string_view>

namespace facet {

class Tokenizer;

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

bool isValidUtf8(std::string_view text);

// Appends the valid UTF-8 of `in` to `out`; each maximal invalid subsequence
// becomes one U+FFFD (the Unicode "substitution of maximal subparts" rule).
// When `final` is false an incomplete but still valid sequence at the end is
// left unconsumed. Returns the number of bytes of `in` consumed.
size_t appendSanitizedUtf8(std::string_view in, std::string& out, bool final);

// Whole-string form of the above (final = true).
std::string sanitizeUtf8(std::string_view in);

class StreamingDecoder {
public:
    // `tokenizer` must outlive the decoder. Control tokens are dropped unless
    // renderSpecial is set, as in Tokenizer::decode.
    explicit StreamingDecoder(const Tokenizer& tokenizer, bool renderSpecial = false);

    // Text that became complete with this token (possibly empty).
    std::string push(int id);
    // Flushes what is left; an incomplete trailing sequence becomes U+FFFD.
    std::string finish();
    // Bytes waiting for the rest of a character.
    size_t pendingBytes() const { return pending_.size(); }

private:
    const Tokenizer* tokenizer_;  // a pointer keeps the decoder assignable
    bool renderSpecial_;
    std::string pending_;
};

}  // namespace facet
