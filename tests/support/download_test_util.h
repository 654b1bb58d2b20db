// Shared by the download tests: random bodies, checksums, fast retry
// options, running a FileDownload to its end, and job roles by name.
#pragma once

#include <functional>
#include <memory>

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "download_manager.h"
#include "file_download.h"
#include "support/hang_guard.h"
#include "support/test_http_server.h"

namespace facet::test {


constexpr qint64 kMiB = 1 << 20;

inline QByteArray randomBody(qint64 size, quint32 seed) {
    QByteArray b(size, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    rng.fillRange(reinterpret_cast<quint32*>(b.data()), size / 4);
    return b;
}

inline QString sha256Hex(const QByteArray& b) {
    return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
}

inline QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The stall watch's clock in the tests that check stalls: it moves only when
// the test moves it, so a stall happens when the test says, never because
// a busy machine was slow to deliver bytes.
class ManualClock {
public:
    std::function<qint64()> reader() const {
        return [ms = ms_] { return *ms; };
    }
    void advance(qint64 ms) { *ms_ += ms; }

private:
    std::shared_ptr<qint64> ms_ = std::make_shared<qint64>(0);
};

// Short back-off so faults cost milliseconds, not the 1 s default; no stall
// watch (a test that checks stalls sets one with a ManualClock).
inline DownloadOptions fastOptions(const QString& sha256 = {}) {
    DownloadOptions o;
    o.stallTimeoutMs = 0;
    o.maxRetries = 5;
    o.retryBaseDelayMs = 50;
    o.retryMaxDelayMs = 200;
    o.expectedSha256 = sha256;
    return o;
}

// Runs `fd` to its finished() signal; returns {ok, error}.
inline std::pair<bool, QString> run(FileDownload& fd) {
    QSignalSpy spy(&fd, &FileDownload::finished);
    fd.start();
    if (!QTest::qWaitFor([&] { return spy.count() > 0; }, kHangMs)) return {false, "timed out"};
    return {spy.first().at(0).toBool(), spy.first().at(1).toString()};
}
#define RUN_OK(fd)                                    \
    do {                                              \
        const auto [ok_, error_] = run(fd);           \
        QVERIFY2(ok_, qPrintable(error_));            \
    } while (false)

inline QVariantMap fileEntry(const QUrl& url, const QString& path, const QByteArray& body, bool withSha = true) {
    QVariantMap m{{"url", url.toString()}, {"path", path}, {"size", qint64(body.size())}};
    if (withSha) m.insert("sha256", sha256Hex(body));
    return m;
}

inline QVariant role(const DownloadManager& m, int jobId, const QByteArray& name) {
    const int r = m.roleNames().key(name);
    for (int row = 0; row < m.rowCount(); ++row)
        if (m.data(m.index(row), DownloadManager::JobIdRole).toInt() == jobId) return m.data(m.index(row), r);
    return {};
}


// Each test function gets a fresh server serving a 3 MiB /model.bin and a
// fresh temporary folder (the test classes derive from this).
class DownloadTestBase : public QObject {
protected:
    bool setUpServer() {
        server_ = new TestHttpServer(this);
        if (!server_->listen()) return false;
        server_->addFile("/model.bin", body_);
        dir_ = new QTemporaryDir;
        return dir_->isValid();
    }
    void tearDown() {
        delete server_;
        delete dir_;
        server_ = nullptr;
        dir_ = nullptr;
    }
    TestHttpServer* server_ = nullptr;
    QTemporaryDir* dir_ = nullptr;
    QByteArray body_ = randomBody(3 * kMiB, 7);
};

}  // namespace facet::test
