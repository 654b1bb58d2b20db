#include "extractor.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include "epub_extractor.h"
#include "html_extractor.h"
#include "office_extractor.h"
#include "pdf_extractor.h"
#include "text_decoding.h"
#include "text_extractor.h"

namespace facet::docs {

Deadline::Deadline(const ExtractLimits& limits) : clock_(limits.clockMs), limitMs_(limits.timeLimitMs) {
    if (!clock_) {
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        clock_ = [timer] { return timer->elapsed(); };
    }
    start_ = clock_();
}

bool Deadline::expired() const { return limitMs_ > 0 && clock_() - start_ > limitMs_; }

std::optional<DocFormat> formatForPath(const QString& path) {
    static const QSet<QString> text = {
        "txt", "text", "log", "rst", "adoc", "org", "tex", "csv", "tsv", "json", "yaml", "yml", "toml", "ini", "cfg",
        "conf", "xml", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "py", "js", "mjs", "ts", "tsx", "jsx", "java", "kt",
        "go", "rs", "rb", "php", "pl", "lua", "sh", "bash", "zsh", "cmake", "qml", "swift", "cs", "scala", "sql", "r",
        "m", "mm", "css", "scss", "vue", "el", "hs", "ml", "ex", "exs", "dart", "zig", "nim", "jl", "proto", "gradle"};
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"pdf") return DocFormat::Pdf;
    if (suffix == u"docx") return DocFormat::Docx;
    if (suffix == u"odt") return DocFormat::Odt;
    if (suffix == u"epub") return DocFormat::Epub;
    if (suffix == u"html" || suffix == u"htm" || suffix == u"xhtml") return DocFormat::Html;
    if (suffix == u"md" || suffix == u"markdown") return DocFormat::Markdown;
    if (text.contains(suffix) || QFileInfo(path).fileName().compare(u"README", Qt::CaseInsensitive) == 0)
        return DocFormat::PlainText;
    return std::nullopt;
}

Result<DocBlocks> extractDocument(const QString& path, const ExtractLimits& limits) {
    const QFileInfo info(path);
    if (!info.isFile()) return errorf("unreadable: %s is not a regular file", qPrintable(path));
    if (info.size() > limits.maxFileBytes)
        return errorf("too large: %lld bytes (limit %lld)", (long long)info.size(), (long long)limits.maxFileBytes);
    const Deadline deadline(limits);
    const DocFormat format = formatForPath(path).value_or(DocFormat::PlainText);
    switch (format) {
    case DocFormat::Pdf: return pdfBlocks(path, deadline);
    case DocFormat::Docx: return docxBlocks(path, limits, deadline);
    case DocFormat::Odt: return odtBlocks(path, limits, deadline);
    case DocFormat::Epub: return epubBlocks(path, limits, deadline);
    case DocFormat::Html:
    case DocFormat::Markdown:
    case DocFormat::PlainText: {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return errorf("unreadable: %s", qPrintable(f.errorString()));
        FACET_ASSIGN(const DecodedText text, decodeText(f.readAll()));
        if (format == DocFormat::Html) return htmlBlocks(text.text);
        if (format == DocFormat::Markdown) return markdownBlocks(text.text);
        return plainTextBlocks(text.text);
    }
    case DocFormat::Count: break;
    }
    return makeError("unsupported: unknown format");
}

QString reasonKind(const std::string& message) {
    const auto colon = message.find(':');
    return QString::fromStdString(colon == std::string::npos ? message : message.substr(0, colon));
}

}  // namespace facet::docs
