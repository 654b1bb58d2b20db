// Document fixtures written by the tests themselves (no binary files in the
// tree): text PDFs via QPdfWriter, hand-made PDFs for page labels and
// encryption, zip containers (DOCX, ODT, EPUB) via libzip. Header-only so only
// the tst_docs_* executables, which link libzip and QtGui, pull it in.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>
#include <zip.h>

#include "support/pdf_fixture.h"

namespace facet::test {

// A page with a drawing and no text: a scan without OCR looks like this.
inline bool writeImageOnlyPdf(const QString& path) {
    QPdfWriter writer(path);
    QPainter p;
    if (!p.begin(&writer)) return false;
    p.fillRect(QRect(100, 100, 2000, 1000), Qt::black);
    return p.end();
}

// A minimal PDF written by hand: pages with Helvetica text, optional
// /PageLabels (a number tree) and an optional /Encrypt dictionary whose
// password check can never pass (random /O and /U).
inline QByteArray handMadePdf(const QStringList& pages, const QByteArray& pageLabels = {}, bool encrypted = false) {
    std::vector<QByteArray> objects;  // object i+1
    const int n = int(pages.size());
    // 1: catalog, 2: pages, 3: font, then page/content pairs, then encrypt.
    QByteArray kids;
    for (int i = 0; i < n; ++i) kids += QByteArray::number(4 + 2 * i) + " 0 R ";
    QByteArray catalog = "<< /Type /Catalog /Pages 2 0 R";
    if (!pageLabels.isEmpty()) catalog += " /PageLabels " + pageLabels;
    objects.push_back(catalog + " >>");
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + QByteArray::number(n) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (int i = 0; i < n; ++i) {
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                          " /Contents " + QByteArray::number(5 + 2 * i) + " 0 R >>");
        const QByteArray stream = "BT /F1 12 Tf 72 720 Td (" + pages[i].toLatin1() + ") Tj ET";
        objects.push_back("<< /Length " + QByteArray::number(stream.size()) + " >>\nstream\n" + stream + "\nendstream");
    }
    const int encryptObj = int(objects.size()) + 1;
    if (encrypted)
        objects.push_back("<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + QByteArray(64, '7') + "> /U <" +
                          QByteArray(64, 'a') + "> >>");
    QByteArray pdf = "%PDF-1.4\n";
    std::vector<qsizetype> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += QByteArray::number(qsizetype(i + 1)) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const qsizetype xref = pdf.size();
    pdf += "xref\n0 " + QByteArray::number(qsizetype(objects.size() + 1)) + "\n0000000000 65535 f \n";
    for (qsizetype off : offsets) pdf += QByteArray::number(off).rightJustified(10, '0') + " 00000 n \n";
    pdf += "trailer\n<< /Size " + QByteArray::number(qsizetype(objects.size() + 1)) + " /Root 1 0 R";
    if (encrypted)
        pdf += " /Encrypt " + QByteArray::number(encryptObj) + " 0 R /ID [<" + QByteArray(32, '1') + "> <" +
               QByteArray(32, '1') + ">]";
    pdf += " >>\nstartxref\n" + QByteArray::number(xref) + "\n%%EOF\n";
    return pdf;
}

// A zip of (name, bytes) entries, deflated.
inline bool writeZip(const QString& path, const std::vector<std::pair<QString, QByteArray>>& entries) {
    QFile::remove(path);
    int err = 0;
    zip_t* z = zip_open(path.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) return false;
    std::vector<QByteArray> keep;  // libzip reads the buffers at zip_close
    keep.reserve(entries.size());
    for (const auto& [name, bytes] : entries) {
        keep.push_back(bytes);
        zip_source_t* src = zip_source_buffer(z, keep.back().constData(), zip_uint64_t(keep.back().size()), 0);
        if (!src || zip_file_add(z, name.toUtf8().constData(), src, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(src);
            zip_discard(z);
            return false;
        }
    }
    return zip_close(z) == 0;
}

// word/document.xml from (style id or "", text) paragraphs.
inline QByteArray docxXml(const std::vector<std::pair<QString, QString>>& paragraphs, const QByteArray& prolog = {}) {
    QByteArray x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + prolog +
                   "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    for (const auto& [style, text] : paragraphs) {
        x += "<w:p>";
        if (!style.isEmpty()) x += "<w:pPr><w:pStyle w:val=\"" + style.toUtf8() + "\"/></w:pPr>";
        x += "<w:r><w:t xml:space=\"preserve\">" + text.toHtmlEscaped().toUtf8() + "</w:t></w:r></w:p>";
    }
    return x + "</w:body></w:document>";
}

inline bool writeDocx(const QString& path, const QByteArray& documentXml) {
    return writeZip(path, {{QStringLiteral("[Content_Types].xml"), "<Types/>"},
                           {QStringLiteral("word/document.xml"), documentXml}});
}

// content.xml from (outline level or 0 for a paragraph, text).
inline bool writeOdt(const QString& path, const std::vector<std::pair<int, QString>>& items) {
    QByteArray x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
                   "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                   "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>";
    for (const auto& [level, text] : items) {
        const QByteArray t = text.toHtmlEscaped().toUtf8();
        x += level > 0 ? "<text:h text:outline-level=\"" + QByteArray::number(level) + "\">" + t + "</text:h>"
                       : "<text:p><text:span>" + t + "</text:span></text:p>";
    }
    x += "</office:text></office:body></office:document-content>";
    return writeZip(path, {{QStringLiteral("mimetype"), "application/vnd.oasis.opendocument.text"},
                           {QStringLiteral("content.xml"), x}});
}

// An EPUB whose spine lists `chapters` (XHTML bodies) in the given order;
// the manifest lists them reversed so spine order is what counts.
inline bool writeEpub(const QString& path, const QStringList& chapterBodies) {
    std::vector<std::pair<QString, QByteArray>> entries = {
        {QStringLiteral("mimetype"), "application/epub+zip"},
        {QStringLiteral("META-INF/container.xml"),
         "<?xml version=\"1.0\"?><container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
         "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
         "</rootfiles></container>"}};
    QByteArray manifest, spine;
    for (int i = int(chapterBodies.size()) - 1; i >= 0; --i)
        manifest += "<item id=\"c" + QByteArray::number(i) + "\" href=\"text/ch" + QByteArray::number(i) +
                    ".xhtml\" media-type=\"application/xhtml+xml\"/>";
    for (int i = 0; i < chapterBodies.size(); ++i) {
        spine += "<itemref idref=\"c" + QByteArray::number(i) + "\"/>";
        entries.push_back({QStringLiteral("OEBPS/text/ch%1.xhtml").arg(i),
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                           "<head><title>t</title></head><body>" + chapterBodies[i].toUtf8() + "</body></html>"});
    }
    entries.push_back({QStringLiteral("OEBPS/content.opf"),
                       "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
                       "<manifest>" + manifest + "</manifest><spine>" + spine + "</spine></package>"});
    return writeZip(path, entries);
}

// The "billion laughs" DTD: ten levels of ten references each.
inline QByteArray entityBombProlog() {
    QByteArray dtd = "<!DOCTYPE w:document [\n<!ENTITY l0 \"lol\">\n";
    for (int i = 1; i < 10; ++i) {
        dtd += "<!ENTITY l" + QByteArray::number(i) + " \"";
        for (int j = 0; j < 10; ++j) dtd += "&l" + QByteArray::number(i - 1) + ";";
        dtd += "\">\n";
    }
    return dtd + "]>\n";
}

}  // namespace facet::test
