// Bytes of a text file to a QString: UTF-8 (with or without BOM), UTF-16 LE/BE
// with a BOM, else Windows-1252 (a superset of printable Latin-1). Files that
// look binary are refused so they land in the skipped list.
#pragma once

#include <QByteArray>
#include <QString>

#include "core/result.h"

namespace facet::docs {

enum class TextEncoding { Utf8, Utf16LE, Utf16BE, Windows1252 };

struct DecodedText {
    QString text;
    TextEncoding encoding = TextEncoding::Utf8;
};

// Error messages start with "binary:" for files that are not text.
Result<DecodedText> decodeText(const QByteArray& bytes);

// Windows-1252 to Unicode; the five undefined bytes map to their Latin-1 code points.
QString fromWindows1252(const QByteArray& bytes);

}  // namespace facet::docs
