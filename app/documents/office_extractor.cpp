#include "office_extractor.h"

#include <functional>

#include <QRegularExpression>

#include "safe_xml.h"
#include "zip_reader.h"

namespace facet::docs {

namespace {

// "Heading2" → 2, "Title" → 1, anything else → 0. Word writes style ids, not
// the localized names, so this works for documents written in any language.
int docxHeadingLevel(const QString& styleId) {
    static const QRegularExpression re(QStringLiteral("^(?:Heading|heading)\\s*([1-9])$"));
    if (styleId == QLatin1String("Title")) return 1;
    const auto m = re.match(styleId);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

// One <w:p>: its style and its text (w:t runs, w:tab, w:br).
void readDocxParagraph(SafeXml& xml, QString& text, int& level) {
    int depth = 1;
    while (depth > 0 && xml.next()) {
        auto& r = xml.reader();
        if (r.isStartElement()) {
            ++depth;
            const auto n = r.name();
            if (n == u"pStyle") level = docxHeadingLevel(attribute(r, QStringLiteral("w:val")));
            else if (n == u"t") { text += xml.elementText(); --depth; }
            else if (n == u"tab") text += QLatin1Char('\t');
            else if (n == u"br" || n == u"cr") text += QLatin1Char('\n');
        } else if (r.isEndElement()) {
            --depth;
        }
    }
}

// Text of an ODT paragraph or heading: spans flattened, text:s / tab / line-break kept.
QString readOdtText(SafeXml& xml) {
    QString out;
    int depth = 1;
    while (depth > 0 && xml.next()) {
        auto& r = xml.reader();
        if (r.isStartElement()) {
            ++depth;
            const auto n = r.name();
            if (n == u"s") out += QString(qBound(1, attribute(r, QStringLiteral("text:c")).toInt(), 1000), QLatin1Char(' '));
            else if (n == u"tab") out += QLatin1Char('\t');
            else if (n == u"line-break") out += QLatin1Char('\n');
            else if (n == u"note") {  // footnote bodies would break the sentence; skip them
                xml.elementText();
                --depth;
            }
        } else if (r.isEndElement()) {
            --depth;
        } else if (r.isCharacters()) {
            out += r.text();
        }
    }
    return out;
}

// One XML member of a zip container, handed start element by start element
// to `onStart` (which may read on through the element's content).
using StartElementHandler = std::function<void(SafeXml&, HeadingTracker&, DocBlocks&)>;
Result<DocBlocks> zipXmlBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline,
                               const QString& member, const StartElementHandler& onStart) {
    FACET_ASSIGN(auto zip, ZipReader::open(path, limits));
    FACET_ASSIGN(const QByteArray xmlData, zip->read(member));
    SafeXml xml(xmlData, member, deadline);
    DocBlocks out;
    HeadingTracker headings;
    while (xml.next())
        if (xml.reader().isStartElement()) onStart(xml, headings, out);
    if (!xml.failure().ok()) return xml.failure().error();
    return out;
}

}  // namespace

Result<DocBlocks> docxBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline) {
    return zipXmlBlocks(path, limits, deadline, QStringLiteral("word/document.xml"),
                        [](SafeXml& xml, HeadingTracker& headings, DocBlocks& out) {
                            if (xml.reader().name() != u"p") return;
                            QString text;
                            int level = 0;
                            readDocxParagraph(xml, text, level);
                            if (level > 0 && !text.trimmed().isEmpty()) {
                                headings.enter(level, text);
                                addBlock(out, text, BlockKind::Heading, headings.path());
                            } else {
                                addBlock(out, text, BlockKind::Paragraph, headings.path());
                            }
                        });
}

Result<DocBlocks> odtBlocks(const QString& path, const ExtractLimits& limits, const Deadline& deadline) {
    return zipXmlBlocks(path, limits, deadline, QStringLiteral("content.xml"),
                        [](SafeXml& xml, HeadingTracker& headings, DocBlocks& out) {
                            auto& r = xml.reader();
                            if (r.name() == u"h") {
                                const int level = attribute(r, QStringLiteral("text:outline-level")).toInt();
                                const QString text = readOdtText(xml);
                                if (text.trimmed().isEmpty()) return;
                                headings.enter(level > 0 ? level : 1, text);
                                addBlock(out, text, BlockKind::Heading, headings.path());
                            } else if (r.name() == u"p") {
                                addBlock(out, readOdtText(xml), BlockKind::Paragraph, headings.path());
                            }
                        });
}

}  // namespace facet::docs
