// ModelManager: what the model manager page binds to. It joins the catalog
// (with fit estimates for this machine), Hugging Face search, the downloads
// and the installed models: a catalog entry or a searched file becomes a
// download job of every file it needs, with sizes and sha256 from the
// repository's file list; a verified job becomes an installed model and is
// announced with modelReady (the chat loads it). A catalog GGUF brings its
// vision projector in the same job (the entry's `mmproj` pattern); an
// installed catalog model without one can fetch it alone.
#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>
#include <QtQml/qqmlregistration.h>

#include "catalog_model.h"
#include "chat_settings.h"
#include "download_manager.h"
#include "hf_client.h"
#include "installed_models.h"
#include "variant_list_model.h"



class ModelManager : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(CatalogModel* catalog READ catalog CONSTANT)
    Q_PROPERTY(InstalledModelsModel* installed READ installed CONSTANT)
    Q_PROPERTY(DownloadManager* downloads READ downloads CONSTANT)
    Q_PROPERTY(VariantListModel* searchResults READ searchResults CONSTANT)  // repo, downloads, likes
    Q_PROPERTY(VariantListModel* repoFiles READ repoFiles CONSTANT)          // path, size, sha256, parts
    Q_PROPERTY(QString currentRepo READ currentRepo NOTIFY repoFilesChanged)
    // Persisted folder and token (ChatSettings); set settings first, or the values directly.
    Q_PROPERTY(ChatSettings* settings READ settings WRITE setSettings NOTIFY settingsChanged)
    Q_PROPERTY(QString modelsDir READ modelsDir WRITE setModelsDir NOTIFY modelsDirChanged)
    Q_PROPERTY(QString hfToken READ hfToken WRITE setHfToken NOTIFY hfTokenChanged)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY machineChanged)  // for the fit
    Q_PROPERTY(QString machineText READ machineText NOTIFY machineChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)  // a search or file list in flight
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)

public:
    explicit ModelManager(QObject* parent = nullptr);
    ~ModelManager() override;

    CatalogModel* catalog() { return &catalog_; }
    InstalledModelsModel* installed() { return &installed_; }
    DownloadManager* downloads() { return &downloads_; }
    VariantListModel* searchResults() { return &searchResults_; }
    VariantListModel* repoFiles() { return &repoFiles_; }
    HfClient& hub() { return hub_; }
    QString currentRepo() const { return currentRepo_; }
    ChatSettings* settings() const { return settings_; }
    void setSettings(ChatSettings* s);
    QString modelsDir() const { return installed_.folder(); }
    void setModelsDir(const QString& dir);
    QString hfToken() const { return hub_.token(); }
    void setHfToken(const QString& token);
    int contextLength() const { return context_; }
    void setContextLength(int n);
    QString machineText() const { return machineText_; }
    bool busy() const { return busy_ > 0; }
    QString error() const { return error_; }
    // Test hook and settings change: the machine the fit is computed for.
    void setMachine(const facet::MachineMemory& m, const QString& gpuName);

    // Starts downloading a catalog entry into <models>/<entry id>/. False
    // with `error` set when it cannot start; the file list is fetched first,
    // so a true return means the request is under way.
    Q_INVOKABLE bool downloadCatalogEntry(const QString& id);
    // "Download image support": the vision projector of the installed catalog
    // model at `modelPath` (in <models>/<entry id>/), fetched into its folder.
    // False with `error` set when the model is no catalog model with one.
    Q_INVOKABLE bool downloadImageSupport(const QString& modelPath);
    Q_INVOKABLE void search(const QString& text);
    Q_INVOKABLE void openRepo(const QString& repo);
    // A file of currentRepo (a split GGUF comes with all its parts) into
    // <models>/<owner>_<name>/.
    Q_INVOKABLE bool downloadRepoFile(const QString& path);
    Q_INVOKABLE void probeMachine();
    // Copies or links a .gguf / HF folder (path or file URL) into the models folder.
    Q_INVOKABLE bool importModel(const QString& pathOrUrl, bool link);
    Q_INVOKABLE void setModelsDirUrl(const QUrl& url) { setModelsDir(url.isLocalFile() ? url.toLocalFile() : url.toString()); }  // RAM and the GPU, on a worker thread
    Q_INVOKABLE void dismissError() { setError({}); }
    // "chat" or "embedding" for an installed model's path (from the last scan; no file I/O).
    Q_INVOKABLE QString kindOf(const QString& path) const;
    // "3.2 GiB", "850 MiB", "12 KiB"; and "1 h 05 min", "4 min 10 s", "12 s".
    Q_INVOKABLE QString formatBytes(qint64 bytes) const;
    Q_INVOKABLE QString formatDuration(qint64 seconds) const;

signals:
    void modelReady(const QString& path);
    // A downloaded EmbeddingGemma (catalog kind "embedding"): for Documents, not the chat.
    void embeddingModelReady(const QString& path);
    void settingsChanged();
    void modelsDirChanged();
    void hfTokenChanged();
    void machineChanged();
    void busyChanged();
    void errorChanged();
    void repoFilesChanged();
    void downloadQueued(int jobId);

private:
    void setError(const QString& e);
    void setBusy(int delta);
    // Files → one download job; checks the free space first. `targets`: where each file goes,
    // relative to `dir` (default: its path in the repository); a pin is for the first file.
    int enqueue(const QString& name, const QString& repo, const QList<HfFile>& files, const QString& dir,
                const QString& pinnedSha256, const QStringList& targets = {});
    void updateInstalledIds();
    // The catalog entry a model in <models>/<entry id>/ came from, or null.
    const CatalogEntry* entryOf(const QString& modelPath) const;

    CatalogModel catalog_;
    InstalledModelsModel installed_;
    DownloadManager downloads_;
    VariantListModel searchResults_{{"repo", "downloads", "likes", "updated"}};
    VariantListModel repoFiles_{{"path", "size", "sha256", "parts"}};
    QList<HfFile> repoFileList_;
    HfClient hub_;
    QPointer<ChatSettings> settings_;
    QString currentRepo_, machineText_, error_;
    int busy_ = 0, context_ = 8192;
    facet::MachineMemory machine_;
    QThread* probe_ = nullptr;
};
