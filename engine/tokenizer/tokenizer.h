// Tokenizer: Gemma 4 text <-> token ids, matching llama.cpp's "gemma4"
// tokenizer (spec §4). SentencePiece does the BPE; it stays behind the pimpl.
// A "llama" (SentencePiece-with-scores) vocabulary, as EmbeddingGemma GGUFs
// carry, encodes as llama.cpp's SPM tokenizer does (tokenizer/spm_encoder.h).
//
// encode() takes plain text only: it never yields a control token or one of
// the protocol markers (<|turn>, <|channel>, <|tool_call>, <|"|>, ...), so
// text typed by a user or pasted from a document cannot forge turns or tool
// calls. Prompt builders insert those tokens by id (see chat/chat_format.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tokenizer/vocab.h"

namespace facet {

class GgufFile;

class Tokenizer {
public:
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    static Result<std::unique_ptr<Tokenizer>> fromVocab(Vocab vocab);
    static Result<std::unique_ptr<Tokenizer>> fromTokenizerJson(const std::string& path);
    static Result<std::unique_ptr<Tokenizer>> fromGguf(const GgufFile& file);

    // Plain text to ids, without BOS.
    std::vector<int> encode(std::string_view text) const;
    // <bos> followed by encode(text).
    std::vector<int> encodeWithBos(std::string_view text) const;
    // What llama.cpp feeds the model for `text` with add_special: <bos> when
    // add_bos_token, encode(text), <eos> when add_eos_token. No task prefix.
    std::vector<int> encodeWithSpecials(std::string_view text) const;

    // Ids to text: "▁" becomes a space, <0xXX> pieces are reassembled into
    // bytes, invalid UTF-8 becomes U+FFFD. Control tokens and protocol markers
    // appear (as their piece text) only when renderSpecial is set; ids outside
    // the vocabulary are skipped.
    std::string decode(const std::vector<int>& ids, bool renderSpecial = false) const;
    // The raw bytes decode() produces for one id, before UTF-8 repair.
    void appendRawBytes(int id, bool renderSpecial, std::string& out) const;

    // The vocabulary string of an id ("" when out of range).
    const std::string& piece(int id) const;
    // The id of a vocabulary string (exact match, any type).
    std::optional<int> idOf(std::string_view piece) const;
    PieceType type(int id) const;  // Unused when out of range

    int vocabSize() const;
    int bosId() const;
    int eosId() const;
    int padId() const;
    int unkId() const;
    bool addBos() const;
    bool addEos() const;
    VocabModel model() const;

    // True for ids that text never encodes to: CONTROL, UNKNOWN and UNUSED
    // pieces and the Gemma 4 protocol markers (also USER_DEFINED in GGUF).
    bool isControl(int id) const;

private:
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    void encodeChunk(std::string_view chunk, std::vector<int>& out) const;

    std::unique_ptr<Impl> impl_;
};

}  // namespace facet
