// The indexing thread's object: one FolderWatcher per collection, a queue of
// collections to bring up to date, and one Indexer run at a time. The UI
// thread calls the slots through queued invocations and reads the signals;
// pause, resume and shutdown are thread-safe calls that take effect between
// two files (each document is its own transaction, so nothing is lost).
#pragma once

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QStringList>
#include <QVariantMap>
#include <QWaitCondition>

#include <atomic>
#include <memory>

#include "folder_watcher.h"

namespace facet::docs {

class DocEmbedder;

class LibraryWorker : public QObject {
    Q_OBJECT
public:
    explicit LibraryWorker(WatchOptions watch = {}, QObject* parent = nullptr);
    ~LibraryWorker() override;

    // Thread-safe: a paused run waits before its next file.
    void setPaused(bool paused);
    bool paused() const { return paused_; }
    // Thread-safe: the run in progress stops before its next file; the queue is dropped.
    void shutdown();
    // Thread-safe: a run for `id` stops before its next file (the collection is going away).
    void cancel(const QString& id);

    // Lowers the calling thread's scheduling priority (Linux: nice 10 for this
    // thread only). Not SCHED_IDLE: that would starve indexing on a busy machine.
    static void lowerThreadPriority();

public slots:
    // Creates or updates the collection's watcher and queues a scan.
    void setCollection(const QString& id, const QString& indexPath, const QStringList& roots);
    // Forgets the collection (its watcher and queued scan); `deleteIndex` also removes its index file.
    void forgetCollection(const QString& id, bool deleteIndex);
    // Drops the root's documents from the index at once, then the watcher follows the new roots.
    void removeRoot(const QString& id, const QString& root, const QStringList& remainingRoots);
    void scan(const QString& id);
    // EmbeddingGemma GGUF for new chunks ("" = keyword search only).
    void setEmbeddingModel(const QString& path);

signals:
    void runStarted(const QString& id);
    void progress(const QString& id, int filesDone, int filesTotal, const QString& currentFile, qint64 chunks,
                  double embeddingsPerSecond);
    // files, indexed, chunks, embedded, pending and skipped [{path, reason}] (as `docs status --json`).
    void statusChanged(const QString& id, const QVariantMap& status);
    void runFinished(const QString& id, bool stopped);
    void failed(const QString& id, const QString& message);
    // `device`: where it runs ("CPU" or the GPU's name).
    void embeddingModelChanged(const QString& modelId, bool reduced, const QString& device, const QString& error);

private:
    struct Entry {
        QString indexPath;
        QStringList roots;
        FolderWatcher* watcher = nullptr;
    };
    void runNext();
    void run(const QString& id, const Entry& entry);
    void publishStatus(const QString& id, const QString& indexPath);
    bool keepGoing(const QString& id);

    WatchOptions watch_;
    QHash<QString, Entry> entries_;
    QStringList queue_;
    bool running_ = false;
    std::unique_ptr<DocEmbedder> embedder_;
    QString embedderPath_;  // absolute; indexes record it (embed_model_path) for the chat's hybrid search

    mutable QMutex mutex_;  // guards the pause/stop state below
    QWaitCondition resumed_;
    std::atomic<bool> paused_{false};
    bool stopping_ = false;
    QStringList cancelled_;
};

}  // namespace facet::docs
