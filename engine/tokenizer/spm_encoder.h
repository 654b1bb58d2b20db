// SpmEncoder: text to ids exactly as llama.cpp's SentencePiece tokenizer
// (LLAMA_VOCAB_TYPE_SPM, GGUF tokenizer.ggml.model = "llama") does it, for the
// EmbeddingGemma GGUFs. Written from the algorithm, not from a library:
//  1. the text is split at USER_DEFINED pieces (longest piece first, each
//     piece's occurrences left to right), which become their own ids;
//  2. each remaining fragment gets a leading space when add_space_prefix is
//     set and it starts the text or follows such a piece; spaces become U+2581;
//  3. the fragment starts as one symbol per UTF-8 character; repeatedly the
//     adjacent pair whose concatenation is a vocabulary string with the highest
//     score merges (ties: the leftmost pair);
//  4. each final symbol is its id; a character that is no piece is spelled
//     with <0xXX> byte pieces.
// Control pieces (and Gemma protocol markers) never come from text: they are
// not matched in step 1 nor formed in step 3 (llama.cpp would merge into any
// piece; no real text reaches one, and Facet never lets text forge them).
#pragma once

#include <array>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/vocab.h"

namespace facet {

class SpmEncoder {
public:
    // `vocab`, `pieceToId` and `neverFromText` must outlive the encoder;
    // `neverFromText[id]` pieces are never matched (step 1) nor merged into.
    SpmEncoder(const Vocab& vocab, const std::unordered_map<std::string_view, int>& pieceToId,
               const std::vector<bool>& neverFromText);

    void encode(std::string_view text, std::vector<int>& out) const;

private:
    void encodeFragment(std::string_view escaped, std::vector<int>& out) const;

    const Vocab& vocab_;
    const std::unordered_map<std::string_view, int>& pieceToId_;
    const std::vector<bool>& neverFromText_;
    std::vector<int> wholePieces_;  // USER_DEFINED ids matched in text, longest first
    std::array<int, 256> byteIds_{};
};

}  // namespace facet
