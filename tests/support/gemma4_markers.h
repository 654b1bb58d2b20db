// The npm tokenizer.json is Gemma 3's vocabulary: it has the same pieces and
// merges as Gemma 4 but not Gemma 4's chat markers. Tests that need the
// markers place them on the ids spec §4 gives (<|turn>=105, <turn|>=106,
// <|channel>=100, <channel|>=101, <|tool_response>=50) and on free slots for
// the ids the spec leaves open, typed as the Gemma 4 GGUF types them.
#pragma once

#include <memory>

#include "core/result.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

namespace facet::test {

struct Marker {
    const char* piece;
    int id;
    PieceType type;
};

extern const Marker kGemma4Markers[12];

// `v` with every marker written onto its id.
Vocab withGemma4Markers(Vocab v);

// The real Gemma vocabulary (the fixture's tokenizer.json) with the markers:
// what a Gemma 4 GGUF's tokenizer gives. An error names the missing file.
Result<std::unique_ptr<Tokenizer>> gemma4Tokenizer();

}  // namespace facet::test
