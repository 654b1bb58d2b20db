#include "file_download.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace {

constexpr qint64 kSpeedWindowMs = 5000;   // moving-average window for speed and ETA
constexpr qint64 kProgressEveryMs = 100;  // progress() at most this often while streaming
constexpr qint64 kHashChunk = 4 << 20;

bool isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Server-side trouble that may pass: worth another try after a pause.
bool isRetryableStatus(int status) { return status == 408 || status == 429 || status >= 500; }

// "bytes 100-199/200" → {100, 200}; "bytes */200" → {-1, 200}; total -1 for "*".
struct ContentRange {
    qint64 start = -1, total = -1;
    bool valid = false;
};
ContentRange parseContentRange(const QByteArray& value) {
    static const QRegularExpression re(QStringLiteral(R"(^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$)"));
    const auto m = re.match(QString::fromLatin1(value));
    ContentRange r;
    if (!m.hasMatch()) return r;
    r.valid = true;
    if (m.capturedLength(1)) r.start = m.captured(1).toLongLong();
    if (m.captured(3) != QLatin1String("*")) r.total = m.captured(3).toLongLong();
    return r;
}

QString bytesText(qint64 n) { return QLocale::c().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat); }

}  // namespace

FileDownload::FileDownload(const QUrl& url, const QString& path, const DownloadOptions& options, QObject* parent)
    : QObject(parent), url_(url), path_(path), options_(options) {
    options_.expectedSha256 = options_.expectedSha256.trimmed().toLower();
    retryTimer_.setSingleShot(true);
    progressTimer_.setSingleShot(true);
    // The stall watch polls its clock a few times per timeout: whether a
    // transfer stalled is the clock's to say, not the poll's timing.
    stallTimer_.setInterval(std::clamp(options_.stallTimeoutMs / 4, 10, 1000));
    connect(&stallTimer_, &QTimer::timeout, this, &FileDownload::checkStall);
    connect(&progressTimer_, &QTimer::timeout, this, [this] { emitProgress(true); });
    connect(&retryTimer_, &QTimer::timeout, this, &FileDownload::beginAttempt);
    clock_.start();
}

FileDownload::~FileDownload() {
    abortReply();
    stopHashing();
}

QString FileDownload::urlProblem(const QUrl& url) {
    if (!url.isValid() || url.host().isEmpty())
        return tr("not a valid download URL: '%1'").arg(url.toString());
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https")) return {};
    const QString host = url.host().toLower();
    const bool loopback = host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost") ||
                          host == QLatin1String("::1");
    if (scheme == QLatin1String("http") && loopback) return {};  // the tests' local server
    if (scheme == QLatin1String("http"))
        return tr("plain http is refused (https only; http only to 127.0.0.1): %1").arg(displayUrl(url));
    return tr("unsupported URL scheme '%1' (https only): %2").arg(url.scheme(), displayUrl(url));
}

QString FileDownload::stateName(State s) {
    switch (s) {
        case State::Idle: return QStringLiteral("idle");
        case State::Downloading: return QStringLiteral("downloading");
        case State::Verifying: return QStringLiteral("verifying");
        case State::Paused: return QStringLiteral("paused");
        case State::Done: return QStringLiteral("done");
        case State::Failed: return QStringLiteral("failed");
        case State::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

QString FileDownload::displayUrl(const QUrl& url) {
    return url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
}

qint64 FileDownload::etaSeconds() const {
    if (total_ < 0 || bytesPerSecond_ <= 0) return -1;
    return qint64(std::ceil(double(std::max<qint64>(0, total_ - received_)) / bytesPerSecond_));
}

void FileDownload::start() {
    if (state_ == State::Downloading || state_ == State::Verifying || state_ == State::Done) return;
    error_.clear();
    if (const QString problem = urlProblem(url_); !problem.isEmpty()) return fail(problem);
    if (QFileInfo::exists(path_) && !options_.overwrite)
        return fail(tr("%1 already exists; not overwritten").arg(QDir::toNativeSeparators(path_)));
    const QString folder = QFileInfo(path_).absolutePath();
    if (!QDir().mkpath(folder)) return fail(tr("cannot create folder %1").arg(QDir::toNativeSeparators(folder)));
    if (!nam_) nam_ = new QNetworkAccessManager(this);
    retries_ = 0;
    discardedAfter416_ = false;
    if (total_ < 0) total_ = options_.expectedSize;
    setState(State::Downloading);
    beginAttempt();
}

void FileDownload::beginAttempt() {
    partSize_ = QFileInfo(partPath()).size();  // 0 when there is none
    received_ = partSize_;
    gotBytesThisAttempt_ = false;
    samples_.clear();
    if (total_ >= 0 && partSize_ == total_ && partSize_ > 0) return startVerify();  // all there already
    if (total_ >= 0 && partSize_ > total_) {  // longer than the file: not ours to trust
        QFile::remove(partPath());
        partSize_ = received_ = 0;
    }
    if (total_ >= 0 && !checkFreeSpace(total_ - partSize_)) return;
    part_.setFileName(partPath());
    if (!part_.open(QIODevice::WriteOnly | QIODevice::Append))
        return fail(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(partPath()), part_.errorString()));
    currentUrl_ = url_;  // every attempt starts at the original URL: signed redirect targets expire
    redirects_ = 0;
    ++attempts_;
    sendRequest();
}

void FileDownload::sendRequest() {
    QNetworkRequest req(currentUrl_);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Facet"));
    // An explicit identity encoding stops QNAM's transparent gunzip, which would break byte offsets.
    req.setRawHeader("Accept-Encoding", "identity");
    lastRangeStart_ = partSize_;
    if (partSize_ > 0) req.setRawHeader("Range", "bytes=" + QByteArray::number(partSize_) + '-');
    if (!options_.token.isEmpty() && currentUrl_.host().compare(url_.host(), Qt::CaseInsensitive) == 0)
        req.setRawHeader("Authorization", "Bearer " + options_.token.toUtf8());
    body_ = Body::Unchecked;
    reply_ = nam_->get(req);
    connect(reply_, &QNetworkReply::readyRead, this, &FileDownload::onReadyRead);
    connect(reply_, &QNetworkReply::finished, this, &FileDownload::onFinished);
    armStallWatch();  // also covers a server that never answers
}

bool FileDownload::checkHeaders() {
    if (body_ != Body::Unchecked) return true;
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 && status != 206) {  // redirects, errors: judged in onFinished
        body_ = Body::Discard;
        return true;
    }
    const qint64 length = reply_->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    const bool hasLength = reply_->header(QNetworkRequest::ContentLengthHeader).isValid();
    qint64 total = -1;
    if (status == 200) {
        if (partSize_ > 0) {  // the server ignored our Range: its body starts at byte 0
            part_.resize(0);
            partSize_ = received_ = 0;
        }
        total = hasLength ? length : -1;
    } else {
        const QByteArray header = reply_->rawHeader("Content-Range");
        const ContentRange cr = parseContentRange(header);
        if (!cr.valid || cr.start != partSize_) {
            // Appending bytes from another offset would corrupt the file; start over.
            abortReply();
            part_.resize(0);
            scheduleRetry(tr("asked for bytes from %1, the server sent 'Content-Range: %2'")
                              .arg(partSize_)
                              .arg(QString::fromLatin1(header)));
            return false;
        }
        total = cr.total >= 0 ? cr.total : (hasLength ? partSize_ + length : -1);
    }
    if (total >= 0 && options_.expectedSize >= 0 && total != options_.expectedSize) {
        fail(tr("%1 is %2 bytes on the server, expected %3")
                 .arg(displayUrl(url_))
                 .arg(total)
                 .arg(options_.expectedSize));
        return false;
    }
    total_ = total;
    if (total_ >= 0 && !checkFreeSpace(total_ - partSize_)) return false;
    body_ = Body::Write;
    return true;
}

void FileDownload::onReadyRead() {
    if (!reply_ || !checkHeaders()) return;
    const QByteArray data = reply_->readAll();
    if (body_ != Body::Write || data.isEmpty()) return;
    armStallWatch();
    if (part_.write(data) != data.size())
        return fail(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(partPath()), part_.errorString()));
    received_ += data.size();
    sessionBytes_ += data.size();
    gotBytesThisAttempt_ = true;
    emitProgress(false);
}

void FileDownload::onFinished() {
    if (!reply_) return;
    onReadyRead();  // whatever is still buffered (may end the attempt)
    if (!reply_) return;
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->deleteLater();
    stallTimer_.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString where = displayUrl(reply->url());
    if (isRedirect(status)) return followRedirect(reply);
    if (status == 416) return handle416(reply);
    if (status >= 400) {
        const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        const QString what = tr("HTTP %1 %2 for %3").arg(status).arg(reason, where);
        if (isRetryableStatus(status)) return scheduleRetry(what);
        if (status == 401 || status == 403)
            return fail(what + tr(" (a gated repository needs a Hugging Face token with access)"));
        return fail(what);
    }
    if (reply->error() != QNetworkReply::NoError) {
        const QString what = reply->errorString();
        if (reply->error() == QNetworkReply::SslHandshakeFailedError) return fail(tr("TLS error: %1").arg(what));
        return scheduleRetry(what);
    }
    if (status != 200 && status != 206)
        return fail(tr("unexpected HTTP status %1 for %2").arg(status).arg(where));
    part_.close();
    if (total_ >= 0 && received_ != total_)
        return scheduleRetry(tr("connection closed after %1 of %2 bytes").arg(received_).arg(total_));
    if (total_ < 0) total_ = received_;
    emitProgress(true);
    startVerify();
}

void FileDownload::armStallWatch() {
    lastActivityMs_ = nowMs();
    if (options_.stallTimeoutMs > 0 && !stallTimer_.isActive()) stallTimer_.start();
}

void FileDownload::checkStall() {
    if (!reply_) return stallTimer_.stop();
    if (nowMs() - lastActivityMs_ < options_.stallTimeoutMs) return;
    stallTimer_.stop();
    abortReply();
    scheduleRetry(tr("stalled: no data for %1 s").arg(options_.stallTimeoutMs / 1000.0));
}

void FileDownload::followRedirect(QNetworkReply* reply) {
    if (++redirects_ > options_.maxRedirects)
        return fail(tr("too many redirects (more than %1) for %2").arg(options_.maxRedirects).arg(displayUrl(url_)));
    const QByteArray location = reply->rawHeader("Location");
    if (location.isEmpty()) return fail(tr("redirect without a Location from %1").arg(displayUrl(currentUrl_)));
    const QUrl next = currentUrl_.resolved(QUrl::fromEncoded(location));
    if (const QString problem = urlProblem(next); !problem.isEmpty())
        return fail(tr("refused redirect from %1: %2").arg(displayUrl(currentUrl_), problem));
    currentUrl_ = next;
    sendRequest();
}

void FileDownload::handle416(QNetworkReply* reply) {
    // "bytes */N" tells the size; a .part of exactly N bytes is a finished download.
    const ContentRange cr = parseContentRange(reply->rawHeader("Content-Range"));
    const qint64 total = cr.total >= 0 ? cr.total : total_;
    part_.close();
    if (total >= 0 && partSize_ == total) {
        total_ = total;
        return startVerify();
    }
    if (discardedAfter416_)
        return fail(tr("HTTP 416 Range Not Satisfiable for %1").arg(displayUrl(reply->url())));
    discardedAfter416_ = true;  // a .part that does not fit the file: start over, once
    QFile::remove(partPath());
    beginAttempt();
}

void FileDownload::scheduleRetry(const QString& reason) {
    part_.close();
    if (gotBytesThisAttempt_) retries_ = 0;  // progress was made: only consecutive failures count
    if (++retries_ > options_.maxRetries)
        return fail(tr("gave up after %1 attempts: %2").arg(attempts_).arg(reason));
    qint64 delay = std::max(0, options_.retryBaseDelayMs);
    for (int i = 1; i < retries_ && delay < options_.retryMaxDelayMs; ++i) delay *= 2;
    delay = std::min<qint64>(delay, options_.retryMaxDelayMs);
    bytesPerSecond_ = 0;
    emit progress(received_, total_, 0);
    emit retrying(attempts_, int(delay), reason);
    retryTimer_.start(int(delay));
}

bool FileDownload::checkFreeSpace(qint64 remaining) {
    QStorageInfo storage(QFileInfo(path_).absolutePath());
    storage.refresh();
    if (!storage.isValid() || remaining <= 0 || storage.bytesAvailable() >= remaining) return true;
    fail(tr("not enough disk space in %1: %2 needed, %3 available")
             .arg(QDir::toNativeSeparators(QFileInfo(path_).absolutePath()), bytesText(remaining),
                  bytesText(storage.bytesAvailable())));
    return false;
}

void FileDownload::startVerify() {
    part_.close();
    received_ = QFileInfo(partPath()).size();
    if (options_.expectedSha256.isEmpty()) return finishFile();
    setState(State::Verifying);
    stopHashing();
    auto cancel = std::make_shared<std::atomic_bool>(false);
    hashCancel_ = cancel;
    const quint64 generation = ++hashGeneration_;
    const QString file = partPath();
    const qint64 total = received_;
    // The thread posts to `this`; the destructor and pause() join it first, so `this` outlives it.
    hashThread_.reset(QThread::create([this, file, total, cancel, generation] {
        QFile f(file);
        QString error;
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!f.open(QIODevice::ReadOnly)) error = f.errorString();
        qint64 done = 0;
        while (error.isEmpty() && !*cancel) {
            const QByteArray chunk = f.read(kHashChunk);
            if (chunk.isEmpty()) {
                if (f.error() != QFileDevice::NoError) error = f.errorString();
                break;
            }
            hash.addData(chunk);
            done += chunk.size();
            QMetaObject::invokeMethod(this, [this, done, total] { emit verifyProgress(done, total); },
                                      Qt::QueuedConnection);
        }
        if (*cancel) return;
        const QString hex = QString::fromLatin1(hash.result().toHex());
        QMetaObject::invokeMethod(this, [this, generation, hex, error] { onHashed(generation, hex, error); },
                                  Qt::QueuedConnection);
    }));
    hashThread_->start();
}

void FileDownload::onHashed(quint64 generation, const QString& hex, const QString& error) {
    if (generation != hashGeneration_ || state_ != State::Verifying) return;  // paused meanwhile
    stopHashing();
    if (!error.isEmpty())
        return fail(tr("cannot read %1: %2").arg(QDir::toNativeSeparators(partPath()), error));
    actualSha256_ = hex;
    if (hex != options_.expectedSha256) {
        QFile::remove(partPath());  // bad bytes are never resumed from
        received_ = 0;
        return fail(tr("checksum mismatch for %1: expected %2, got %3")
                        .arg(QFileInfo(path_).fileName(), options_.expectedSha256, hex));
    }
    finishFile();
}

void FileDownload::finishFile() {
    if (QFileInfo::exists(path_)) {
        if (!options_.overwrite)
            return fail(tr("%1 already exists; not overwritten").arg(QDir::toNativeSeparators(path_)));
        QFile::remove(path_);
    }
    QFile part(partPath());
    if (!part.rename(path_))  // same folder: an atomic rename(2)
        return fail(tr("cannot rename %1 to %2: %3")
                        .arg(QDir::toNativeSeparators(partPath()), QDir::toNativeSeparators(path_),
                             part.errorString()));
    emitProgress(true);
    setState(State::Done);
    emit finished(true, {});
}

void FileDownload::fail(const QString& message) {
    stopAll();
    if (QFileInfo(partPath()).size() == 0) QFile::remove(partPath());  // no empty litter; a partial one stays to resume
    error_ = message;
    bytesPerSecond_ = 0;
    setState(State::Failed);
    emit finished(false, message);
}

void FileDownload::pause() {
    if (state_ != State::Downloading && state_ != State::Verifying) return;
    stopAll();
    bytesPerSecond_ = 0;
    setState(State::Paused);
    emit progress(received_, total_, 0);
}

void FileDownload::cancel() {
    if (state_ == State::Done || state_ == State::Cancelled) return;
    stopAll();
    QFile::remove(partPath());
    received_ = 0;
    bytesPerSecond_ = 0;
    error_ = tr("cancelled");
    setState(State::Cancelled);
    emit finished(false, error_);
}

void FileDownload::stopAll() {
    abortReply();
    stopHashing();
    stallTimer_.stop();
    retryTimer_.stop();
    progressTimer_.stop();
    part_.close();
}

void FileDownload::abortReply() {
    if (!reply_) return;
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->disconnect(this);  // abort() emits finished() synchronously; this object no longer listens
    reply->abort();
    reply->deleteLater();
}

void FileDownload::stopHashing() {
    if (!hashThread_) return;
    *hashCancel_ = true;
    hashThread_->wait();
    hashThread_.reset();
}

void FileDownload::setState(State s) {
    if (state_ == s) return;
    state_ = s;
    emit stateChanged(s);
}

void FileDownload::emitProgress(bool force) {
    const qint64 now = clock_.elapsed();
    if (!force && lastEmitMs_ >= 0 && now - lastEmitMs_ < kProgressEveryMs) {
        // Throttled: the last bytes before a pause in the stream still get reported.
        if (!progressTimer_.isActive()) progressTimer_.start(int(kProgressEveryMs - (now - lastEmitMs_)));
        return;
    }
    progressTimer_.stop();
    lastEmitMs_ = now;
    samples_.emplace_back(now, sessionBytes_);
    while (samples_.size() > 2 && now - samples_[1].first >= kSpeedWindowMs) samples_.pop_front();
    const auto& [t0, b0] = samples_.front();
    if (now - t0 >= 200) bytesPerSecond_ = double(sessionBytes_ - b0) * 1000.0 / double(now - t0);
    emit progress(received_, total_, bytesPerSecond_);
}
