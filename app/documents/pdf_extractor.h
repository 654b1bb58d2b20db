// PDF to blocks with QtPdf (PDFium inside; LGPL/Apache, unlike GPL poppler):
// one block per page with its 1-based physical page and printed page label.
// Needs a QGuiApplication. Errors: "encrypted:", "corrupt:", "no text layer:", "timeout:".
#pragma once

#include <QString>

#include "core/result.h"
#include "doc_block.h"
#include "extract_limits.h"

namespace facet::docs {

Result<DocBlocks> pdfBlocks(const QString& path, const Deadline& deadline);

}  // namespace facet::docs
