// Search hits to the passages an answer cites: neighbouring chunks of one
// document, section and page become one passage (documents-qa.md §6.3.6),
// ranked by their best chunk, and each passage gets a one-line source
// ("[1] /abs/file.pdf, page 12 (label xii), section "Intro > Setup"").
#pragma once

#include <QString>

#include <vector>

#include "doc_index.h"

namespace facet::docs {

struct AnswerPassage {
    QString path;
    int page = 0;  // 0 = none
    QString pageLabel;
    QString section;
    QString text;
    int firstOrdinal = -1;
    int lastOrdinal = -1;
    double score = 0;  // the best merged chunk's
};

// `hits` best first; the passages come back best first. Chunks merge only
// when their ordinals are consecutive; the overlap the chunker repeats at
// the start of the next chunk is kept once.
std::vector<AnswerPassage> mergeNeighbours(const std::vector<SearchHit>& hits);

// "[n] path[, page P[ (label L)]][, section "S"]": the label only when it
// differs from the page number.
QString sourceLine(int number, const AnswerPassage& passage);

}  // namespace facet::docs
