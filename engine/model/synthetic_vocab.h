// A small but real BPE vocabulary for test models: the specials and chat
// markers at Gemma 4's ids where they fit, 256 byte pieces, the characters of
// a short English corpus, and merges learned from that corpus until the
// requested size is reached. Deterministic for a size.
#pragma once

#include "tokenizer/vocab.h"

namespace facet {

// `size` must be at least 512 (room for specials, markers and bytes).
Result<Vocab> makeSyntheticVocab(int size);

}  // namespace facet
