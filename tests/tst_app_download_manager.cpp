// DownloadManager and facet-cli download against a local HTTP server: two
// jobs run at once and the rest queue, a sharded model registers once, jobs
// come back paused after a restart and resume from their .part files; the
// CLI resumes, verifies and refuses plain http off 127.0.0.1.
#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSslSocket>
#include <QTemporaryDir>

#include "support/download_test_util.h"
#include "support/test_http_server.h"
#include "support/test_paths.h"

using namespace facet::test;

class TstAppDownloadManager : public DownloadTestBase {
    Q_OBJECT

private slots:
    void init() { QVERIFY(setUpServer()); }
    void cleanup() { tearDown(); }

    void managerRunsTwoJobsAndQueuesThird() {
        for (const char* p : {"/a.gguf", "/b.gguf", "/c.gguf"}) server_->addFile(p, body_);
        server_->stallAfter("/a.gguf", 512 * 1024);  // held until released: both stay in flight
        server_->stallAfter("/b.gguf", 512 * 1024);
        DownloadManager m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const DownloadOptions o = fastOptions();
        m.setDownloadOptions(o);
        QSignalSpy ready(&m, &DownloadManager::modelReady);
        QList<int> ids;
        for (const char* n : {"a", "b", "c"}) {
            const QString file = QString("%1.gguf").arg(n);
            ids << m.enqueue(n, {fileEntry(server_->url("/" + file), dir_->filePath(file), body_)});
            QVERIFY2(ids.last() > 0, qPrintable(m.lastError()));
        }
        QCOMPARE(m.rowCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(role(m, ids[0], "receivedBytes").toLongLong() == 512 * 1024 &&
                                     role(m, ids[1], "receivedBytes").toLongLong() == 512 * 1024, kHangMs);
        QCOMPARE(m.jobState(ids[0]), QString("downloading"));
        QCOMPARE(m.jobState(ids[1]), QString("downloading"));
        QCOMPARE(m.jobState(ids[2]), QString("queued"));
        QCOMPARE(server_->requestsFor("/c.gguf").size(), 0);
        QCOMPARE(role(m, ids[0], "totalBytes").toLongLong(), body_.size());
        server_->releaseStalls();
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 3, kHangMs);
        for (int i = 0; i < 3; ++i) QCOMPARE(m.jobState(ids[i]), QString("done"));
        for (const char* f : {"a.gguf", "b.gguf", "c.gguf"}) QVERIFY(readAll(dir_->filePath(f)) == body_);
    }

    void shardedModelRegistersOnce() {
        const QByteArray shard2 = randomBody(2 * kMiB, 11);
        server_->addFile("/m-00001-of-00002.gguf", body_);
        server_->addFile("/m-00002-of-00002.gguf", shard2);
        server_->dropAfter("/m-00002-of-00002.gguf", 300 * 1024);  // a retry inside the job
        DownloadManager m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setDownloadOptions(fastOptions());
        QSignalSpy ready(&m, &DownloadManager::modelReady);
        const QString first = dir_->filePath("m/m-00001-of-00002.gguf");
        const int id = m.enqueue("M", {fileEntry(server_->url("/m-00001-of-00002.gguf"), first, body_),
                                       fileEntry(server_->url("/m-00002-of-00002.gguf"),
                                                 dir_->filePath("m/m-00002-of-00002.gguf"), shard2)});
        QVERIFY(id > 0);
        QCOMPARE(role(m, id, "fileCount").toInt(), 2);
        QCOMPARE(role(m, id, "totalBytes").toLongLong(), body_.size() + shard2.size());
        QTRY_COMPARE_WITH_TIMEOUT(m.jobState(id), QString("done"), kHangMs);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready[0][0].toString(), first);  // split GGUF: the engine opens the first part
        QCOMPARE(role(m, id, "receivedBytes").toLongLong(), body_.size() + shard2.size());
        QCOMPARE(role(m, id, "currentFile").toString(), QString("m-00002-of-00002.gguf"));
        QVERIFY(readAll(dir_->filePath("m/m-00002-of-00002.gguf")) == shard2);
        QCOMPARE(server_->requestsFor("/m-00002-of-00002.gguf").size(), 2);
    }

    void shardChecksumMismatchFailsJob() {
        server_->addFile("/s1.safetensors", body_);
        server_->addFile("/s2.safetensors", body_);
        DownloadManager m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setDownloadOptions(fastOptions());
        QSignalSpy ready(&m, &DownloadManager::modelReady);
        QSignalSpy failed(&m, &DownloadManager::jobFailed);
        QVariantMap bad = fileEntry(server_->url("/s2.safetensors"), dir_->filePath("s2.safetensors"), body_);
        bad["sha256"] = sha256Hex("other bytes");
        const int id = m.enqueue("S", {fileEntry(server_->url("/s1.safetensors"), dir_->filePath("s1.safetensors"), body_), bad});
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kHangMs);
        QCOMPARE(failed[0][0].toInt(), id);
        QCOMPARE(m.jobState(id), QString("failed"));
        QVERIFY2(role(m, id, "error").toString().contains("checksum mismatch"), qPrintable(role(m, id, "error").toString()));
        QCOMPARE(ready.size(), 0);  // nothing registered
        QVERIFY(!QFile::exists(dir_->filePath("s2.safetensors")));
        QVERIFY(!QFile::exists(dir_->filePath("s2.safetensors.part")));
    }

    void jobsComeBackPausedAfterRestart() {
        server_->addFile("/b.gguf", body_);
        server_->stallAfter("/model.bin", kMiB);
        server_->stallAfter("/b.gguf", 512 * 1024);
        const QString stateFile = dir_->filePath("state/downloads.json");
        const DownloadOptions o = fastOptions();
        int a = 0, b = 0;
        {
            DownloadManager m;
            m.setStateFile(stateFile);
            m.setDownloadOptions(o);
            a = m.enqueue("A", {fileEntry(server_->url("/model.bin"), dir_->filePath("a.bin"), body_)}, "tok");
            b = m.enqueue("B", {fileEntry(server_->url("/b.gguf"), dir_->filePath("b.gguf"), body_)});
            QTRY_VERIFY_WITH_TIMEOUT(role(m, a, "receivedBytes").toLongLong() == kMiB &&
                                         role(m, b, "receivedBytes").toLongLong() == 512 * 1024, kHangMs);
            m.pause(a);
            QCOMPARE(m.jobState(a), QString("paused"));
            QCOMPARE(QFileInfo(dir_->filePath("a.bin.part")).size(), kMiB);
        }  // the app quits with B still downloading
        QVERIFY(!readAll(stateFile).contains("tok"));  // the token is not written to disk
        DownloadManager m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setStateFile(stateFile);
        m.setDownloadOptions(o);
        m.setToken("tok");
        QVERIFY2(m.restore(), qPrintable(m.lastError()));
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.jobState(a), QString("paused"));
        QCOMPARE(m.jobState(b), QString("paused"));
        QCOMPARE(role(m, a, "receivedBytes").toLongLong(), kMiB);  // from the .part
        QCOMPARE(role(m, b, "receivedBytes").toLongLong(), 512 * 1024);
        QSignalSpy ready(&m, &DownloadManager::modelReady);
        m.resume(a);
        m.resume(b);
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, kHangMs);
        QCOMPARE(server_->requestsFor("/model.bin").last().rangeStart(), kMiB);
        QCOMPARE(server_->requestsFor("/model.bin").last().header("authorization"), QByteArray("Bearer tok"));
        QCOMPARE(server_->requestsFor("/b.gguf").last().rangeStart(), 512 * 1024);
        QVERIFY(readAll(dir_->filePath("a.bin")) == body_);
        QVERIFY(readAll(dir_->filePath("b.gguf")) == body_);
        const int next = m.enqueue("C", {fileEntry(server_->url("/model.bin"), dir_->filePath("c.bin"), body_)});
        QVERIFY(next > std::max(a, b));  // ids are not reused after a restore
    }

    void cancelAndRemoveForgetJob() {
        server_->stallAfter("/model.bin", kMiB);
        const QString stateFile = dir_->filePath("downloads.json");
        const DownloadOptions o = fastOptions();
        DownloadManager m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setStateFile(stateFile);
        m.setDownloadOptions(o);
        const int id = m.enqueue("A", {fileEntry(server_->url("/model.bin"), dir_->filePath("a.bin"), body_)});
        QTRY_COMPARE_WITH_TIMEOUT(role(m, id, "receivedBytes").toLongLong(), kMiB, kHangMs);
        m.cancel(id);
        QCOMPARE(m.jobState(id), QString("cancelled"));
        QVERIFY(!QFile::exists(dir_->filePath("a.bin.part")));
        m.remove(id);
        QCOMPARE(m.rowCount(), 0);
        DownloadManager again;
        again.setStateFile(stateFile);
        QVERIFY(again.restore());
        QCOMPARE(again.rowCount(), 0);
    }

    void enqueueRejectsBadInput_data() {
        QTest::addColumn<QVariantList>("files");
        QTest::addColumn<QString>("message");
        QTest::newRow("no files") << QVariantList{} << "no files";
        QTest::newRow("plain http") << QVariantList{QVariantMap{{"url", "http://example.com/m.gguf"}, {"path", "/tmp/x"}}}
                                    << "plain http";
        QTest::newRow("no path") << QVariantList{QVariantMap{{"url", "https://example.com/m.gguf"}}} << "no target path";
        QTest::newRow("bad sha256")
            << QVariantList{QVariantMap{{"url", "https://example.com/m.gguf"}, {"path", "/tmp/x"}, {"sha256", "xyz"}}}
            << "64 hex digits";
    }
    void enqueueRejectsBadInput() {
        QFETCH(QVariantList, files);
        QFETCH(QString, message);
        DownloadManager m;
        QCOMPARE(m.enqueue("bad", files), -1);
        QVERIFY2(m.lastError().contains(message), qPrintable(m.lastError()));
        QCOMPARE(m.rowCount(), 0);
    }

    // A second job for a file that a running or paused job writes is refused;
    // once that job is cancelled the file may be asked for again.
    void refusesTheSameFileTwice() {
        server_->stallAfter("/model.bin", kMiB);
        DownloadManager m;
        m.setDownloadOptions(fastOptions());
        const QVariantList files{fileEntry(server_->url("/model.bin"), dir_->filePath("same.bin"), body_)};
        const int first = m.enqueue("first", files);
        QVERIFY(first > 0);
        QCOMPARE(m.enqueue("second", files), -1);
        QVERIFY2(m.lastError().contains("already being downloaded"), qPrintable(m.lastError()));
        m.pause(first);
        QCOMPARE(m.enqueue("second", files), -1);
        m.cancel(first);
        server_->releaseStalls();
        QVERIFY(m.enqueue("third", files) > 0);
    }

    void restoreRejectsDamagedStateFile() {
        const QString stateFile = dir_->filePath("downloads.json");
        writeFile(stateFile, "{ not json");
        DownloadManager m;
        m.setStateFile(stateFile);
        QVERIFY(!m.restore());
        QVERIFY2(m.lastError().contains("downloads.json"), qPrintable(m.lastError()));
        QCOMPARE(m.rowCount(), 0);
    }


    void cliResumesAndVerifies() {
        const QString out = dir_->filePath("cli.bin");
        writeFile(out + ".part", body_.left(512 * 1024));
        server_->dropAfter("/model.bin", kMiB);
        const auto [code, err] = runCli({"--url", server_->url("/model.bin").toString(), "--out", out, "--sha256",
                                         sha256Hex(body_), "--retry-delay", "50", "--stall-timeout", "0"});
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY(readAll(out) == body_);
        QVERIFY(!QFile::exists(out + ".part"));
        const auto reqs = server_->requests();
        QCOMPARE(reqs.size(), 2);
        QCOMPARE(reqs[0].rangeStart(), 512 * 1024);
        QCOMPARE(reqs[1].rangeStart(), 512 * 1024 + kMiB);
        QVERIFY2(err.contains("retrying") && err.contains("%") && err.contains("sha256 verified"), qPrintable(err));
    }

    void cliChecksumMismatchLeavesNoFile() {
        const QString out = dir_->filePath("cli.bin");
        const auto [code, err] = runCli({"--url", server_->url("/model.bin").toString(), "--out", out, "--sha256",
                                         sha256Hex("other")});
        QVERIFY(code != 0);
        QVERIFY2(err.contains("checksum mismatch"), qPrintable(err));
        QVERIFY(!QFile::exists(out));
        QVERIFY(!QFile::exists(out + ".part"));
    }

    void cliRejectsBadArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("plain http to another host")
            << QStringList{"--url", "http://example.com/m.gguf", "--out", "OUT"} << "plain http is refused";
        QTest::newRow("bad sha256") << QStringList{"--url", "https://example.com/m.gguf", "--out", "OUT", "--sha256", "abc"}
                                    << "64 hex digits";
        QTest::newRow("no --out") << QStringList{"--url", "https://example.com/m.gguf"} << "--out is required";
    }
    void cliRejectsBadArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString out = dir_->filePath("cli.bin");
        args.replaceInStrings("OUT", out);
        const auto [code, err] = runCli(args);
        QVERIFY(code != 0);
        QVERIFY2(err.contains(message), qPrintable(err));
        QCOMPARE(err.trimmed().count('\n'), 0);  // one line
        QVERIFY(!QFile::exists(out));
    }

private:
    // facet-cli runs while this process's event loop serves it, so no blocking waits here.
    std::pair<int, QString> runCli(const QStringList& args) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("HF_TOKEN");
        p.setProcessEnvironment(env);
        QSignalSpy done(&p, &QProcess::finished);
        p.start(facet::test::cliPath(), QStringList{"download"} + args);
        if (!p.waitForStarted(kHangMs)) return {-1, "facet-cli did not start: " + p.errorString()};
        if (!QTest::qWaitFor([&] { return done.count() > 0; }, kHangMs)) {
            p.kill();
            p.waitForFinished(kHangMs);
            return {-1, "facet-cli timed out"};
        }
        const int code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return {code, QString::fromUtf8(p.readAllStandardError())};
    }
};

QTEST_GUILESS_MAIN(TstAppDownloadManager)
#include "tst_app_download_manager.moc"
