#include "document_library.h"

#include <QFileInfo>
#include <QTimer>

#include "chat_settings.h"  // facetDataDir()
#include "library_worker.h"

using facet::docs::Collection;
using facet::docs::CollectionStore;
using facet::docs::LibraryWorker;

namespace {

QString toPath(const QVariant& v) {
    const QUrl url = v.toUrl();
    if (v.userType() == QMetaType::QUrl || (url.isValid() && url.isLocalFile())) return url.toLocalFile();
    return v.toString();
}

}  // namespace

DocumentLibrary::DocumentLibrary(QObject* parent)
    : QObject(parent),
      collections_({"id", "name", "indexPath", "sources", "files", "indexed", "chunks", "embedded", "pending", "skippedCount"}),
      sources_({"path", "name", "folder"}),
      skipped_({"path", "name", "reason"}) {
    worker_ = new LibraryWorker();
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::started, worker_, &LibraryWorker::lowerThreadPriority);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &LibraryWorker::statusChanged, this, &DocumentLibrary::onStatus);
    connect(worker_, &LibraryWorker::progress, this, &DocumentLibrary::onProgress);
    connect(worker_, &LibraryWorker::runFinished, this, &DocumentLibrary::onRunFinished);
    connect(worker_, &LibraryWorker::failed, this, [this](const QString&, const QString& message) { setError(message); });
    connect(worker_, &LibraryWorker::embeddingModelChanged, this, &DocumentLibrary::onEmbedding);
    thread_.start();
    // QML sets `directory` (or not) right after construction; the default is loaded only if it did not.
    QTimer::singleShot(0, this, &DocumentLibrary::ensureLoaded);
}

DocumentLibrary::~DocumentLibrary() {
    worker_->shutdown();  // a run stops before its next file; what it committed stays
    thread_.quit();
    thread_.wait();
}

void DocumentLibrary::ensureLoaded() {
    if (!store_) setDirectory(facetDataDir() + QStringLiteral("/documents"));
}

void DocumentLibrary::setDirectory(const QString& dir) {
    if (store_ && dir == directory_) return;
    if (store_)
        for (const Collection& c : store_->collections())
            QMetaObject::invokeMethod(worker_, [w = worker_, id = c.id] { w->forgetCollection(id, false); });
    directory_ = dir;
    store_ = std::make_unique<CollectionStore>(dir);
    if (facet::Status s = store_->load(); !s.ok()) setError(QString::fromStdString(s.message()));
    status_.clear();
    // The worker embeds with the saved model first, then scans (its queue keeps this order).
    embeddingModel_.clear();
    applyEmbeddingModel(store_->embeddingModel());
    for (const Collection& c : store_->collections()) pushCollection(c);
    if (!store_->collections().empty() && !store_->find(currentId_)) currentId_ = store_->collections().front().id;
    refreshCollections();
    refreshCurrent();
    emit directoryChanged();
    emit currentChanged();
}

void DocumentLibrary::pushCollection(const Collection& c) {
    QMetaObject::invokeMethod(worker_, [w = worker_, id = c.id, path = store_->indexPath(c.id), roots = c.roots] {
        w->setCollection(id, path, roots);
    });
}

void DocumentLibrary::setCurrentId(const QString& id) {
    if (id == currentId_) return;
    currentId_ = id;
    refreshCurrent();
    emit currentChanged();
}

void DocumentLibrary::setPaused(bool paused) {
    if (paused == paused_) return;
    paused_ = paused;
    worker_->setPaused(paused);
    emit pausedChanged();
}

void DocumentLibrary::setEmbeddingModel(const QString& path) {
    ensureLoaded();
    if (path == embeddingModel_) return;
    if (facet::Status s = store_->setEmbeddingModel(path); !s.ok()) setError(QString::fromStdString(s.message()));
    applyEmbeddingModel(path);
}

void DocumentLibrary::useEmbeddingModelFile(const QVariant& pathOrUrl) { setEmbeddingModel(toPath(pathOrUrl)); }

void DocumentLibrary::applyEmbeddingModel(const QString& path) {
    if (path == embeddingModel_ && !path.isEmpty()) return;
    embeddingModel_ = path;
    embeddingNote_ = path.isEmpty() ? tr("Keyword search only: no embedding model is set.") : tr("Loading the embedding model…");
    emit embeddingChanged();
    QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->setEmbeddingModel(path); });
}

void DocumentLibrary::onEmbedding(const QString& modelId, bool reduced, const QString& device, const QString& error) {
    if (!error.isEmpty()) embeddingNote_ = tr("Embedding model not used: %1").arg(error);
    else if (modelId.isEmpty()) embeddingNote_ = tr("Keyword search only: no embedding model is set.");
    else if (reduced)
        embeddingNote_ = tr("EmbeddingGemma in its reduced form (no dense head), on %1: semantic search works but ranks less well.").arg(device);
    else embeddingNote_ = tr("EmbeddingGemma on %1: hybrid keyword and semantic search.").arg(device);
    emit embeddingChanged();
}

QString DocumentLibrary::createCollection(const QString& name) {
    ensureLoaded();
    auto id = store_->create(name);
    if (!id.ok()) {
        setError(QString::fromStdString(id.message()));
        return {};
    }
    pushCollection(*store_->find(id.value()));
    refreshCollections();
    setCurrentId(id.value());
    return id.value();
}

bool DocumentLibrary::renameCollection(const QString& id, const QString& name) {
    ensureLoaded();
    if (facet::Status s = store_->rename(id, name); !s.ok()) {
        setError(QString::fromStdString(s.message()));
        return false;
    }
    refreshCollections();
    return true;
}

bool DocumentLibrary::deleteCollection(const QString& id) {
    ensureLoaded();
    if (facet::Status s = store_->remove(id); !s.ok()) {
        setError(QString::fromStdString(s.message()));
        return false;
    }
    worker_->cancel(id);  // a run on it stops at once; the worker then deletes its index
    QMetaObject::invokeMethod(worker_, [w = worker_, id] { w->forgetCollection(id, true); });
    status_.remove(id);
    if (currentId_ == id) currentId_ = store_->collections().empty() ? QString() : store_->collections().front().id;
    refreshCollections();
    refreshCurrent();
    emit currentChanged();
    return true;
}

bool DocumentLibrary::addSources(const QString& id, const QVariantList& pathsOrUrls) {
    ensureLoaded();
    QStringList paths;
    for (const QVariant& v : pathsOrUrls) paths << toPath(v);
    auto added = store_->addRoots(id, paths);
    if (!added.ok()) {
        setError(QString::fromStdString(added.message()));
        return false;
    }
    pushCollection(*store_->find(id));
    refreshCollections();
    refreshCurrent();
    return true;
}

bool DocumentLibrary::removeSource(const QString& id, const QString& path) {
    ensureLoaded();
    if (facet::Status s = store_->removeRoot(id, path); !s.ok()) {
        setError(QString::fromStdString(s.message()));
        return false;
    }
    QMetaObject::invokeMethod(worker_, [w = worker_, id, path, roots = store_->find(id)->roots] { w->removeRoot(id, path, roots); });
    refreshCollections();
    refreshCurrent();
    return true;
}

void DocumentLibrary::rescan(const QString& id) {
    QMetaObject::invokeMethod(worker_, [w = worker_, id] { w->scan(id); });
}

QString DocumentLibrary::indexPath(const QString& id) const { return store_ && store_->find(id) ? store_->indexPath(id) : QString(); }

QString DocumentLibrary::collectionName(const QString& id) const {
    const Collection* c = store_ ? store_->find(id) : nullptr;
    return c ? c->name : QString();
}

void DocumentLibrary::onStatus(const QString& id, const QVariantMap& status) {
    if (!store_ || !store_->find(id)) return;  // deleted meanwhile
    status_[id] = status;
    refreshCollections();
    if (id == currentId_) refreshCurrent();
    emit statusChanged(id);
}

void DocumentLibrary::onProgress(const QString& id, int done, int total, const QString& file, qint64 chunks, double rate) {
    indexingId_ = id;
    filesDone_ = done;
    filesTotal_ = total;
    currentFile_ = file;
    chunks_ = chunks;
    rate_ = rate;
    emit progressChanged();
}

void DocumentLibrary::onRunFinished(const QString& id) {
    if (indexingId_ != id) return;
    indexingId_.clear();
    currentFile_.clear();
    emit progressChanged();
}

void DocumentLibrary::refreshCollections() {
    QList<QVariantMap> rows;
    for (const Collection& c : store_->collections()) {
        const QVariantMap st = status_.value(c.id);
        rows << QVariantMap{{"id", c.id},
                            {"name", c.name},
                            {"indexPath", store_->indexPath(c.id)},
                            {"sources", int(c.roots.size())},
                            {"files", st.value("files", 0)},
                            {"indexed", st.value("indexed", 0)},
                            {"chunks", st.value("chunks", 0)},
                            {"embedded", st.value("embedded", 0)},
                            {"pending", st.value("pending", 0)},
                            {"skippedCount", st.value("skipped").toList().size()}};
    }
    collections_.setRows(rows);
    emit titlesChanged();
}

QVariantMap DocumentLibrary::titles() const {
    QVariantMap out;
    if (store_)
        for (const Collection& c : store_->collections()) out.insert(store_->indexPath(c.id), c.name);
    return out;
}

void DocumentLibrary::refreshCurrent() {
    QList<QVariantMap> sources, skipped;
    if (const Collection* c = store_ ? store_->find(currentId_) : nullptr) {
        for (const QString& r : c->roots) sources << QVariantMap{{"path", r}, {"name", QFileInfo(r).fileName()}, {"folder", QFileInfo(r).isDir()}};
        for (const QVariant& v : status_.value(c->id).value("skipped").toList()) {
            QVariantMap m = v.toMap();
            m["name"] = QFileInfo(m.value("path").toString()).fileName();
            skipped << m;
        }
    }
    sources_.setRows(sources);
    skipped_.setRows(skipped);
}

void DocumentLibrary::setError(const QString& e) {
    if (e == error_) return;
    error_ = e;
    emit errorChanged();
}
