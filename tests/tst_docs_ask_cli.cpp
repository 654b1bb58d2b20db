// The `facet-cli docs ask` contract: the answer streams to stdout, then the
// numbered sources in rank order, one per line ("[1] /abs/path, page P
// (label L), section "S""); no match gives an empty, labelled sources list;
// every failure is one stderr line with a non-zero exit. The chat model is
// random-weight (its answers are gibberish), so only the structure is checked.
// tests/data/e2b-like.gguf has no chat control tokens, so facet-mkmodel
// writes a chat-capable one.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/docs_fixtures.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

namespace ft = facet::test;

namespace {

ft::ProcessOutcome runCli(const QStringList& args) { return ft::runProgram(ft::cliPath(), args, {}, ft::headlessEnvironment()); }

// The lines after the last "Sources:" heading (the answer before it is free text).
QStringList sourcesSection(const QString& out, QString* heading) {
    const qsizetype at = out.lastIndexOf("\nSources:");
    if (at < 0) return {};
    QStringList lines = out.mid(at + 1).split('\n', Qt::SkipEmptyParts);
    *heading = lines.takeFirst();
    return lines;
}

}  // namespace

class TstDocsAskCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString lib_, db_, model_;

    ft::ProcessOutcome ask(const QStringList& extra) {
        // 16 answer tokens: the random model's answer is gibberish, only its frame is checked.
        return runCli(QStringList{"docs", "ask", "--db", db_, "--model", model_, "--backend", "cpu", "-n", "16"} + extra);
    }

    // A failure prints nothing on stdout besides the one stderr line.
    static void expectOneLineError(const ft::ProcessOutcome& o, const QString& needle) {
        ft::expectOneLineError(o, needle);
        QVERIFY2(o.out.isEmpty(), qPrintable(o.out));
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        lib_ = QDir(dir_.path()).canonicalPath() + "/lib";
        db_ = dir_.filePath("docs.sqlite");
        model_ = dir_.filePath("chat.gguf");
        QVERIFY(QDir().mkpath(lib_));
        // Fewer mentions of "zebra" in each file down the list: BM25 ranks them in this order.
        QVERIFY(ft::writeBytes(lib_ + "/labels.pdf",
                               ft::handMadePdf({"roman", "zebra zebra zebra zebra habitat"}, "<< /Nums [0 << /S /r >>] >>")));
        QVERIFY(ft::writeBytes(lib_ + "/zebra.txt", "zebra zebra zebra stripes on the savanna.\n"));
        QVERIFY(ft::writeBytes(lib_ + "/herd.md", "# Herds\n## Grazing\nA zebra herd grazes at dawn while another zebra watches.\n"));
        QVERIFY(ft::writeBytes(lib_ + "/notes.txt",
                               "One zebra was seen near the river, among many other animals, birds and plants of the valley.\n"));
        QVERIFY(ft::writeBytes(lib_ + "/other.txt", "Nothing about that animal.\n"));
        const ft::ProcessOutcome add = runCli({"docs", "add", "--db", db_, lib_});
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        const ft::ProcessOutcome mk = ft::runProgram(ft::mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model_});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    }

    void listsSourcesInRankOrder() {
        const ft::ProcessOutcome o = ask({"--query", "zebra"});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QString heading;
        const QStringList sources = sourcesSection(o.out, &heading);
        QCOMPARE(heading, QStringLiteral("Sources:"));
        const QStringList expected = {
            "[1] " + lib_ + "/labels.pdf, page 2 (label ii)",
            "[2] " + lib_ + "/zebra.txt",
            "[3] " + lib_ + "/herd.md, section \"Herds > Grazing\"",
            "[4] " + lib_ + "/notes.txt",
        };
        QCOMPARE(sources, expected);
    }

    void kLimitsThePassages() {
        const ft::ProcessOutcome o = ask({"--query", "zebra", "-k", "2"});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QString heading;
        const QStringList sources = sourcesSection(o.out, &heading);
        QCOMPARE(sources.size(), 2);
        QVERIFY(sources[0].startsWith("[1] " + lib_ + "/labels.pdf"));
        QVERIFY(sources[1].startsWith("[2] " + lib_ + "/zebra.txt"));
    }

    void noMatchSaysSo() {
        const ft::ProcessOutcome o = ask({"--query", "xylophone"});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QString heading;
        const QStringList sources = sourcesSection(o.out, &heading);
        QVERIFY(sources.isEmpty());
        QVERIFY2(heading.startsWith("Sources: none"), qPrintable(o.out));
    }

    void failuresAreOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        QTest::newRow("no --db") << QStringList{"docs", "ask", "--model", "m.gguf", "--query", "q"} << "--db";
        QTest::newRow("no --model") << QStringList{"docs", "ask", "--db", "x.sqlite", "--query", "q"} << "--model";
        QTest::newRow("no --query") << QStringList{"docs", "ask", "--db", "x.sqlite", "--model", "m.gguf"} << "--query";
        QTest::newRow("bad -k") << QStringList{"docs", "ask", "--db", "x", "--model", "m", "--query", "q", "-k", "0"} << "-k";
        QTest::newRow("unknown option") << QStringList{"docs", "ask", "--db", "x", "--model", "m", "--query", "q", "--bogus"}
                                        << "--bogus";
    }

    void failuresAreOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        expectOneLineError(runCli(args), needle);
    }

    void missingIndexIsOneLine() {
        const QString missing = dir_.filePath("missing.sqlite");
        expectOneLineError(runCli({"docs", "ask", "--db", missing, "--model", model_, "--query", "zebra"}),
                           "no such index");
    }

    void unreadableModelIsOneLine() {
        const QString junk = dir_.filePath("junk.gguf");
        QVERIFY(ft::writeBytes(junk, "not a model"));
        const ft::ProcessOutcome o = runCli({"docs", "ask", "--db", db_, "--model", junk, "--query", "zebra"});
        expectOneLineError(o, "junk.gguf");
    }
};

QTEST_GUILESS_MAIN(TstDocsAskCli)
#include "tst_docs_ask_cli.moc"
