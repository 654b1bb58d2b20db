#include "library_worker.h"

#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QVariantList>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "doc_embedder.h"
#include "doc_index.h"
#include "indexer.h"

namespace facet::docs {

LibraryWorker::LibraryWorker(WatchOptions watch, QObject* parent) : QObject(parent), watch_(watch) {}

LibraryWorker::~LibraryWorker() = default;

void LibraryWorker::lowerThreadPriority() {
#ifdef __linux__
    // On Linux, a thread id in PRIO_PROCESS changes that thread alone.
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
#endif
}

void LibraryWorker::setPaused(bool paused) {
    QMutexLocker lock(&mutex_);
    paused_ = paused;
    if (!paused) resumed_.wakeAll();
}

void LibraryWorker::shutdown() {
    QMutexLocker lock(&mutex_);
    stopping_ = true;
    resumed_.wakeAll();
}

void LibraryWorker::cancel(const QString& id) {
    QMutexLocker lock(&mutex_);
    cancelled_ << id;
    resumed_.wakeAll();
}

bool LibraryWorker::keepGoing(const QString& id) {
    QMutexLocker lock(&mutex_);
    while (paused_ && !stopping_ && !cancelled_.contains(id)) resumed_.wait(&mutex_);
    return !stopping_ && !cancelled_.contains(id);
}

void LibraryWorker::setCollection(const QString& id, const QString& indexPath, const QStringList& roots) {
    Entry& e = entries_[id];
    e.indexPath = indexPath;
    e.roots = roots;
    if (!e.watcher) {
        e.watcher = new FolderWatcher(watch_, this);
        connect(e.watcher, &FolderWatcher::changed, this, [this, id] { scan(id); });
    }
    e.watcher->setRoots(roots);
    scan(id);
}

void LibraryWorker::forgetCollection(const QString& id, bool deleteIndex) {
    const auto it = entries_.find(id);
    if (it == entries_.end()) return;
    delete it->watcher;
    const QString path = it->indexPath;
    entries_.erase(it);
    queue_.removeAll(id);
    if (deleteIndex)
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) QFile::remove(path + suffix);
    QMutexLocker lock(&mutex_);
    cancelled_.removeAll(id);  // a collection made later with this id starts clean
}

void LibraryWorker::removeRoot(const QString& id, const QString& root, const QStringList& remainingRoots) {
    const auto it = entries_.find(id);
    if (it == entries_.end()) return;
    auto index = DocIndex::open(it->indexPath);
    if (!index.ok()) {
        emit failed(id, QString::fromStdString(index.message()));
        return;
    }
    if (auto removed = index.value()->removeUnder(root); !removed.ok()) emit failed(id, QString::fromStdString(removed.message()));
    index.value().reset();
    setCollection(id, it->indexPath, remainingRoots);
}

void LibraryWorker::scan(const QString& id) {
    if (!entries_.contains(id) || queue_.contains(id)) return;
    queue_ << id;
    if (!running_) QTimer::singleShot(0, this, &LibraryWorker::runNext);
}

void LibraryWorker::setEmbeddingModel(const QString& path) {
    embedder_.reset();
    embedderPath_.clear();
    if (path.isEmpty()) {
        emit embeddingModelChanged({}, false, {}, {});
        return;
    }
    auto opened = DocEmbedder::open(path, EmbedBackend::Auto);
    if (!opened.ok()) {
        emit embeddingModelChanged({}, false, {}, QString::fromStdString(opened.message()));
        return;
    }
    embedder_ = std::move(opened.value());
    embedderPath_ = QFileInfo(path).absoluteFilePath();
    emit embeddingModelChanged(embedder_->modelId(), embedder_->reduced(), embedder_->deviceName(), {});
    for (auto it = entries_.cbegin(); it != entries_.cend(); ++it) scan(it.key());  // old chunks get vectors
}

void LibraryWorker::runNext() {
    if (running_ || queue_.isEmpty()) return;
    {
        QMutexLocker lock(&mutex_);
        if (stopping_) return;
    }
    const QString id = queue_.takeFirst();
    const auto it = entries_.constFind(id);
    if (it == entries_.cend()) return runNext();
    running_ = true;
    run(id, it.value());
    running_ = false;
    // Later: the event loop first delivers what queued up meanwhile (watcher events, commands).
    if (!queue_.isEmpty()) QTimer::singleShot(0, this, &LibraryWorker::runNext);
}

void LibraryWorker::run(const QString& id, const Entry& entry) {
    auto index = DocIndex::open(entry.indexPath);
    if (!index.ok()) {
            emit failed(id, QString::fromStdString(index.message()));
        return;
    }
    emit runStarted(id);
    IndexerOptions options;
    if (embedder_) {
        options.embedder = embedder_.get();
        options.countTokens = [e = embedder_.get()](const QString& text) { return e->countTokens(text); };
        // The chat finds the model again by this path (its hybrid search, document_retrieval.h).
        if (facet::Status s = index.value()->setMeta(QStringLiteral("embed_model_path"), embedderPath_); !s.ok()) {
            emit failed(id, QString::fromStdString(s.message()));
            return;
        }
    }
    options.keepGoing = [this, id] { return keepGoing(id); };
    // A root that vanished (an unplugged drive) is not an error for the others.
    QStringList present;
    for (const QString& r : entry.roots)
        if (QFile::exists(r)) present << r;
    bool stopped = false;
    if (!present.isEmpty()) {
        auto report = Indexer(*index.value(), options).add(present, [&](const IndexProgress& p) {
            emit progress(id, p.filesDone, p.filesTotal, p.currentFile, p.chunksAdded, p.embeddingsPerSecond);
        });
        if (!report.ok()) emit failed(id, QString::fromStdString(report.message()));
        else stopped = report->stopped;
    }
    index.value().reset();
    publishStatus(id, entry.indexPath);
    emit runFinished(id, stopped);
}

void LibraryWorker::publishStatus(const QString& id, const QString& indexPath) {
    auto index = DocIndex::open(indexPath);
    if (!index.ok()) return;
    auto st = index.value()->status();
    if (!st.ok()) return;
    QVariantList skipped;
    for (const SkippedFile& s : st->skipped) skipped << QVariantMap{{QStringLiteral("path"), s.path}, {QStringLiteral("reason"), s.reason}};
    emit statusChanged(id, QVariantMap{{QStringLiteral("files"), st->files},
                                       {QStringLiteral("indexed"), st->indexed},
                                       {QStringLiteral("chunks"), st->chunks},
                                       {QStringLiteral("embedded"), st->embedded},
                                       {QStringLiteral("pending"), st->pending},
                                       {QStringLiteral("skipped"), skipped}});
}

}  // namespace facet::docs
