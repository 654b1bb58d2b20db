// Picks the extractor for a file by its suffix and applies the per-file
// limits. Error messages start with the skip reason: "too large", "binary",
// "corrupt", "encrypted", "no text layer", "zip bomb", "xml entity bomb",
// "timeout", "unreadable", "unsupported".
#pragma once

#include <QString>

#include <optional>

#include "core/result.h"
#include "doc_block.h"
#include "extract_limits.h"

namespace facet::docs {

enum class DocFormat { Pdf, Docx, Odt, Epub, Html, Markdown, PlainText, Count };

// By suffix; plain text for known text and source suffixes; nullopt when unknown.
std::optional<DocFormat> formatForPath(const QString& path);

// Blocks of one file; an unknown suffix is tried as plain text.
Result<DocBlocks> extractDocument(const QString& path, const ExtractLimits& limits);

// The text that starts the document's skip reason ("zip bomb" from "zip bomb: ...").
QString reasonKind(const std::string& message);

}  // namespace facet::docs
