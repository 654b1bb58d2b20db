// DOCX (word/document.xml) and ODT (content.xml) to blocks, read from the zip
// in memory. DOCX headings are paragraphs styled Title / Heading1..9 (the
// built-in style ids); ODT headings are <text:h text:outline-level="N">.
#pragma once

#include <QString>

#include "core/result.h"
#include "doc_block.h"
#include "extract_limits.h"

namespace facet::docs {

Result<DocBlocks> docxBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline);
Result<DocBlocks> odtBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline);

}  // namespace facet::docs
