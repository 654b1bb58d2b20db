// FileDownload against a local HTTP server (tests/support/test_http_server):
// it resumes at the right byte after a drop, a stall or a restart, follows
// redirects without leaking the token to another host, and refuses insecure
// URLs, 404s, bad checksums (nothing left behind), a full disk and an
// existing file.
#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>

#include "support/download_test_util.h"
#include "support/test_http_server.h"
#include "support/test_paths.h"

using namespace facet::test;

class TstAppFileDownload : public DownloadTestBase {
    Q_OBJECT

private slots:
    void init() { QVERIFY(setUpServer()); }
    void cleanup() { tearDown(); }


    void downloadsWholeFile() {
        const DownloadOptions o = fastOptions(sha256Hex(body_));
        const QString path = dir_->filePath("sub/model.bin");  // folders are created
        FileDownload fd(server_->url("/model.bin"), path, o);
        QSignalSpy progress(&fd, &FileDownload::progress);
        RUN_OK(fd);
        QCOMPARE(fd.state(), FileDownload::State::Done);
        QVERIFY(readAll(path) == body_);
        QVERIFY(!QFile::exists(path + ".part"));
        QCOMPARE(server_->requests().size(), 1);
        QVERIFY(server_->requests()[0].header("range").isEmpty());
        QCOMPARE(server_->requests()[0].header("accept-encoding"), QByteArray("identity"));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), body_.size());
        QCOMPARE(progress.last().at(1).toLongLong(), body_.size());
        QCOMPARE(fd.actualSha256(), sha256Hex(body_));
        QCOMPARE(fd.attempts(), 1);
    }

    void resumesAfterDroppedConnection() {
        server_->dropAfter("/model.bin", kMiB);
        FileDownload fd(server_->url("/model.bin"), dir_->filePath("m.bin"), fastOptions());
        QSignalSpy retrying(&fd, &FileDownload::retrying);
        RUN_OK(fd);
        const auto reqs = server_->requestsFor("/model.bin");
        QCOMPARE(reqs.size(), 2);
        QCOMPARE(reqs[0].bodyBytesSent, kMiB);
        QCOMPARE(reqs[1].rangeStart(), kMiB);  // picked up exactly where the drop left it
        QCOMPARE(reqs[1].status, 206);
        QCOMPARE(fd.lastRangeStart(), kMiB);
        QCOMPARE(fd.attempts(), 2);
        QCOMPARE(retrying.size(), 1);
        QVERIFY(readAll(dir_->filePath("m.bin")) == body_);
    }

    void resumesFromPartAfterRestart() {
        const QString path = dir_->filePath("m.bin");
        writeFile(path + ".part", body_.left(1536 * 1024));  // what an earlier run left
        const DownloadOptions o = fastOptions(sha256Hex(body_));
        FileDownload fd(server_->url("/model.bin"), path, o);
        RUN_OK(fd);
        QCOMPARE(server_->requests().size(), 1);
        QCOMPARE(server_->requests()[0].rangeStart(), 1536 * 1024);
        QVERIFY(readAll(path) == body_);
    }

    void restartsWhenServerIgnoresRange() {
        const QString path = dir_->filePath("m.bin");
        writeFile(path + ".part", QByteArray(kMiB, 'x'));  // garbage: must not survive
        server_->setIgnoreRange("/model.bin", true);
        const DownloadOptions o = fastOptions(sha256Hex(body_));
        FileDownload fd(server_->url("/model.bin"), path, o);
        RUN_OK(fd);
        QCOMPARE(server_->requests()[0].rangeStart(), kMiB);
        QCOMPARE(server_->requests()[0].status, 200);
        QVERIFY(readAll(path) == body_);
    }

    void followsRedirectWithToken() {
        server_->addRedirect("/resolve/model.bin", "/cdn/model.bin");
        server_->addFile("/cdn/model.bin", body_);
        DownloadOptions o = fastOptions();
        o.token = "hf_secret";
        FileDownload fd(server_->url("/resolve/model.bin"), dir_->filePath("m.bin"), o);
        RUN_OK(fd);
        const auto& reqs = server_->requests();
        QCOMPARE(reqs.size(), 2);
        QCOMPARE(reqs[0].path, QByteArray("/resolve/model.bin"));
        QCOMPARE(reqs[0].status, 302);
        QCOMPARE(reqs[1].path, QByteArray("/cdn/model.bin"));
        QCOMPARE(reqs[0].header("authorization"), QByteArray("Bearer hf_secret"));
        QCOMPARE(reqs[1].header("authorization"), QByteArray("Bearer hf_secret"));  // same host
        QVERIFY(readAll(dir_->filePath("m.bin")) == body_);
    }

    void tokenNeverSentToRedirectHost() {
        // "localhost" and "127.0.0.1" are different hosts by name: the CDN case.
        const QByteArray cdn = "http://localhost:" + QByteArray::number(server_->port()) + "/cdn/model.bin";
        server_->addRedirect("/resolve/model.bin", cdn);
        server_->addFile("/cdn/model.bin", body_);
        DownloadOptions o = fastOptions();
        o.token = "hf_secret";
        FileDownload fd(server_->url("/resolve/model.bin"), dir_->filePath("m.bin"), o);
        RUN_OK(fd);
        const auto& reqs = server_->requests();
        QCOMPARE(reqs.size(), 2);
        QCOMPARE(reqs[0].header("authorization"), QByteArray("Bearer hf_secret"));
        QVERIFY(reqs[1].header("host").startsWith("localhost:"));
        QVERIFY(!reqs[1].headers.contains("authorization"));
    }

    void refusesInsecureRedirect() {
        server_->addRedirect("/model.gguf", "http://example.com/model.gguf");
        FileDownload fd(server_->url("/model.gguf"), dir_->filePath("m.gguf"), fastOptions());
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("refused redirect") && error.contains("plain http"), qPrintable(error));
        QCOMPARE(server_->requests().size(), 1);
        QVERIFY(!QFile::exists(dir_->filePath("m.gguf")));
    }

    void stopsRedirectLoop() {
        server_->addRedirect("/loop", "/loop", 307);
        DownloadOptions o = fastOptions();
        o.maxRedirects = 3;
        FileDownload fd(server_->url("/loop"), dir_->filePath("m.bin"), o);
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("too many redirects"), qPrintable(error));
        QCOMPARE(server_->requests().size(), 4);  // the first plus 3 followed
    }

    void failsAt404WithoutRetrying() {
        FileDownload fd(server_->url("/missing.gguf"), dir_->filePath("m.gguf"), fastOptions());
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("HTTP 404 Not Found") && error.contains("/missing.gguf"), qPrintable(error));
        QCOMPARE(server_->requests().size(), 1);
        QCOMPARE(fd.state(), FileDownload::State::Failed);
        QVERIFY(!QFile::exists(dir_->filePath("m.gguf")));
    }

    void handlesRangeNotSatisfiable_data() {
        QTest::addColumn<QByteArray>("part");
        QTest::addColumn<int>("requests");
        QTest::newRow("part holds the whole file: verified, not fetched") << body_ << 1;
        QTest::newRow("part longer than the file: discarded, fetched again") << body_ + "junk" << 2;
    }
    void handlesRangeNotSatisfiable() {
        QFETCH(QByteArray, part);
        QFETCH(int, requests);
        const QString path = dir_->filePath("m.bin");
        writeFile(path + ".part", part);
        const DownloadOptions o = fastOptions(sha256Hex(body_));
        FileDownload fd(server_->url("/model.bin"), path, o);
        RUN_OK(fd);
        const auto& reqs = server_->requests();
        QCOMPARE(reqs.size(), requests);
        QCOMPARE(reqs[0].status, 416);
        if (requests == 2) QCOMPARE(reqs[1].rangeStart(), -1);
        QVERIFY(readAll(path) == body_);
    }

    void rejectsChecksumMismatch() {
        const DownloadOptions o = fastOptions(sha256Hex("something else"));
        const QString path = dir_->filePath("m.bin");
        FileDownload fd(server_->url("/model.bin"), path, o);
        QSignalSpy verifying(&fd, &FileDownload::verifyProgress);
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("checksum mismatch") && error.contains(o.expectedSha256) &&
                     error.contains(sha256Hex(body_)),
                 qPrintable(error));
        QVERIFY(!verifying.isEmpty());
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + ".part"));  // bad bytes are never resumed from
        QCOMPARE(fd.state(), FileDownload::State::Failed);
    }

    // The server holds the transfer after 1 MiB; the stall watch's clock
    // moves only when the test moves it: no stall while bytes flow, one
    // once the clock passes the stall time, then a resume from 1 MiB.
    void retriesAfterStall() {
        server_->stallAfter("/model.bin", kMiB);
        ManualClock clock;
        DownloadOptions o = fastOptions();
        o.stallTimeoutMs = 300;
        o.clockMs = clock.reader();
        FileDownload fd(server_->url("/model.bin"), dir_->filePath("m.bin"), o);
        QSignalSpy retrying(&fd, &FileDownload::retrying);
        QSignalSpy finished(&fd, &FileDownload::finished);
        fd.start();
        QTRY_COMPARE_WITH_TIMEOUT(fd.receivedBytes(), kMiB, kHangMs);
        clock.advance(299);
        QCOMPARE(retrying.size(), 0);
        QCOMPARE(fd.attempts(), 1);
        clock.advance(1);  // 300 ms without a byte: stalled
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kHangMs);
        QVERIFY2(finished[0][0].toBool(), qPrintable(finished[0][1].toString()));
        QCOMPARE(retrying.size(), 1);
        QVERIFY2(retrying[0][2].toString().contains("stalled"), qPrintable(retrying[0][2].toString()));
        const auto reqs = server_->requests();
        QCOMPARE(reqs.size(), 2);
        QCOMPARE(reqs[1].rangeStart(), kMiB);
        QVERIFY(readAll(dir_->filePath("m.bin")) == body_);
    }

    void givesUpAfterMaxRetries() {
        server_->dropAfter("/model.bin", 0, 100);  // headers, then nothing: no progress ever
        DownloadOptions o = fastOptions();
        o.maxRetries = 3;
        FileDownload fd(server_->url("/model.bin"), dir_->filePath("m.bin"), o);
        QSignalSpy retrying(&fd, &FileDownload::retrying);
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("gave up after 4 attempts"), qPrintable(error));
        QCOMPARE(server_->requests().size(), 4);
        QCOMPARE(retrying.size(), 3);
        QCOMPARE(retrying[0][1].toInt(), 50);  // back-off doubles from the base delay ...
        QCOMPARE(retrying[1][1].toInt(), 100);
        QCOMPARE(retrying[2][1].toInt(), 200);  // ... up to the cap
        QVERIFY(!QFile::exists(dir_->filePath("m.bin.part")));  // nothing received: no empty .part left
        QVERIFY(!QFile::exists(dir_->filePath("m.bin")));
    }

    void pauseKeepsPartAndResumes() {
        server_->stallAfter("/model.bin", kMiB);
        const DownloadOptions o = fastOptions();
        const QString path = dir_->filePath("m.bin");
        FileDownload fd(server_->url("/model.bin"), path, o);
        fd.start();
        QTRY_COMPARE_WITH_TIMEOUT(fd.receivedBytes(), kMiB, kHangMs);
        fd.pause();
        QCOMPARE(fd.state(), FileDownload::State::Paused);
        QCOMPARE(QFileInfo(path + ".part").size(), kMiB);
        RUN_OK(fd);
        QCOMPARE(server_->requests().size(), 2);
        QCOMPARE(server_->requests()[1].rangeStart(), kMiB);
        QVERIFY(readAll(path) == body_);
    }

    void cancelRemovesPart() {
        server_->stallAfter("/model.bin", kMiB);
        const DownloadOptions o = fastOptions();
        const QString path = dir_->filePath("m.bin");
        FileDownload fd(server_->url("/model.bin"), path, o);
        QSignalSpy finished(&fd, &FileDownload::finished);
        fd.start();
        QTRY_COMPARE_WITH_TIMEOUT(fd.receivedBytes(), kMiB, kHangMs);
        fd.cancel();
        QCOMPARE(fd.state(), FileDownload::State::Cancelled);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished[0][0].toBool(), false);
        QVERIFY(!QFile::exists(path + ".part"));
        QVERIFY(!QFile::exists(path));
    }

    void refusesWithoutDiskSpace() {
        DownloadOptions o = fastOptions();
        o.expectedSize = qint64(1) << 60;  // an exabyte: no disk has it
        FileDownload fd(server_->url("/model.bin"), dir_->filePath("m.bin"), o);
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("not enough disk space") && error.contains("available"), qPrintable(error));
        QCOMPARE(server_->requests().size(), 0);  // refused before asking
    }

    void refusesBadUrls_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("plain http to another host") << "http://example.com/m.gguf" << "plain http is refused";
        QTest::newRow("ftp") << "ftp://127.0.0.1/m.gguf" << "unsupported URL scheme";
        QTest::newRow("no host") << "https:///m.gguf" << "not a valid download URL";
        QTest::newRow("empty") << "" << "not a valid download URL";
    }
    void refusesBadUrls() {
        QFETCH(QString, url);
        QFETCH(QString, message);
        FileDownload fd(QUrl(url), dir_->filePath("m.gguf"), fastOptions());
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(!error.contains('\n'));
    }

    void tlsBackendAvailable() {  // every real download is https: without a TLS plugin none would work
        QVERIFY2(QSslSocket::supportsSsl(), qPrintable(QSslSocket::availableBackends().join(", ")));
    }

    // A server whose certificate nothing trusts (self-signed, tests/data/tls):
    // the transfer stops at the handshake, is not retried, and leaves nothing.
    void refusesUntrustedCertificate() {
        QFile crt(dataFile("tls/selfsigned.crt")), key(dataFile("tls/selfsigned.key"));
        QVERIFY(crt.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificate(QSslCertificate(crt.readAll()));
        conf.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
        QVERIFY(!conf.localCertificate().isNull() && !conf.privateKey().isNull());
        QSslServer tls;
        tls.setSslConfiguration(conf);
        QVERIFY(tls.listen(QHostAddress::LocalHost));
        const QString path = dir_->filePath("untrusted.bin");
        FileDownload fd(QUrl(QString("https://127.0.0.1:%1/model.bin").arg(tls.serverPort())), path, fastOptions());
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("certificate", Qt::CaseInsensitive) || error.contains("SSL", Qt::CaseInsensitive),
                 qPrintable(error));
        qInfo("%s", qPrintable(error));
        QCOMPARE(fd.attempts(), 1);
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + ".part"));
    }

    void refusesToOverwriteExistingFile() {
        const QString path = dir_->filePath("m.bin");
        writeFile(path, "mine");
        FileDownload fd(server_->url("/model.bin"), path, fastOptions());
        const auto [ok, error] = run(fd);
        QVERIFY(!ok);
        QVERIFY2(error.contains("already exists"), qPrintable(error));
        QCOMPARE(readAll(path), QByteArray("mine"));
        QCOMPARE(server_->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TstAppFileDownload)
#include "tst_app_file_download.moc"
