// The `facet-cli docs` contract other tools rely on: add (progress on stderr,
// exit 0 with skipped files), search --json (one array, best first, the exact
// keys), status --json, remove, and one-line errors with a non-zero exit.
// The CLI runs without a display (the ctest environment sets no DISPLAY).
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/docs_fixtures.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

namespace ft = facet::test;

namespace {

// Without a display: `docs add` must pick the offscreen platform itself.
ft::ProcessOutcome runCli(const QStringList& args) { return ft::runProgram(ft::cliPath(), args, {}, ft::headlessEnvironment()); }



QJsonDocument parseJson(const QString& text) {
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) qWarning("bad JSON: %s in %s", qPrintable(error.errorString()), qPrintable(text));
    return doc;
}

}  // namespace

class TstDocsCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString lib_, db_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        lib_ = QDir(dir_.path()).canonicalPath() + "/lib";
        db_ = dir_.filePath("docs.sqlite");
        QVERIFY(QDir().mkpath(lib_));
        QVERIFY(ft::writeTextPdf(lib_ + "/manual.pdf", {"Introduction to the armadillo", "Feeding the armadillo beetles"}));
        QVERIFY(ft::writeBytes(lib_ + "/labels.pdf",
                               ft::handMadePdf({"roman", "armadillo armadillo armadillo habitat"}, "<< /Nums [0 << /S /r >>] >>")));
        QVERIFY(ft::writeBytes(lib_ + "/guide.md", "# Care\n## Diet\nThe armadillo eats insects.\n"));
        QVERIFY(ft::writeBytes(lib_ + "/broken.pdf", "%PDF-1.4 broken"));
    }

    void addIndexesAndReportsSkips() {
        const ft::ProcessOutcome o = runCli({"docs", "add", "--db", db_, lib_});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QVERIFY2(o.err.contains("[4/4]"), qPrintable(o.err));  // progress on stderr
        QVERIFY2(o.err.contains("broken.pdf: corrupt"), qPrintable(o.err));
        QVERIFY(o.out.isEmpty());
    }

    void searchJsonContract() {
        const ft::ProcessOutcome o = runCli({"docs", "search", "--db", db_, "--query", "armadillo", "--mode", "keyword", "--json"});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const QJsonDocument doc = parseJson(o.out);
        QVERIFY(doc.isArray());
        const QJsonArray hits = doc.array();
        QCOMPARE(hits.size(), 4);  // two PDF pages, the label page, the Markdown section
        double last = 1e300;
        for (const QJsonValue& v : hits) {
            const QJsonObject h = v.toObject();
            QCOMPARE(h.keys(), (QStringList{"page", "page_label", "path", "score", "section", "text"}));
            QVERIFY(h["score"].isDouble());
            QVERIFY(h["score"].toDouble() <= last);  // best first
            last = h["score"].toDouble();
            QVERIFY(QDir::isAbsolutePath(h["path"].toString()));
            QVERIFY(h["text"].toString().contains("armadillo", Qt::CaseInsensitive));
        }
        const QJsonObject best = hits[0].toObject();  // three mentions win
        QCOMPARE(best["path"].toString(), lib_ + "/labels.pdf");
        QCOMPARE(best["page"].toInt(), 2);
        QCOMPARE(best["page_label"].toString(), QStringLiteral("ii"));
        QVERIFY(best["section"].isNull());
        for (const QJsonValue& v : hits) {
            const QJsonObject h = v.toObject();
            if (h["path"].toString().endsWith("guide.md")) {
                QVERIFY(h["page"].isNull());
                QVERIFY(h["page_label"].isNull());
                QCOMPARE(h["section"].toString(), QStringLiteral("Care > Diet"));
            }
        }
    }

    void searchDefaultsAndLimits() {
        const ft::ProcessOutcome two = runCli({"docs", "search", "--db", db_, "--query", "armadillo", "-k", "2", "--json"});
        QVERIFY2(two.exitCode == 0, qPrintable(two.err));
        QCOMPARE(parseJson(two.out).array().size(), 2);
        // Default hybrid works before any embedding exists; -k defaults to 5.
        const ft::ProcessOutcome none = runCli({"docs", "search", "--db", db_, "--query", "\"AND( NEAR", "--json"});
        QVERIFY2(none.exitCode == 0, qPrintable(none.err));
        QCOMPARE(parseJson(none.out).array().size(), 0);
        const ft::ProcessOutcome text = runCli({"docs", "search", "--db", db_, "--query", "beetles"});
        QVERIFY2(text.exitCode == 0 && text.out.contains("manual.pdf p. 2"), qPrintable(text.out + text.err));
    }

    void statusJsonContract() {
        const ft::ProcessOutcome o = runCli({"docs", "status", "--db", db_, "--json"});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const QJsonObject st = parseJson(o.out).object();
        QCOMPARE(st.keys(), (QStringList{"chunks", "embedded", "files", "indexed", "pending", "skipped"}));
        QCOMPARE(st["files"].toInt(), 4);
        QCOMPARE(st["indexed"].toInt(), 3);
        QCOMPARE(st["chunks"].toInt(), 5);  // 2 + 2 PDF pages, 1 Markdown section
        QCOMPARE(st["embedded"].toInt(), 0);
        QCOMPARE(st["pending"].toInt(), 0);
        const QJsonArray skipped = st["skipped"].toArray();
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped[0].toObject()["path"].toString(), lib_ + "/broken.pdf");
        QVERIFY(skipped[0].toObject()["reason"].toString().startsWith("corrupt"));
    }

    void removeDropsFiles() {
        const ft::ProcessOutcome o = runCli({"docs", "remove", "--db", db_, lib_ + "/manual.pdf"});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const ft::ProcessOutcome s = runCli({"docs", "search", "--db", db_, "--query", "beetles", "--json"});
        QCOMPARE(parseJson(s.out).array().size(), 0);
        ft::expectOneLineError(runCli({"docs", "remove", "--db", db_, lib_ + "/manual.pdf"}), "not in the index");
    }

    void embeddingsWithAModel() {
        const QString model = ft::dataFile("embedding/embgemma-like.s11.gguf");
        const QString db = dir_.filePath("embedded.sqlite");
        const ft::ProcessOutcome add = runCli({"docs", "add", "--db", db, "--embed-model", model, lib_ + "/guide.md", lib_ + "/labels.pdf"});
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        QVERIFY2(add.err.contains("embeddings/s"), qPrintable(add.err));
        const QJsonObject st = parseJson(runCli({"docs", "status", "--db", db, "--json"}).out).object();
        QCOMPARE(st["chunks"].toInt(), 3);
        QCOMPARE(st["embedded"].toInt(), 3);
        for (const char* mode : {"semantic", "hybrid"}) {
            const ft::ProcessOutcome o = runCli({"docs", "search", "--db", db, "--query", "armadillo", "-k", "2", "--mode", mode, "--json"});
            QVERIFY2(o.exitCode == 0, qPrintable(o.err));
            const QJsonArray hits = parseJson(o.out).array();
            QCOMPARE(hits.size(), 2);
            QVERIFY(hits[0].toObject()["score"].toDouble() >= hits[1].toObject()["score"].toDouble());
        }
        ft::expectOneLineError(runCli({"docs", "add", "--db", db, "--embed-model", dir_.filePath("none.gguf"), lib_}),
                           "--embed-model");
    }

    // Wherever the kill lands (before the first commit, mid-run or after the
    // end), the next add finishes the job with nothing lost or doubled.
    void killedAddResumes() {
        const QString big = dir_.filePath("many");
        QVERIFY(QDir().mkpath(big));
        for (int i = 0; i < 40; ++i)
            QVERIFY(ft::writeBytes(big + QStringLiteral("/f%1.md").arg(i, 2, 10, QLatin1Char('0')),
                                   QStringLiteral("# File %1\nkinkajou note %1\n").arg(i).toUtf8()));
        const QString db = dir_.filePath("killed.sqlite");
        QProcess p;
        p.start(ft::cliPath(), {"docs", "add", "--db", db, big});
        QVERIFY(p.waitForStarted(ft::kHangMs));
        p.waitForReadyRead(ft::kHangMs);  // the first progress line
        p.kill();
        p.waitForFinished(ft::kHangMs);
        const ft::ProcessOutcome resumed = runCli({"docs", "add", "--db", db, big});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        const QJsonObject st = parseJson(runCli({"docs", "status", "--db", db, "--json"}).out).object();
        QCOMPARE(st["indexed"].toInt(), 40);
        QCOMPARE(st["chunks"].toInt(), 40);
        QCOMPARE(st["pending"].toInt(), 0);
        const ft::ProcessOutcome hits = runCli({"docs", "search", "--db", db, "--query", "kinkajou", "-k", "100", "--json"});
        QCOMPARE(parseJson(hits.out).array().size(), 40);
    }

    void errorsAreOneLine() {
        ft::expectOneLineError(runCli({"docs", "search", "--db", db_}), "--query");
        ft::expectOneLineError(runCli({"docs", "search", "--db", dir_.filePath("none.sqlite"), "--query", "x"}), "no such index");
        ft::expectOneLineError(runCli({"docs", "search", "--db", db_, "--query", "x", "--mode", "fuzzy"}), "--mode");
        ft::expectOneLineError(runCli({"docs", "search", "--db", db_, "--query", "x", "--mode", "semantic"}), "no embeddings");
        ft::expectOneLineError(runCli({"docs", "search", "--db", db_, "--query", "x", "-k", "0"}), "-k");
        ft::expectOneLineError(runCli({"docs", "add", "--db", db_}), "no PATH");
        ft::expectOneLineError(runCli({"docs", "add", "--db", db_, dir_.filePath("missing")}), "no such file or folder");
        ft::expectOneLineError(runCli({"docs", "add", "--db", dir_.filePath("no/dir/x.sqlite"), lib_}), "does not exist");
        ft::expectOneLineError(runCli({"docs", "status"}), "--db");
        ft::expectOneLineError(runCli({"docs", "frobnicate"}), "unknown action");
        QVERIFY(ft::writeBytes(dir_.filePath("notdb.sqlite"), QByteArray(4096, 'x')));
        ft::expectOneLineError(runCli({"docs", "status", "--db", dir_.filePath("notdb.sqlite")}), "notdb.sqlite");
    }
};

QTEST_MAIN(TstDocsCli)
#include "tst_docs_cli.moc"
