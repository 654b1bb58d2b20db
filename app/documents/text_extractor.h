// Plain text, source files and Markdown to blocks. Paragraphs are separated by
// blank lines; Markdown's ATX headings (# .. ######) open sections, and fenced
// code stays one block so a heading-like line inside it is not a heading.
#pragma once

#include "doc_block.h"

namespace facet::docs {

DocBlocks plainTextBlocks(const QString& text);
DocBlocks markdownBlocks(const QString& text);

}  // namespace facet::docs
