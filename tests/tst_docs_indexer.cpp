// The indexer: folders walked with symlinks followed once, every format
// indexed with page and section facts, bad files skipped with a reason while
// good ones beside them are indexed, changed files re-chunked (only new
// chunks added), vanished files dropped, pending work resumed.
#include <QDir>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "indexer.h"
#include "support/docs_fixtures.h"

using namespace facet::docs;
namespace ft = facet::test;

namespace {

QString reasonFor(const IndexStatus& st, const QString& fileName) {
    for (const SkippedFile& s : st.skipped)
        if (s.path.endsWith(QLatin1Char('/') + fileName)) return s.reason.section(QLatin1Char(':'), 0, 0);
    return {};
}

// A paragraph per line; each long enough that several make more than one chunk.
QString paragraphs(const QString& tag, int n) {
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << QStringLiteral("%1 paragraph %2 talks about topic %2 in enough words to be a real paragraph of prose, "
                              "with a second clause that makes it longer still.")
                   .arg(tag)
                   .arg(i);
    return out.join(QStringLiteral("\n\n"));
}

}  // namespace

class TstDocsIndexer : public QObject {
    Q_OBJECT

    std::unique_ptr<DocIndex> open(const QTemporaryDir& dir) {
        auto index = DocIndex::open(dir.filePath("index.sqlite"));
        if (!index.ok()) qFatal("%s", index.message().c_str());
        return std::move(index.value());
    }

private slots:
    void indexesEveryFormatWithFacts() {
        QTemporaryDir dir;
        const QString lib = dir.filePath("lib");
        QVERIFY(QDir().mkpath(lib + "/sub"));
        QVERIFY(ft::writeBytes(lib + "/notes.md", "# Garden\n## Roses\nPrune roses in March.\n"));
        QVERIFY(ft::writeBytes(lib + "/sub/latin.txt", "Cr\xE8me br\xFBl\xE9" "e recipe with vanilla\n"));
        QVERIFY(ft::writeTextPdf(lib + "/book.pdf", {"zebra crossing rules", "giraffe feeding times"}));
        QVERIFY(ft::writeBytes(lib + "/labels.pdf", ft::handMadePdf({"preface words", "walrus chapter"},
                                                                     "<< /Nums [0 << /S /r >> 1 << /S /D /St 7 >>] >>")));
        QVERIFY(ft::writeDocx(lib + "/report.docx", ft::docxXml({{"Heading1", "Budget"}, {"", "Quokka expenses rose."}})));
        QVERIFY(ft::writeOdt(lib + "/paper.odt", {{1, "Methods"}, {0, "Narwhal sampling."}}));
        QVERIFY(ft::writeEpub(lib + "/novel.epub", {"<h1>Part One</h1><p>The ocelot slept.</p>"}));
        QVERIFY(ft::writeBytes(lib + "/page.html", "<h1>Help</h1><h2>Login</h2><p>Use the pangolin key.</p>"));
        QVERIFY(ft::writeBytes(lib + "/image.png", "\x89PNG not indexed: unknown suffix"));
        auto index = open(dir);
        Indexer indexer(*index, IndexerOptions{});
        int calls = 0;
        auto report = indexer.add({lib}, [&](const IndexProgress& p) {
            ++calls;
            QVERIFY(p.filesDone <= p.filesTotal);
        });
        QVERIFY2(report.ok(), report.ok() ? "" : report.message().c_str());
        QCOMPARE(report->files, 8);
        QCOMPARE(report->indexed, 8);
        QCOMPARE(calls, 16);  // before and after each file

        auto hit = [&](const QString& q) {
            auto h = index->keywordSearch(q, 1);
            if (!h.ok() || h->empty()) qFatal("no hit for %s", qPrintable(q));
            return h->front();
        };
        QCOMPARE(hit("roses").section, QStringLiteral("Garden > Roses"));
        QVERIFY(hit("creme").text.contains(QStringLiteral("Crème brûlée")));
        QCOMPARE(hit("giraffe").page, 2);
        QCOMPARE(hit("giraffe").path, QDir(lib).canonicalPath() + "/book.pdf");
        QCOMPARE(hit("walrus").pageLabel, QStringLiteral("7"));
        QCOMPARE(hit("walrus").page, 2);
        QCOMPARE(hit("quokka").section, QStringLiteral("Budget"));
        QCOMPARE(hit("narwhal").section, QStringLiteral("Methods"));
        QCOMPARE(hit("ocelot").section, QStringLiteral("Part One"));
        QCOMPARE(hit("pangolin").section, QStringLiteral("Help > Login"));
        QCOMPARE(hit("pangolin").page, 0);

        // A second run changes nothing.
        auto again = indexer.add({lib});
        QVERIFY(again.ok());
        QCOMPARE(again->unchanged, 8);
        QCOMPARE(again->chunksAdded, 0);
    }

    void symlinkLoopsAreFollowedOnce() {
        QTemporaryDir dir;
        const QString lib = dir.filePath("lib");
        QVERIFY(QDir().mkpath(lib + "/a"));
        QVERIFY(ft::writeBytes(lib + "/a/one.txt", "lemur facts"));
        QVERIFY(QFile::link(lib, lib + "/a/loop"));           // back up the tree
        QVERIFY(QFile::link(lib + "/a", lib + "/alias"));      // a second way into a/
        QVERIFY(QFile::link(lib + "/a/one.txt", lib + "/link.txt"));
        QVERIFY(QFile::link(lib + "/missing.txt", lib + "/dangling.txt"));
        auto files = collectFiles({lib});
        QVERIFY(files.ok());
        QCOMPARE(files->files, QStringList{QDir(lib).canonicalPath() + "/a/one.txt"});
        QCOMPARE(files->brokenLinks.size(), 1);
        auto index = open(dir);
        auto report = Indexer(*index, IndexerOptions{}).add({lib});
        QVERIFY(report.ok());
        QCOMPARE(report->indexed, 1);
        QCOMPARE(reasonFor(index->status().value(), "dangling.txt"), QStringLiteral("unreadable"));
    }

    void hostileFilesAreSkippedGoodOnesIndexed() {
        QTemporaryDir dir;
        const QString lib = dir.filePath("lib");
        QVERIFY(QDir().mkpath(lib));
        const QByteArray good = ft::handMadePdf({"tapir one", "tapir two"});
        QVERIFY(ft::writeBytes(lib + "/good.pdf", good));
        QVERIFY(ft::writeBytes(lib + "/good.txt", "tapir notes"));
        QVERIFY(ft::writeBytes(lib + "/truncated.pdf", good.left(good.size() / 3)));
        QVERIFY(ft::writeBytes(lib + "/corrupt.pdf", "%PDF-1.7\n" + QByteArray(3000, '\xee')));
        QVERIFY(ft::writeBytes(lib + "/encrypted.pdf", ft::handMadePdf({"tapir secret"}, {}, true)));
        QVERIFY(ft::writeImageOnlyPdf(lib + "/scan.pdf"));
        QVERIFY(ft::writeDocx(lib + "/bomb.docx", ft::docxXml({{"", QString(4 << 20, QLatin1Char('z'))}})));
        QByteArray laughs = ft::docxXml({{"", "x"}}, ft::entityBombProlog());
        laughs.replace("preserve\">x", "preserve\">&l9;");
        QVERIFY(ft::writeDocx(lib + "/laughs.docx", laughs));
        QVERIFY(ft::writeBytes(lib + "/huge.txt", QByteArray(20000, 'h')));
        QVERIFY(ft::writeBytes(lib + "/binary.txt", QByteArray("\x7f" "ELF\0\0\0\x02", 8)));
        QVERIFY(ft::writeBytes(lib + "/empty.md", ""));
        auto index = open(dir);
        IndexerOptions options;
        options.limits.maxFileBytes = 16 * 1024;
        auto report = Indexer(*index, options).add({lib});
        QVERIFY2(report.ok(), report.ok() ? "" : report.message().c_str());
        QCOMPARE(report->indexed, 2);
        QCOMPARE(report->skipped, 9);
        const IndexStatus st = index->status().value();
        QCOMPARE(reasonFor(st, "truncated.pdf"), QStringLiteral("corrupt"));
        QCOMPARE(reasonFor(st, "corrupt.pdf"), QStringLiteral("corrupt"));
        QCOMPARE(reasonFor(st, "encrypted.pdf"), QStringLiteral("encrypted"));
        QCOMPARE(reasonFor(st, "scan.pdf"), QStringLiteral("no text layer"));
        QCOMPARE(reasonFor(st, "bomb.docx"), QStringLiteral("zip bomb"));
        QCOMPARE(reasonFor(st, "laughs.docx"), QStringLiteral("xml entity bomb"));
        QCOMPARE(reasonFor(st, "huge.txt"), QStringLiteral("too large"));
        QCOMPARE(reasonFor(st, "binary.txt"), QStringLiteral("binary"));
        QCOMPARE(reasonFor(st, "empty.md"), QStringLiteral("no text"));
        QCOMPARE(st.pending, 0);
        QCOMPARE(int(index->keywordSearch("tapir", 10)->size()), 3);
        QCOMPARE(st.files, 11);
    }

    void changedFileAddsOnlyNewChunks() {
        QTemporaryDir dir;
        const QString file = dir.filePath("doc.md");
        const QString before = "# A\n\n" + paragraphs("first", 12) + "\n\n# B\n\n" + paragraphs("walnut", 12);
        QVERIFY(ft::writeBytes(file, before.toUtf8()));
        auto index = open(dir);
        Indexer indexer(*index, IndexerOptions{});
        auto first = indexer.add({file});
        QVERIFY(first.ok());
        const qint64 chunksBefore = index->status()->chunks;
        QVERIFY(chunksBefore >= 4);
        QSqlQuery q(index->database());
        QVERIFY(q.exec("SELECT min(id) FROM chunks"));
        QVERIFY(q.next());
        const qint64 firstChunkId = q.value(0).toLongLong();

        // Section B changes; section A's chunks stay as they are.
        const QString after = "# A\n\n" + paragraphs("first", 12) + "\n\n# B\n\n" + paragraphs("changed", 12);
        QVERIFY(ft::writeBytes(file, after.toUtf8()));
        auto second = indexer.add({file});
        QVERIFY(second.ok());
        QCOMPARE(second->indexed, 1);
        QVERIFY(second->chunksAdded > 0);
        QVERIFY2(second->chunksAdded < chunksBefore, qPrintable(QString::number(second->chunksAdded)));
        QVERIFY(q.exec("SELECT count(*) FROM chunks WHERE id = " + QString::number(firstChunkId)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);  // section A's first chunk kept its row
        QCOMPARE(int(index->keywordSearch("walnut", 5)->size()), 0);
        QVERIFY(!index->keywordSearch("changed", 5)->empty());

        // Same bytes, new mtime: nothing is re-chunked.
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
        f.close();
        auto third = indexer.add({file});
        QVERIFY(third.ok());
        QCOMPARE(third->unchanged, 1);
    }

    void vanishedFilesLeaveTheIndex() {
        QTemporaryDir dir;
        const QString lib = dir.filePath("lib");
        QVERIFY(QDir().mkpath(lib));
        QVERIFY(ft::writeBytes(lib + "/keep.txt", "okapi stays"));
        QVERIFY(ft::writeBytes(lib + "/gone.txt", "okapi leaves"));
        QVERIFY(ft::writeBytes(lib + "/bad.txt", QByteArray("\0\0\0", 3)));
        auto index = open(dir);
        Indexer indexer(*index, IndexerOptions{});
        QVERIFY(indexer.add({lib}).ok());
        QCOMPARE(int(index->keywordSearch("okapi", 5)->size()), 2);
        QVERIFY(QFile::remove(lib + "/gone.txt"));
        QVERIFY(QFile::remove(lib + "/bad.txt"));
        auto report = indexer.add({lib});
        QVERIFY(report.ok());
        QCOMPARE(report->removed, 2);
        QCOMPARE(int(index->keywordSearch("okapi", 5)->size()), 1);
        QVERIFY(index->status()->skipped.empty());
    }

    void pendingWorkIsResumed() {
        QTemporaryDir dir;
        QVERIFY(ft::writeBytes(dir.filePath("a.txt"), "ibex one"));
        QVERIFY(ft::writeBytes(dir.filePath("b.txt"), "ibex two"));
        auto index = open(dir);
        const QString a = QDir(dir.path()).canonicalPath() + "/a.txt", b = QDir(dir.path()).canonicalPath() + "/b.txt";
        // What a run killed after committing a.txt leaves behind.
        QVERIFY(index->addPending({a, b}).ok());
        QVERIFY(index->replaceDocument(a, {0, 8, QFileInfo(a).lastModified().toMSecsSinceEpoch(), "x"}, 0,
                                       {Chunk{"ibex one", 0, {}, {}, 2}}).ok());
        QCOMPARE(index->status()->pending, 1);
        auto report = Indexer(*index, IndexerOptions{}).add({dir.path()});
        QVERIFY(report.ok());
        QCOMPARE(report->unchanged, 1);  // a.txt is not parsed again
        QCOMPARE(report->indexed, 1);
        QCOMPARE(index->status()->pending, 0);
    }

    void missingRootIsAnError() {
        QTemporaryDir dir;
        auto index = open(dir);
        auto report = Indexer(*index, IndexerOptions{}).add({dir.filePath("nope")});
        QVERIFY(!report.ok());
        QVERIFY(QString::fromStdString(report.message()).contains("no such file or folder"));
    }
};

QTEST_MAIN(TstDocsIndexer)
#include "tst_docs_indexer.moc"
