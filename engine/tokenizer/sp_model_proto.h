// A SentencePiece ModelProto written directly in protobuf wire format:
// Debian's libsentencepiece-dev ships no sentencepiece_model.pb.h, and the
// Gemma 4 repos ship no tokenizer.model, so Facet builds one (spec §4).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "tokenizer/vocab.h"

namespace facet {

struct SpModelPiece {
    std::string_view piece;  // points into storage that outlives serialization
    float score = 0.0f;
    PieceType type = PieceType::Normal;
};

struct SpModelIds {
    int unk = 3;
    int bos = 2;
    int eos = 1;
    int pad = 0;
};

// BPE model, byte_fallback on, identity normalizer without dummy prefix or
// whitespace folding, spaces escaped to U+2581. Every flag is written
// explicitly because the proto defaults differ from what Gemma needs.
std::string serializeSpModelProto(const std::vector<SpModelPiece>& pieces, const SpModelIds& ids);

// Builds the Gemma 4 model from a validated Vocab:
// - score(piece) = -i for the first merge i (file order) that yields it, 0 for
//   pieces no merge makes;
// - ids with neverFromText[id] become CONTROL, so SentencePiece never emits
//   them from text (it matches USER_DEFINED pieces inside text);
// - a multi-character NORMAL piece that no merge yields becomes CONTROL too:
//   llama.cpp's BPE can never form it, while SentencePiece would;
// - when a string appears under several ids, `pieceToId` names the one text
//   maps to; the others get an unmatchable CONTROL placeholder.
// Errors name the merge whose parts or result are missing from the vocabulary.
Result<std::string> buildGemmaSpModel(const Vocab& vocab, const std::vector<bool>& neverFromText,
                                      const std::unordered_map<std::string_view, int>& pieceToId);

}  // namespace facet
