// Which numbered section of the Debian Reference a retrieved chunk belongs
// to, the same way for every format, so one gold label ("2.5.3") judges HTML,
// PDF and text hits alike:
//  1. A chunk whose heading path (HTML) ends in a numbered heading belongs to
//     that section, one under an unnumbered heading to the section in force.
//  2. Otherwise (PDF pages, plain text: no heading path) a line of the chunk
//     that starts with a section number and that section's title (e.g.
//     "2.5.3 Archive level "Release" files", or "Chapter 2") is a heading; a
//     title must match, so a table caption or a preface item with the same
//     number is not one, nor is a contents line with dot leaders. The chunk
//     belongs to every section whose heading it holds, and also to the section
//     in force before its first heading (the last heading seen in earlier
//     chunks of the document) when text precedes that heading.
//  3. A chunk with three heading or contents lines in a row (no text or
//     blank line between them) is a table of contents: it belongs to no
//     section and leaves the section in force unchanged.
// A hit is relevant when one of its sections is the gold section or lies
// inside it ("2.5.3.1" is inside "2.5.3").
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include "core/result.h"
#include "doc_index.h"

namespace facet::docsbench {

// Section number ("2.5.3", chapters "2") → title, from the book's HTML headings.
using SectionTitles = QHash<QString, QString>;
Result<SectionTitles> readSectionTitles(const QStringList& htmlFiles);

struct ChunkSections {
    QHash<qint64, QStringList> byChunk;
    qint64 chunks = 0;
    qint64 withoutSection = 0;  // front matter, tables of contents, text before chapter 1
};
Result<ChunkSections> mapChunkSections(docs::DocIndex& index, const SectionTitles& titles);

bool isRelevant(const QStringList& sections, const QString& gold);

}  // namespace facet::docsbench
