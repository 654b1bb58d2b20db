// The model downloads as a list model: each job is one model made of one or
// more files (shards, config files) fetched one after another with
// FileDownload; the job is done only when every file is in place and
// verified, and then emits modelReady once. At most maxConcurrent jobs run;
// the rest queue. The job list (never progress: that is each .part's size) is
// saved to stateFile on every change, so restore() brings unfinished jobs
// back as "paused" after a restart.
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include "file_download.h"

class DownloadManager : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int maxConcurrent READ maxConcurrent WRITE setMaxConcurrent NOTIFY maxConcurrentChanged)
    Q_PROPERTY(QString stateFile READ stateFile WRITE setStateFile NOTIFY stateFileChanged)
    Q_PROPERTY(QString token READ token WRITE setToken NOTIFY tokenChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
public:
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        NameRole,
        StateRole,
        ReceivedBytesRole,
        TotalBytesRole,  // -1 while some file's size is unknown
        BytesPerSecondRole,
        EtaSecondsRole,  // -1 when unknown
        ErrorRole,
        FileCountRole,
        CurrentFileRole,       // file name of the file being fetched
        CurrentFileIndexRole,  // 0-based
    };
    enum class JobState { Queued, Downloading, Paused, Verifying, Done, Failed, Cancelled };

    explicit DownloadManager(QObject* parent = nullptr);
    ~DownloadManager() override;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(jobs_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // `files`: maps with url, path, and optionally sha256 (hex) and size (bytes). Returns the job
    // id, or -1 with lastError set when the input is unusable.
    Q_INVOKABLE int enqueue(const QString& name, const QVariantList& files, const QString& token = {});
    Q_INVOKABLE void pause(int jobId);
    Q_INVOKABLE void resume(int jobId);  // paused, failed or cancelled jobs queue again
    // Stops the job and deletes its .part and the files it downloaded itself.
    Q_INVOKABLE void cancel(int jobId);
    // Drops the row; an unfinished job is cancelled first, a done one keeps its files.
    Q_INVOKABLE void remove(int jobId);
    // Reads stateFile (call once at start): unfinished jobs come back paused.
    Q_INVOKABLE bool restore();

    static QString stateName(JobState s);
    QString jobState(int jobId) const;  // "" for an unknown id
    int count() const { return int(jobs_.size()); }
    int maxConcurrent() const { return maxConcurrent_; }
    void setMaxConcurrent(int n);
    QString stateFile() const { return stateFile_; }
    void setStateFile(const QString& path);
    QString token() const { return token_; }  // for jobs enqueued without one, and restored jobs
    void setToken(const QString& token);
    QString lastError() const { return lastError_; }
    // Stall timeout, retries and back-off for every file (tests shorten them).
    void setDownloadOptions(const DownloadOptions& options) { baseOptions_ = options; }
    const DownloadOptions& downloadOptions() const { return baseOptions_; }

signals:
    void modelReady(const QString& path);  // a .gguf: its (first) file; otherwise the folder
    void jobFailed(int jobId, const QString& error);
    void maxConcurrentChanged();
    void stateFileChanged();
    void tokenChanged();
    void countChanged();
    void lastErrorChanged();

private:
    struct JobFile {
        QUrl url;
        QString path, sha256;
        qint64 size = -1;
        bool done = false;        // in place and verified
        bool downloaded = false;  // put there by this job (cancel may delete it)
    };
    struct Job {
        int id = 0;
        QString name, token, error;
        JobState state = JobState::Queued;
        QList<JobFile> files;
        int current = 0;  // first file not done
        qint64 received = 0;
        double bytesPerSecond = 0;
        QPointer<FileDownload> active;
    };

    Job* find(int jobId);
    int rowOf(int jobId) const;
    void changed(int jobId, const QList<int>& roles = {});
    void setJobState(Job& job, JobState s, const QString& error = {});
    void schedule();
    void startNextFile(Job& job);
    void onFileFinished(int jobId, FileDownload* fd, bool ok, const QString& error);
    void stopActive(Job& job, bool cancel);
    void recount(Job& job);  // received bytes from finished files and the .part
    qint64 totalOf(const Job& job) const;
    static QString modelPath(const Job& job);
    void save();
    void setLastError(const QString& e);

    QList<Job> jobs_;
    int nextId_ = 1;
    int maxConcurrent_ = 2;
    QString stateFile_, token_, lastError_;
    DownloadOptions baseOptions_;
};
