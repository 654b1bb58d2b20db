// Vocab: the tokenizer tables of a Gemma 4 model, read from a GGUF file or a
// Hugging Face tokenizer.json (spec §4), or of an EmbeddingGemma GGUF, whose
// converter writes a SentencePiece ("llama") vocabulary with scores and no
// merges. Plain data; Tokenizer builds on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet {

class GgufFile;

// Numbering shared by GGUF token_type and SentencePiece's ModelProto.
enum class PieceType : uint8_t {
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

// How text becomes pieces (GGUF tokenizer.ggml.model).
enum class VocabModel : uint8_t {
    Gemma4Bpe,  // "gemma4": BPE by merge rank (merges)
    LlamaSpm,   // "llama": llama.cpp's SentencePiece merge by piece score (scores)
};

struct Vocab {
    VocabModel model = VocabModel::Gemma4Bpe;
    std::vector<std::string> pieces;   // one per id, in id order ("▁" stands for a space)
    std::vector<PieceType> types;      // same length as pieces
    std::vector<std::string> merges;   // "A B", rank = index (Gemma4Bpe)
    std::vector<float> scores;         // one per piece (LlamaSpm), higher merges first
    int bos = 2;
    int eos = 1;
    int pad = 0;
    int unk = 3;
    bool addBos = true;
    bool addEos = false;          // tokenizer.ggml.add_eos_token (EmbeddingGemma: true)
    bool addSpacePrefix = false;  // LlamaSpm: a space before text that starts a fragment
    std::string source;  // file the tables came from, for error messages
};

// Structural checks every loader runs: sizes, ids in range, non-empty valid
// UTF-8 pieces, well-formed byte pieces (all 256 present), sane merges.
Status validateVocab(const Vocab& vocab);

// tokenizer.ggml.* keys; tokenizer.ggml.model must be "gemma4" (merges) or
// "llama" (scores).
Result<Vocab> vocabFromGguf(const GgufFile& file);

// HF tokenizers format: model.vocab, model.merges ("A B" or [A, B]),
// added_tokens (special -> Control, others -> UserDefined; ids beyond
// model.vocab are skipped).
Result<Vocab> vocabFromTokenizerJson(const std::string& path);

// True for "<0xXX>" with two upper-case hex digits; sets *value.
bool parseBytePiece(const std::string& piece, uint8_t* value);

// Splits a GGUF-style merge "A B" at the first space after the first byte
// (as llama.cpp does, so A may itself be a space); false when there is none.
bool splitMerge(const std::string& merge, std::string* left, std::string* right);

}  // namespace facet
