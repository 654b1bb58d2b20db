// Blocks to chunks for the index: structure-aware (a heading starts a chunk, a
// chunk never spans two PDF pages), about `targetTokens` Gemma tokens each,
// with ~15 % of the previous chunk repeated at the start of the next when a
// section is split by size (documents-qa.md §6.2).
#pragma once

#include <QString>

#include <functional>
#include <vector>

#include "doc_block.h"

namespace facet::docs {

// Counts tokens of a piece of text: the Gemma tokenizer when a model is
// given, else estimateTokens.
using TokenCounter = std::function<int(const QString&)>;

// Without a tokenizer: 4 characters per token, rounded up. Gemma measures
// 3.9 chars/token on English prose (documents-qa.md §4.2), so this errs on
// the side of slightly smaller chunks.
int estimateTokens(const QString& text);

struct ChunkOptions {
    int targetTokens = 300;
    int overlapTokens = 45;  // 15 % of the target
};

struct Chunk {
    QString text;
    int page = 0;        // 1-based physical page, 0 = none
    QString pageLabel;
    QString section;     // heading path joined with " > "
    int tokens = 0;
};

std::vector<Chunk> chunkBlocks(const DocBlocks& blocks, const ChunkOptions& options, const TokenCounter& count);

}  // namespace facet::docs
