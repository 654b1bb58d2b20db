#include "download_manager.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>

namespace {

// The state file's layout; bump on incompatible changes (older builds then refuse it).
constexpr int kStateVersion = 1;

bool isActive(DownloadManager::JobState s) {
    return s == DownloadManager::JobState::Downloading || s == DownloadManager::JobState::Verifying;
}

}  // namespace

DownloadManager::DownloadManager(QObject* parent) : QAbstractListModel(parent) {}

DownloadManager::~DownloadManager() {
    // Quitting mid-download keeps every .part; the saved list says "resume me".
    for (Job& job : jobs_) stopActive(job, false);
}

QString DownloadManager::stateName(JobState s) {
    switch (s) {  // stored in the state file and read by QML: never rename
        case JobState::Queued: return QStringLiteral("queued");
        case JobState::Downloading: return QStringLiteral("downloading");
        case JobState::Paused: return QStringLiteral("paused");
        case JobState::Verifying: return QStringLiteral("verifying");
        case JobState::Done: return QStringLiteral("done");
        case JobState::Failed: return QStringLiteral("failed");
        case JobState::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

QVariant DownloadManager::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= jobs_.size()) return {};
    const Job& j = jobs_[index.row()];
    const qint64 total = totalOf(j);
    switch (role) {
        case JobIdRole: return j.id;
        case Qt::DisplayRole:
        case NameRole: return j.name;
        case StateRole: return stateName(j.state);
        case ReceivedBytesRole: return j.received;
        case TotalBytesRole: return total;
        case BytesPerSecondRole: return j.bytesPerSecond;
        case EtaSecondsRole:
            if (total < 0 || j.bytesPerSecond <= 0) return qint64(-1);
            return qint64(std::ceil(double(std::max<qint64>(0, total - j.received)) / j.bytesPerSecond));
        case ErrorRole: return j.error;
        case FileCountRole: return int(j.files.size());
        case CurrentFileRole:
            return QFileInfo(j.files.value(std::min<int>(j.current, int(j.files.size()) - 1)).path).fileName();
        case CurrentFileIndexRole: return std::min<int>(j.current, int(j.files.size()) - 1);
        default: return {};
    }
}

QHash<int, QByteArray> DownloadManager::roleNames() const {
    return {{JobIdRole, "jobId"},
            {NameRole, "name"},
            {StateRole, "state"},
            {ReceivedBytesRole, "receivedBytes"},
            {TotalBytesRole, "totalBytes"},
            {BytesPerSecondRole, "bytesPerSecond"},
            {EtaSecondsRole, "etaSeconds"},
            {ErrorRole, "error"},
            {FileCountRole, "fileCount"},
            {CurrentFileRole, "currentFile"},
            {CurrentFileIndexRole, "currentFileIndex"}};
}

int DownloadManager::enqueue(const QString& name, const QVariantList& files, const QString& token) {
    if (files.isEmpty()) {
        setLastError(tr("%1: no files to download").arg(name));
        return -1;
    }
    Job job;
    job.id = nextId_++;
    job.name = name;
    job.token = token;
    for (int i = 0; i < files.size(); ++i) {
        const QVariantMap m = files[i].toMap();
        JobFile f;
        f.url = QUrl(m.value(QStringLiteral("url")).toString());
        f.path = m.value(QStringLiteral("path")).toString();
        f.sha256 = m.value(QStringLiteral("sha256")).toString().trimmed().toLower();
        f.size = m.value(QStringLiteral("size"), -1).toLongLong();
        QString problem = FileDownload::urlProblem(f.url);
        if (problem.isEmpty() && f.path.isEmpty()) problem = tr("no target path");
        if (problem.isEmpty() && !f.sha256.isEmpty() &&
            (f.sha256.size() != 64 || QByteArray::fromHex(f.sha256.toLatin1()).toHex() != f.sha256.toLatin1()))
            problem = tr("sha256 must be 64 hex digits, got '%1'").arg(f.sha256);
        if (!problem.isEmpty()) {
            setLastError(tr("%1, file %2: %3").arg(name).arg(i + 1).arg(problem));
            return -1;
        }
        for (const Job& other : jobs_)  // two jobs writing one .part would corrupt it
            for (const JobFile& g : other.files)
                if (g.path == f.path && other.state != JobState::Done && other.state != JobState::Failed &&
                    other.state != JobState::Cancelled)
                    problem = tr("%1 is already being downloaded").arg(f.path);
        if (!problem.isEmpty()) {
            setLastError(tr("%1, file %2: %3").arg(name).arg(i + 1).arg(problem));
            return -1;
        }
        job.files.append(f);
    }
    recount(job);
    beginInsertRows({}, int(jobs_.size()), int(jobs_.size()));
    jobs_.append(job);
    endInsertRows();
    emit countChanged();
    save();
    schedule();
    return job.id;
}

void DownloadManager::pause(int jobId) {
    Job* job = find(jobId);
    if (!job || (job->state != JobState::Queued && !isActive(job->state))) return;
    stopActive(*job, false);
    recount(*job);
    setJobState(*job, JobState::Paused);
    schedule();
}

void DownloadManager::resume(int jobId) {
    Job* job = find(jobId);
    if (!job || (job->state != JobState::Paused && job->state != JobState::Failed && job->state != JobState::Cancelled))
        return;
    setJobState(*job, JobState::Queued);
    schedule();
}

void DownloadManager::cancel(int jobId) {
    Job* job = find(jobId);
    if (!job || job->state == JobState::Done || job->state == JobState::Cancelled) return;
    stopActive(*job, true);
    for (JobFile& f : job->files) {
        QFile::remove(f.path + QStringLiteral(".part"));
        if (f.downloaded) QFile::remove(f.path);  // a half model is useless; files the user had stay
        f.done = f.downloaded = false;
    }
    job->current = 0;
    recount(*job);
    setJobState(*job, JobState::Cancelled, tr("cancelled"));
    schedule();
}

void DownloadManager::remove(int jobId) {
    Job* job = find(jobId);
    if (!job) return;
    if (job->state != JobState::Done) cancel(jobId);
    const int row = rowOf(jobId);
    beginRemoveRows({}, row, row);
    jobs_.removeAt(row);
    endRemoveRows();
    emit countChanged();
    save();
}

bool DownloadManager::restore() {
    QFile file(stateFile_);
    if (stateFile_.isEmpty() || !file.exists()) return true;  // nothing saved yet
    if (!file.open(QIODevice::ReadOnly)) {
        setLastError(tr("cannot read %1: %2").arg(QDir::toNativeSeparators(stateFile_), file.errorString()));
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = doc.object();
    if (parseError.error != QJsonParseError::NoError || root.value(QStringLiteral("version")).toInt() != kStateVersion) {
        setLastError(tr("%1: not a download list this version can read (%2)")
                         .arg(QDir::toNativeSeparators(stateFile_),
                              parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                           : tr("version %1").arg(root.value(QStringLiteral("version")).toInt())));
        return false;
    }
    QList<Job> restored;
    for (const QJsonValue& v : root.value(QStringLiteral("jobs")).toArray()) {
        const QJsonObject o = v.toObject();
        Job job;
        job.id = o.value(QStringLiteral("id")).toInt();
        job.name = o.value(QStringLiteral("name")).toString();
        job.error = o.value(QStringLiteral("error")).toString();
        const QString state = o.value(QStringLiteral("state")).toString();
        job.state = JobState::Paused;  // unfinished (or unknown): the user resumes it
        for (JobState s : {JobState::Done, JobState::Failed, JobState::Cancelled})
            if (stateName(s) == state) job.state = s;
        for (const QJsonValue& fv : o.value(QStringLiteral("files")).toArray()) {
            const QJsonObject fo = fv.toObject();
            JobFile f;
            f.url = QUrl(fo.value(QStringLiteral("url")).toString());
            f.path = fo.value(QStringLiteral("path")).toString();
            f.sha256 = fo.value(QStringLiteral("sha256")).toString();
            f.size = qint64(fo.value(QStringLiteral("size")).toDouble(-1));
            f.done = fo.value(QStringLiteral("done")).toBool() && QFileInfo::exists(f.path);
            f.downloaded = fo.value(QStringLiteral("downloaded")).toBool() && f.done;
            job.files.append(f);
        }
        if (job.id <= 0 || job.files.isEmpty()) continue;  // damaged entry: nothing to resume
        nextId_ = std::max(nextId_, job.id + 1);
        recount(job);
        restored.append(job);
    }
    beginResetModel();
    for (Job& job : jobs_) stopActive(job, false);
    jobs_ = restored;
    endResetModel();
    emit countChanged();
    return true;
}

QString DownloadManager::jobState(int jobId) const {
    const int row = rowOf(jobId);
    return row < 0 ? QString() : stateName(jobs_[row].state);
}

void DownloadManager::setMaxConcurrent(int n) {
    n = std::max(1, n);
    if (n == maxConcurrent_) return;
    maxConcurrent_ = n;
    emit maxConcurrentChanged();
    schedule();
}

void DownloadManager::setStateFile(const QString& path) {
    if (path == stateFile_) return;
    stateFile_ = path;
    emit stateFileChanged();
}

void DownloadManager::setToken(const QString& token) {
    if (token == token_) return;
    token_ = token;
    emit tokenChanged();
}

DownloadManager::Job* DownloadManager::find(int jobId) {
    const int row = rowOf(jobId);
    return row < 0 ? nullptr : &jobs_[row];
}

int DownloadManager::rowOf(int jobId) const {
    for (int i = 0; i < jobs_.size(); ++i)
        if (jobs_[i].id == jobId) return i;
    return -1;
}

void DownloadManager::changed(int jobId, const QList<int>& roles) {
    const int row = rowOf(jobId);
    if (row >= 0) emit dataChanged(index(row), index(row), roles);
}

void DownloadManager::setJobState(Job& job, JobState s, const QString& error) {
    if (job.state == s && job.error == error) return;
    job.state = s;
    job.error = error;
    if (!isActive(s)) job.bytesPerSecond = 0;
    changed(job.id);
    save();
}

void DownloadManager::schedule() {
    // By id, re-found each time: a slot on modelReady may remove rows meanwhile.
    QList<int> queued;
    for (const Job& j : jobs_)
        if (j.state == JobState::Queued) queued.append(j.id);
    for (int id : queued) {
        int running = 0;
        for (const Job& j : jobs_) running += isActive(j.state) ? 1 : 0;
        if (running >= maxConcurrent_) break;
        Job* job = find(id);
        if (!job || job->state != JobState::Queued) continue;
        setJobState(*job, JobState::Downloading);
        startNextFile(*job);  // may be done at once when every file is already there
    }
}

void DownloadManager::startNextFile(Job& job) {
    // Files already in place (an earlier run, or put there by hand) are not fetched again.
    while (job.current < job.files.size()) {
        JobFile& f = job.files[job.current];
        const QFileInfo info(f.path);
        if (!f.done && info.exists() && (f.size < 0 || info.size() == f.size)) f.done = true;
        if (!f.done) break;
        ++job.current;
    }
    recount(job);
    if (job.current >= job.files.size()) {
        const QString path = modelPath(job);
        setJobState(job, JobState::Done);
        emit modelReady(path);  // last: a slot may remove the job
        return;
    }
    const JobFile& f = job.files[job.current];
    DownloadOptions options = baseOptions_;
    options.token = job.token.isEmpty() ? token_ : job.token;
    options.expectedSha256 = f.sha256;
    options.expectedSize = f.size;
    auto* fd = new FileDownload(f.url, f.path, options, this);
    job.active = fd;
    const int id = job.id;
    const qint64 before = job.received - QFileInfo(fd->partPath()).size();  // the finished files
    connect(fd, &FileDownload::progress, this, [this, id, fd, before](qint64 received, qint64, double bps) {
        Job* j = find(id);
        if (!j || j->active != fd) return;
        j->received = before + received;
        j->bytesPerSecond = bps;
        changed(id, {ReceivedBytesRole, TotalBytesRole, BytesPerSecondRole, EtaSecondsRole});
    });
    connect(fd, &FileDownload::stateChanged, this, [this, id, fd](FileDownload::State s) {
        Job* j = find(id);
        if (!j || j->active != fd) return;
        if (s == FileDownload::State::Verifying) setJobState(*j, JobState::Verifying);
        if (s == FileDownload::State::Downloading) setJobState(*j, JobState::Downloading);
    });
    connect(fd, &FileDownload::finished, this,
            [this, id, fd](bool ok, const QString& error) { onFileFinished(id, fd, ok, error); });
    // Queued: a download that fails at once must not re-enter this function's caller.
    QMetaObject::invokeMethod(fd, &FileDownload::start, Qt::QueuedConnection);
}

void DownloadManager::onFileFinished(int jobId, FileDownload* fd, bool ok, const QString& error) {
    fd->deleteLater();
    Job* job = find(jobId);
    if (!job || job->active != fd) return;
    job->active = nullptr;
    if (!ok) {
        recount(*job);
        setJobState(*job, JobState::Failed, error);
        schedule();
        emit jobFailed(jobId, error);
        return;
    }
    JobFile& f = job->files[job->current];
    f.done = f.downloaded = true;
    f.size = QFileInfo(f.path).size();
    ++job->current;
    save();
    startNextFile(*job);
    schedule();
}

void DownloadManager::stopActive(Job& job, bool cancel) {
    FileDownload* fd = job.active;
    job.active = nullptr;
    if (!fd) return;
    fd->disconnect(this);  // pause()/cancel() emit signals this manager no longer wants
    if (cancel)
        fd->cancel();
    else
        fd->pause();
    fd->deleteLater();
}

void DownloadManager::recount(Job& job) {
    qint64 n = 0;
    for (int i = 0; i < job.files.size(); ++i) {
        const JobFile& f = job.files[i];
        if (f.done)
            n += f.size >= 0 ? f.size : QFileInfo(f.path).size();
        else if (i == job.current)
            n += QFileInfo(f.path + QStringLiteral(".part")).size();
    }
    job.received = n;
}

qint64 DownloadManager::totalOf(const Job& job) const {
    qint64 total = 0;
    for (int i = 0; i < job.files.size(); ++i) {
        qint64 size = job.files[i].size;
        if (size < 0 && i == job.current && job.active) size = job.active->totalBytes();
        if (size < 0) return -1;
        total += size;
    }
    return total;
}

QString DownloadManager::modelPath(const Job& job) {
    const QString first = job.files.first().path;
    if (job.files.size() == 1 || first.endsWith(QStringLiteral(".gguf"), Qt::CaseInsensitive)) return first;
    return QFileInfo(first).absolutePath();  // shards plus config files: the Hugging Face folder
}

void DownloadManager::save() {
    if (stateFile_.isEmpty()) return;
    QJsonArray jobs;
    for (const Job& j : jobs_) {
        QJsonArray files;
        for (const JobFile& f : j.files)
            files.append(QJsonObject{{"url", f.url.toString()},
                                     {"path", f.path},
                                     {"sha256", f.sha256},
                                     {"size", double(f.size)},
                                     {"done", f.done},
                                     {"downloaded", f.downloaded}});
        // The token is not saved: secrets stay out of plain files (restored jobs use `token`).
        jobs.append(QJsonObject{{"id", j.id},
                                {"name", j.name},
                                {"state", stateName(j.state)},
                                {"error", j.error},
                                {"files", files}});
    }
    QDir().mkpath(QFileInfo(stateFile_).absolutePath());
    QSaveFile out(stateFile_);
    const QByteArray bytes = QJsonDocument(QJsonObject{{"version", kStateVersion}, {"jobs", jobs}}).toJson();
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        setLastError(tr("cannot save the download list to %1: %2")
                         .arg(QDir::toNativeSeparators(stateFile_), out.errorString()));
}

void DownloadManager::setLastError(const QString& e) {
    lastError_ = e;
    emit lastErrorChanged();
}
