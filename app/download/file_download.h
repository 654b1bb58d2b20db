// One URL to one file, resumable: bytes stream into PATH.part (HTTP Range on
// every restart), redirects are followed by hand so the policy below holds on
// every hop, and the file becomes PATH only after its sha256 matched.
//
// Policy: https only (plain http only to 127.0.0.1 / localhost / ::1, for
// tests); TLS errors are never ignored; the Hugging Face token goes only to
// the original host (HF answers 302 to a CDN with a signed URL, which must
// not see it). Drops, stalls, 408/429/5xx and network errors are retried with
// exponential back-off; other 4xx fail at once.
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QThread;

struct DownloadOptions {
    int stallTimeoutMs = 30000;     // no body bytes for this long: abort and retry (0: never)
    // The clock the stall watch reads, in milliseconds (empty: a monotonic
    // clock). A test that injects one decides when a transfer has stalled;
    // a slow, busy machine cannot.
    std::function<qint64()> clockMs;
    int maxRetries = 10;            // consecutive failed attempts (an attempt that got bytes resets it)
    int retryBaseDelayMs = 1000;    // back-off doubles from here ...
    int retryMaxDelayMs = 60000;    // ... up to here
    int maxRedirects = 10;
    QString token;                  // Hugging Face token: "Authorization: Bearer", original host only
    QString expectedSha256;         // hex; empty: not verified (the caller decides)
    qint64 expectedSize = -1;       // bytes; -1: learnt from the server
    bool overwrite = false;         // replace an existing PATH (otherwise refused)
};

class FileDownload : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Downloading, Verifying, Paused, Done, Failed, Cancelled };
    Q_ENUM(State)

    FileDownload(const QUrl& url, const QString& path, const DownloadOptions& options = {},
                 QObject* parent = nullptr);
    ~FileDownload() override;

    void start();   // also resumes after pause() or a failure, from the .part
    void pause();   // aborts the transfer, keeps the .part
    void cancel();  // aborts the transfer, removes the .part

    // Empty when `url` may be downloaded from, else why not (one line).
    static QString urlProblem(const QUrl& url);
    static QString stateName(State s);
    // "https://host/path" without query or user info: signed CDN URLs stay out of messages.
    static QString displayUrl(const QUrl& url);

    State state() const { return state_; }
    QUrl url() const { return url_; }
    QString path() const { return path_; }
    QString partPath() const { return path_ + QStringLiteral(".part"); }
    const DownloadOptions& options() const { return options_; }
    qint64 receivedBytes() const { return received_; }
    qint64 totalBytes() const { return total_; }  // -1 until known
    double bytesPerSecond() const { return bytesPerSecond_; }
    qint64 etaSeconds() const;                      // -1 when unknown
    QString errorString() const { return error_; }
    QString actualSha256() const { return actualSha256_; }
    qint64 lastRangeStart() const { return lastRangeStart_; }  // 0: the last request had no Range
    int attempts() const { return attempts_; }                 // requests started, redirects not counted

signals:
    void stateChanged(FileDownload::State state);
    void progress(qint64 received, qint64 total, double bytesPerSecond);
    void verifyProgress(qint64 hashed, qint64 total);
    void retrying(int attempt, int delayMs, const QString& reason);
    void finished(bool ok, const QString& error);

private:
    enum class Body { Unchecked, Write, Discard };

    void beginAttempt();
    void sendRequest();
    bool checkHeaders();  // false: the attempt ended (fail or retry scheduled)
    void onReadyRead();
    void onFinished();
    void armStallWatch();  // a new request, or bytes arrived: the stall time starts again
    void checkStall();
    qint64 nowMs() const { return options_.clockMs ? options_.clockMs() : clock_.elapsed(); }
    void followRedirect(QNetworkReply* reply);
    void handle416(QNetworkReply* reply);
    void scheduleRetry(const QString& reason);
    bool checkFreeSpace(qint64 remaining);
    void startVerify();
    void onHashed(quint64 generation, const QString& hex, const QString& error);
    void finishFile();
    void fail(const QString& message);
    void stopAll();  // no transfer, hashing, timers or open .part afterwards
    void abortReply();
    void stopHashing();
    void setState(State s);
    void emitProgress(bool force);

    QUrl url_;
    QString path_;
    DownloadOptions options_;
    QNetworkAccessManager* nam_ = nullptr;
    QPointer<QNetworkReply> reply_;
    QFile part_;
    QTimer stallTimer_, retryTimer_, progressTimer_;

    State state_ = State::Idle;
    Body body_ = Body::Unchecked;
    QUrl currentUrl_;
    int redirects_ = 0;
    int attempts_ = 0;
    int retries_ = 0;
    bool discardedAfter416_ = false;
    bool gotBytesThisAttempt_ = false;
    qint64 partSize_ = 0;       // .part size when the current attempt began
    qint64 received_ = 0;
    qint64 total_ = -1;
    qint64 lastRangeStart_ = 0;
    qint64 lastActivityMs_ = 0;  // nowMs() when the request went out or bytes last arrived
    QString error_;
    QString actualSha256_;

    // Speed: bytes over the last few seconds (a moving window, not since start).
    QElapsedTimer clock_;
    qint64 sessionBytes_ = 0;  // only grows, so a restart from 0 never makes a negative delta
    std::deque<std::pair<qint64, qint64>> samples_;  // (ms, sessionBytes)
    qint64 lastEmitMs_ = -1;
    double bytesPerSecond_ = 0;

    std::unique_ptr<QThread> hashThread_;
    std::shared_ptr<std::atomic_bool> hashCancel_;
    quint64 hashGeneration_ = 0;
};
