#include "pdf_extractor.h"

#include <QPdfDocument>
#include <QPdfSelection>

namespace facet::docs {

Result<DocBlocks> pdfBlocks(const QString& path, const Deadline& deadline) {
    QPdfDocument doc;
    switch (doc.load(path)) {
    case QPdfDocument::Error::None: break;
    case QPdfDocument::Error::IncorrectPassword: return makeError("encrypted: the PDF needs a password");
    case QPdfDocument::Error::UnsupportedSecurityScheme: return makeError("encrypted: unsupported PDF security scheme");
    case QPdfDocument::Error::FileNotFound: return makeError("unreadable: the PDF cannot be opened");
    case QPdfDocument::Error::InvalidFileFormat:
    case QPdfDocument::Error::DataNotYetAvailable:
    case QPdfDocument::Error::Unknown: return makeError("corrupt: not a readable PDF");
    }
    const int pages = doc.pageCount();
    if (pages <= 0) return makeError("corrupt: the PDF has no pages");
    DocBlocks out;
    for (int i = 0; i < pages; ++i) {
        if (deadline.expired())
            return errorf("timeout: PDF page %d of %d after %lld ms", i + 1, pages, (long long)deadline.limitMs());
        // PDFium ends lines with CR LF; keep plain LF so the chunker sees lines.
        QString text = doc.getAllText(i).text();
        text.replace(QLatin1String("\r\n"), QLatin1String("\n")).replace(QLatin1Char('\r'), QLatin1Char('\n'));
        addBlock(out, text, BlockKind::Paragraph, {}, i + 1, doc.pageLabel(i));
    }
    if (out.empty()) return errorf("no text layer: none of the %d pages has text (scanned? OCR is not supported)", pages);
    return out;
}

}  // namespace facet::docs
