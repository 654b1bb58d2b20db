#include "epub_extractor.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QUrl>

#include "html_extractor.h"
#include "safe_xml.h"
#include "text_decoding.h"
#include "zip_reader.h"

namespace facet::docs {

namespace {

Result<QString> opfPath(ZipReader& zip, const Deadline& deadline) {
    FACET_ASSIGN(const QByteArray data, zip.read(QStringLiteral("META-INF/container.xml")));
    SafeXml xml(data, QStringLiteral("META-INF/container.xml"), deadline);
    while (xml.next())
        if (xml.reader().isStartElement() && xml.reader().name() == u"rootfile")
            return attribute(xml.reader(), QStringLiteral("full-path"));
    if (!xml.failure().ok()) return xml.failure().error();
    return makeError("corrupt: META-INF/container.xml names no rootfile");
}

// Zip paths of the spine's chapters, in reading order.
Result<QStringList> spine(ZipReader& zip, const QString& opf, const Deadline& deadline) {
    FACET_ASSIGN(const QByteArray data, zip.read(opf));
    SafeXml xml(data, opf, deadline);
    QHash<QString, QString> manifest;  // id → href
    QStringList order;                 // idrefs
    while (xml.next()) {
        auto& r = xml.reader();
        if (!r.isStartElement()) continue;
        if (r.name() == u"item") manifest.insert(attribute(r, QStringLiteral("id")), attribute(r, QStringLiteral("href")));
        else if (r.name() == u"itemref") order << attribute(r, QStringLiteral("idref"));
    }
    if (!xml.failure().ok()) return xml.failure().error();
    const QString base = QFileInfo(opf).path();
    QStringList paths;
    for (const QString& id : order) {
        const QString href = QUrl::fromPercentEncoding(manifest.value(id).toUtf8()).section(QLatin1Char('#'), 0, 0);
        if (href.isEmpty()) continue;
        // Normalize "../Text/ch1.xhtml"; a path that climbs out of the zip root stays invalid and fails the read.
        paths << QDir::cleanPath(base == QLatin1String(".") ? href : base + QLatin1Char('/') + href);
    }
    return paths;
}

}  // namespace

Result<DocBlocks> epubBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline) {
    FACET_ASSIGN(auto zip, ZipReader::open(path, limits));
    FACET_ASSIGN(const QString opf, opfPath(*zip, deadline));
    FACET_ASSIGN(const QStringList chapters, spine(*zip, opf, deadline));
    if (chapters.isEmpty()) return makeError("corrupt: the EPUB spine lists no chapters");
    DocBlocks out;
    HeadingTracker headings;
    for (const QString& chapter : chapters) {
        if (deadline.expired()) return errorf("timeout: EPUB took longer than %lld ms", (long long)deadline.limitMs());
        FACET_ASSIGN(const QByteArray bytes, zip->read(chapter));
        // XHTML chapters are XML: refuse entity declarations before the HTML importer sees them.
        SafeXml probe(bytes, chapter, deadline);
        while (probe.next()) {
            if (probe.reader().tokenType() == QXmlStreamReader::StartElement) break;
        }
        if (!probe.failure().ok() && probe.failure().message().starts_with("xml entity bomb")) return probe.failure().error();
        FACET_ASSIGN(const DecodedText text, decodeText(bytes));
        for (DocBlock& b : htmlBlocks(text.text, headings)) out.push_back(std::move(b));
    }
    return out;
}

}  // namespace facet::docs
