// DocumentLibrary: what the documents page binds to. It keeps the user's
// collections (CollectionStore: collections.json beside one index file per
// collection), and runs every scan, watch and index write on its own
// low-priority thread (LibraryWorker), so neither the UI nor a running chat
// ever waits for a document. Folders are watched; files come by picker or drop.
#pragma once

#include <QObject>
#include <QThread>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include "collection_store.h"
#include "variant_list_model.h"

namespace facet::docs {
class LibraryWorker;
}

class DocumentLibrary : public QObject {
    Q_OBJECT
    QML_ELEMENT
    // id, name, indexPath, sources, files, indexed, chunks, embedded, pending, skippedCount
    Q_PROPERTY(VariantListModel* collections READ collections CONSTANT)
    Q_PROPERTY(QVariantMap titles READ titles NOTIFY titlesChanged)  // index path -> collection name
    Q_PROPERTY(QString currentId READ currentId WRITE setCurrentId NOTIFY currentChanged)
    Q_PROPERTY(VariantListModel* sources READ sources CONSTANT)  // path, name, folder (of currentId)
    Q_PROPERTY(VariantListModel* skipped READ skipped CONSTANT)  // path, name, reason (of currentId)
    // Holds collections.json and the indexes; FACET_DATA_DIR/documents by default.
    Q_PROPERTY(QString directory READ directory WRITE setDirectory NOTIFY directoryChanged)
    Q_PROPERTY(bool paused READ paused WRITE setPaused NOTIFY pausedChanged)
    Q_PROPERTY(bool indexing READ indexing NOTIFY progressChanged)
    Q_PROPERTY(QString indexingId READ indexingId NOTIFY progressChanged)
    Q_PROPERTY(int filesDone READ filesDone NOTIFY progressChanged)
    Q_PROPERTY(int filesTotal READ filesTotal NOTIFY progressChanged)
    Q_PROPERTY(QString currentFile READ currentFile NOTIFY progressChanged)
    Q_PROPERTY(qint64 chunksAdded READ chunksAdded NOTIFY progressChanged)
    Q_PROPERTY(double embeddingsPerSecond READ embeddingsPerSecond NOTIFY progressChanged)
    // An EmbeddingGemma GGUF; "" = keyword search only.
    Q_PROPERTY(QString embeddingModel READ embeddingModel WRITE setEmbeddingModel NOTIFY embeddingChanged)
    Q_PROPERTY(QString embeddingNote READ embeddingNote NOTIFY embeddingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit DocumentLibrary(QObject* parent = nullptr);
    ~DocumentLibrary() override;

    VariantListModel* collections() { return &collections_; }
    VariantListModel* sources() { return &sources_; }
    VariantListModel* skipped() { return &skipped_; }
    QVariantMap titles() const;
    QString currentId() const { return currentId_; }
    void setCurrentId(const QString& id);
    QString directory() const { return directory_; }
    void setDirectory(const QString& dir);
    bool paused() const { return paused_; }
    void setPaused(bool paused);
    bool indexing() const { return !indexingId_.isEmpty(); }
    QString indexingId() const { return indexingId_; }
    int filesDone() const { return filesDone_; }
    int filesTotal() const { return filesTotal_; }
    QString currentFile() const { return currentFile_; }
    qint64 chunksAdded() const { return chunks_; }
    double embeddingsPerSecond() const { return rate_; }
    QString embeddingModel() const { return embeddingModel_; }
    void setEmbeddingModel(const QString& path);
    QString embeddingNote() const { return embeddingNote_; }
    QString error() const { return error_; }

    // The new collection's id ("" and `error` set on failure); it becomes current.
    Q_INVOKABLE QString createCollection(const QString& name);
    Q_INVOKABLE bool renameCollection(const QString& id, const QString& name);
    Q_INVOKABLE bool deleteCollection(const QString& id);
    // Folders (watched) and files, as paths or file URLs (the picker, a drop).
    Q_INVOKABLE bool addSources(const QString& id, const QVariantList& pathsOrUrls);
    Q_INVOKABLE bool removeSource(const QString& id, const QString& path);
    Q_INVOKABLE void rescan(const QString& id);
    Q_INVOKABLE QString indexPath(const QString& id) const;
    Q_INVOKABLE QString collectionName(const QString& id) const;
    Q_INVOKABLE void useEmbeddingModelFile(const QVariant& pathOrUrl);  // a picker's URL
    Q_INVOKABLE void dismissError() { setError({}); }

signals:
    void currentChanged();
    void titlesChanged();
    void directoryChanged();
    void pausedChanged();
    void progressChanged();
    void embeddingChanged();
    void errorChanged();
    // A collection's counts changed (a run ended): the tests and the page wait on it.
    void statusChanged(const QString& id);

private:
    void ensureLoaded();
    void applyEmbeddingModel(const QString& path);  // tells the worker; does not save
    void pushCollection(const facet::docs::Collection& c);
    void refreshCollections();
    void refreshCurrent();
    void setError(const QString& e);
    void onStatus(const QString& id, const QVariantMap& status);
    void onProgress(const QString& id, int done, int total, const QString& file, qint64 chunks, double rate);
    void onRunFinished(const QString& id);
    void onEmbedding(const QString& modelId, bool reduced, const QString& device, const QString& error);

    std::unique_ptr<facet::docs::CollectionStore> store_;
    QThread thread_;
    facet::docs::LibraryWorker* worker_ = nullptr;  // lives on thread_
    VariantListModel collections_, sources_, skipped_;
    QHash<QString, QVariantMap> status_;  // last counts per collection id
    QString currentId_, directory_, indexingId_, currentFile_, embeddingModel_, embeddingNote_, error_;
    int filesDone_ = 0, filesTotal_ = 0;
    qint64 chunks_ = 0;
    double rate_ = 0;
    bool paused_ = false;
};
