// Text extraction per format: the blocks, their heading paths and PDF pages
// and labels, text encodings, and hostile files refused with their reason.
#include <QTemporaryDir>
#include <QtTest>

#include "extractor.h"
#include "support/docs_fixtures.h"
#include "text_decoding.h"

using namespace facet::docs;
using facet::Result;

namespace {

QString joined(const DocBlocks& blocks) {
    QStringList t;
    for (const DocBlock& b : blocks) t << b.text;
    return t.join(QLatin1Char('|'));
}

const DocBlock* findBlock(const DocBlocks& blocks, const QString& needle) {
    for (const DocBlock& b : blocks)
        if (b.text.contains(needle)) return &b;
    return nullptr;
}

}  // namespace

class TstDocsExtract : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const QString& name) { return dir_.filePath(name); }

    Result<DocBlocks> extract(const QString& name, ExtractLimits limits = {}) { return extractDocument(path(name), limits); }

    void expectSkip(const QString& name, const char* reason, ExtractLimits limits = {}) {
        auto r = extract(name, limits);
        QVERIFY2(!r.ok(), qPrintable(name + ": extracted, expected " + reason));
        QCOMPARE(reasonKind(r.message()), QString::fromLatin1(reason));
    }

private slots:
    void decodesEachEncoding_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("encoding");
        const QString text = QStringLiteral("Café naïve – “quoted” €5");
        QTest::newRow("utf-8") << text.toUtf8() << int(TextEncoding::Utf8);
        QTest::newRow("utf-8 bom") << QByteArray("\xEF\xBB\xBF") + text.toUtf8() << int(TextEncoding::Utf8);
        QByteArray le("\xFF\xFE"), be("\xFE\xFF");
        for (QChar c : text) {
            le += char(c.unicode() & 0xFF);
            le += char(c.unicode() >> 8);
            be += char(c.unicode() >> 8);
            be += char(c.unicode() & 0xFF);
        }
        QTest::newRow("utf-16le bom") << le << int(TextEncoding::Utf16LE);
        QTest::newRow("utf-16be bom") << be << int(TextEncoding::Utf16BE);
        // Windows-1252: 0x96 en dash, 0x93/0x94 curly quotes, 0x80 euro.
        QTest::newRow("windows-1252") << QByteArray("Caf\xE9 na\xEFve \x96 \x93quoted\x94 \x80" "5")
                                      << int(TextEncoding::Windows1252);
    }
    void decodesEachEncoding() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, encoding);
        auto r = decodeText(bytes);
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(r->text, QStringLiteral("Café naïve – “quoted” €5"));
        QCOMPARE(int(r->encoding), encoding);
    }

    void refusesBinary() {
        QVERIFY(writeBytesOk(path("blob.txt"), QByteArray("ELF\x00\x01\x02\x00text", 12)));
        expectSkip("blob.txt", "binary");
    }

    void plainTextParagraphs() {
        QVERIFY(writeBytesOk(path("a.txt"), "first line\nsame paragraph\n\n\nsecond paragraph\r\n"));
        auto r = extract("a.txt");
        QVERIFY(r.ok());
        QCOMPARE(joined(r.value()), QStringLiteral("first line\nsame paragraph|second paragraph"));
        QCOMPARE(r->front().page, 0);
    }

    void markdownHeadingPaths() {
        QVERIFY(writeBytesOk(path("a.md"), "# Guide\nintro\n\n## Install\nrun make\n\n```\n# not a heading\n```\n\n"
                                           "## Use\nrun it\n# Other\nend\n"));
        auto r = extract("a.md");
        QVERIFY(r.ok());
        const DocBlock* make = findBlock(r.value(), QStringLiteral("run make"));
        QVERIFY(make);
        QCOMPARE(make->headingPath, (QStringList{"Guide", "Install"}));
        const DocBlock* code = findBlock(r.value(), QStringLiteral("# not a heading"));
        QVERIFY(code);
        QCOMPARE(code->kind, BlockKind::Paragraph);
        QCOMPARE(findBlock(r.value(), QStringLiteral("run it"))->headingPath, (QStringList{"Guide", "Use"}));
        QCOMPARE(findBlock(r.value(), QStringLiteral("end"))->headingPath, (QStringList{"Other"}));
    }

    void htmlKeepsHeadingsDropsScripts() {
        QVERIFY(writeBytesOk(path("a.html"),
                             "<html><head><title>T</title><style>body{color:red}</style><script>var secret=1;</script>"
                             "</head><body><h1>Manual</h1><p>Intro text.</p><h2>Setup &amp; use</h2><p>Do this.</p>"
                             "<script>alert('x')</script><ul><li>one</li><li>two</li></ul></body></html>"));
        auto r = extract("a.html");
        QVERIFY(r.ok());
        const QString all = joined(r.value());
        QVERIFY2(!all.contains(u"secret") && !all.contains(u"alert") && !all.contains(u"color"), qPrintable(all));
        QCOMPARE(findBlock(r.value(), QStringLiteral("Do this."))->headingPath, (QStringList{"Manual", "Setup & use"}));
        QVERIFY(findBlock(r.value(), QStringLiteral("two")));
    }

    void docxHeadingStyles() {
        QVERIFY(facet::test::writeDocx(path("a.docx"), facet::test::docxXml({{"Title", "Report"},
                                                                                {"", "Summary text."},
                                                                                {"Heading2", "Results"},
                                                                                {"", "Numbers & facts."}})));
        auto r = extract("a.docx");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(joined(r.value()), QStringLiteral("Report|Summary text.|Results|Numbers & facts."));
        QCOMPARE(r->at(2).kind, BlockKind::Heading);
        QCOMPARE(r->at(3).headingPath, (QStringList{"Report", "Results"}));
    }

    void odtHeadingsAndParagraphs() {
        QVERIFY(facet::test::writeOdt(path("a.odt"), {{1, "Chapter"}, {0, "Body one."}, {2, "Part"}, {0, "Body two."}}));
        auto r = extract("a.odt");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(joined(r.value()), QStringLiteral("Chapter|Body one.|Part|Body two."));
        QCOMPARE(r->at(3).headingPath, (QStringList{"Chapter", "Part"}));
    }

    void epubFollowsSpine() {
        QVERIFY(facet::test::writeEpub(path("a.epub"), {"<h1>First</h1><p>Alpha text.</p>",
                                                        "<h2>Second</h2><p>Beta text.</p><script>x()</script>"}));
        auto r = extract("a.epub");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(joined(r.value()), QStringLiteral("First|Alpha text.|Second|Beta text."));
        QCOMPARE(r->at(3).headingPath, (QStringList{"First", "Second"}));
    }

    void pdfPagesInOrder() {
        QVERIFY(facet::test::writeTextPdf(path("a.pdf"), {"alpha page one", "bravo page two\nsecond line", "charlie"}));
        auto r = extract("a.pdf");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(int(r->size()), 3);
        QVERIFY(r->at(1).text.contains(u"bravo page two"));
        QVERIFY(r->at(1).text.contains(u"second line"));
        QCOMPARE(r->at(0).page, 1);
        QCOMPARE(r->at(2).page, 3);
    }

    void pdfPageLabels() {
        // Pages 1-2 roman (i, ii), then decimal from 1.
        QVERIFY(writeBytesOk(path("labels.pdf"), facet::test::handMadePdf({"front matter", "preface", "chapter one", "more"},
                                                                          "<< /Nums [0 << /S /r >> 2 << /S /D >>] >>")));
        auto r = extract("labels.pdf");
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QCOMPARE(int(r->size()), 4);
        QCOMPARE(r->at(1).pageLabel, QStringLiteral("ii"));
        QCOMPARE(r->at(2).pageLabel, QStringLiteral("1"));
        QCOMPARE(r->at(2).page, 3);
        QVERIFY(r->at(2).text.contains(u"chapter one"));
    }

    void hostilePdfs() {
        QVERIFY(writeBytesOk(path("enc.pdf"), facet::test::handMadePdf({"secret"}, {}, true)));
        expectSkip("enc.pdf", "encrypted");
        QVERIFY(writeBytesOk(path("garbage.pdf"), QByteArray("%PDF-1.4\n") + QByteArray(4000, '\x9c')));
        expectSkip("garbage.pdf", "corrupt");
        const QByteArray good = facet::test::handMadePdf({"one", "two"});
        QVERIFY(writeBytesOk(path("truncated.pdf"), good.left(good.size() / 3)));
        expectSkip("truncated.pdf", "corrupt");
        QVERIFY(facet::test::writeImageOnlyPdf(path("scan.pdf")));
        expectSkip("scan.pdf", "no text layer");
    }

    void hostileContainers() {
        // 4 MiB of one letter deflates ~1000:1.
        QVERIFY(facet::test::writeDocx(path("bomb.docx"), facet::test::docxXml({{"", QString(4 << 20, QLatin1Char('a'))}})));
        expectSkip("bomb.docx", "zip bomb");
        ExtractLimits small;
        small.maxEntryBytes = 1000;
        QVERIFY(facet::test::writeDocx(path("big.docx"), facet::test::docxXml({{"", QString(2000, QLatin1Char('b'))}})));
        expectSkip("big.docx", "zip bomb", small);
        QByteArray bomb = facet::test::docxXml({{"", "x"}}, facet::test::entityBombProlog());
        bomb.replace("<w:t xml:space=\"preserve\">x", "<w:t xml:space=\"preserve\">&l9;");
        QVERIFY(facet::test::writeDocx(path("laughs.docx"), bomb));
        expectSkip("laughs.docx", "xml entity bomb");
        QVERIFY(writeBytesOk(path("notzip.docx"), "PK\x03\x04 this is not a zip"));
        expectSkip("notzip.docx", "corrupt");
        QVERIFY(facet::test::writeZip(path("empty.odt"), {{QStringLiteral("mimetype"), "x"}}));
        expectSkip("empty.odt", "corrupt");
    }

    void sizeLimit() {
        QVERIFY(writeBytesOk(path("large.txt"), QByteArray(5000, 'x')));
        ExtractLimits limits;
        limits.maxFileBytes = 4096;
        expectSkip("large.txt", "too large", limits);
    }

    void timeLimitWithInjectedClock() {
        QStringList pages;
        for (int i = 0; i < 20; ++i) pages << QStringLiteral("page %1").arg(i + 1);
        QVERIFY(writeBytesOk(path("slow.pdf"), facet::test::handMadePdf(pages)));
        qint64 now = 0;
        ExtractLimits limits;
        limits.clockMs = [&now] { return now += 1000; };  // every look at the clock costs one second
        limits.timeLimitMs = 5000;
        expectSkip("slow.pdf", "timeout", limits);
        limits.timeLimitMs = 0;  // off: the same file extracts
        QVERIFY(extract("slow.pdf", limits).ok());
    }

private:
    static bool writeBytesOk(const QString& p, const QByteArray& b) { return facet::test::writeBytes(p, b); }
};

QTEST_MAIN(TstDocsExtract)
#include "tst_docs_extract.moc"
