// EPUB to blocks: META-INF/container.xml names the OPF package; its spine
// lists the XHTML chapters in reading order; each chapter goes through the
// HTML extractor, with the heading path carried from chapter to chapter.
#pragma once

#include <QString>

#include "core/result.h"
#include "doc_block.h"
#include "extract_limits.h"

namespace facet::docs {

Result<DocBlocks> epubBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline);

}  // namespace facet::docs
