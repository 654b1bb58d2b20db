// HTML and XHTML to blocks with Qt's own HTML importer (QTextDocument):
// <script> and <style> are dropped, <h1>-<h6> become headings, every other
// block element a paragraph. Needs a Q(Gui)Application.
#pragma once

#include "doc_block.h"

namespace facet::docs {

// `headings` carries the section path across EPUB chapters.
DocBlocks htmlBlocks(const QString& html, HeadingTracker& headings);
DocBlocks htmlBlocks(const QString& html);

}  // namespace facet::docs
