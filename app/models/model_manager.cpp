#include "model_manager.h"

#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>

#include "chat_settings.h"
#include "machine_memory.h"
#include "vision/projector_pairing.h"

QString ModelManager::kindOf(const QString& path) const {
    const QString abs = QFileInfo(path).absoluteFilePath();
    for (const InstalledModel& m : installed_.items())
        if (m.path == abs) return m.kind;
    return QStringLiteral("chat");
}

ModelManager::ModelManager(QObject* parent) : QObject(parent) {
    QString error;
    catalog_.setEntries(builtinCatalog(&error));
    if (!error.isEmpty()) setError(error);
    downloads_.setStateFile(facetDataDir() + QStringLiteral("/downloads.json"));
    downloads_.restore();
    connect(&downloads_, &DownloadManager::modelReady, this, [this](const QString& path) {
        installed_.rescan();
        // A projector fetched alone (image support) adds to a model already there: nothing to load.
        if (facet::isProjectorFileName(QFileInfo(path).fileName().toStdString())) return;
        // A catalog download lands in <models>/<entry id>/: the entry says what it is for.
        const CatalogEntry* entry = catalog_.find(QFileInfo(path).dir().dirName());
        if (entry && entry->kind == QLatin1String("embedding")) emit embeddingModelReady(path);
        else emit modelReady(path);
    });
    connect(&downloads_, &DownloadManager::jobFailed, this, [this](int, const QString& e) { setError(e); });
    connect(&installed_, &InstalledModelsModel::scanned, this, &ModelManager::updateInstalledIds);
    connect(&catalog_, &CatalogModel::modelReset, this, &ModelManager::updateInstalledIds);
    connect(&installed_, &InstalledModelsModel::importFinished, this, [this](const QString&, const QString& e) {
        if (!e.isEmpty()) setError(e);
    });
    setModelsDir(facetDataDir() + QStringLiteral("/models"));
}

ModelManager::~ModelManager() {
    if (probe_) {
        probe_->wait();
        delete probe_;
    }
}

void ModelManager::setError(const QString& e) {
    if (e == error_) return;
    error_ = e;
    emit errorChanged();
}

void ModelManager::setBusy(int delta) {
    busy_ += delta;
    emit busyChanged();
}

void ModelManager::setSettings(ChatSettings* s) {
    if (s == settings_) return;
    if (settings_) disconnect(settings_, nullptr, this, nullptr);
    settings_ = s;
    if (s) {
        setModelsDir(s->modelsDir());
        setHfToken(s->hfToken());
        connect(s, &ChatSettings::appChanged, this, [this] {  // edited on the settings page
            setModelsDir(settings_->modelsDir());
            setHfToken(settings_->hfToken());
        });
    }
    emit settingsChanged();
}

void ModelManager::setModelsDir(const QString& dir) {
    if (dir.isEmpty() || dir == installed_.folder()) return;
    QDir().mkpath(dir);
    installed_.setFolder(dir);
    if (settings_ && settings_->modelsDir() != dir) settings_->setModelsDir(dir);
    emit modelsDirChanged();
}

void ModelManager::setHfToken(const QString& token) {
    if (token == hub_.token()) return;
    hub_.setToken(token);
    downloads_.setToken(token);
    if (settings_ && settings_->hfToken() != token) settings_->setHfToken(token);
    emit hfTokenChanged();
}

void ModelManager::setContextLength(int n) {
    n = qBound(512, n, 262144);
    if (n == context_) return;
    context_ = n;
    catalog_.setMachine(machine_, context_);
    emit machineChanged();
}

void ModelManager::setMachine(const facet::MachineMemory& m, const QString& gpuName) {
    machine_ = m;
    machineText_ = tr("%1 RAM").arg(formatBytes(qint64(m.ramBytes))) +
                   (gpuName.isEmpty() ? tr(" · no GPU (models run on the CPU)")
                    : m.unified       ? tr(" · %1 (shares the RAM)").arg(gpuName)
                                      : tr(" · %1 with %2").arg(gpuName, formatBytes(qint64(m.vramBytes))));
    catalog_.setMachine(machine_, context_);
    emit machineChanged();
}

void ModelManager::probeMachine() {
    if (probe_) return;
    const QString device = settings_ ? settings_->device() : QString();
    probe_ = QThread::create([this, device] {
        const MachineProbe p = ::probeMachine(device);
        QMetaObject::invokeMethod(this, [this, p] { setMachine(p.memory, p.gpuName); }, Qt::QueuedConnection);
    });
    connect(probe_, &QThread::finished, this, [this] {
        probe_->deleteLater();
        probe_ = nullptr;
    });
    probe_->start();
}

int ModelManager::enqueue(const QString& name, const QString& repo, const QList<HfFile>& files, const QString& dir,
                          const QString& pinnedSha256, const QStringList& targets) {
    qint64 needed = 0;
    QVariantList list;
    for (int i = 0; i < files.size(); ++i) {
        const HfFile& f = files[i];
        const QString path = QDir(dir).filePath(i < targets.size() ? targets[i] : f.path);
        const qint64 have = QFileInfo(path + ".part").size();
        needed += std::max<qint64>(0, f.size - have);
        // A pin is for the model's one file, which comes first (a projector may follow).
        const QString sha = !pinnedSha256.isEmpty() && i == 0 ? pinnedSha256 : f.sha256;
        list << QVariantMap{{"url", hub_.fileUrl(repo, f.path)}, {"path", path}, {"sha256", sha}, {"size", f.size}};
    }
    QDir().mkpath(dir);
    const QStorageInfo disk(dir);
    if (disk.isValid() && disk.bytesAvailable() < needed) {
        setError(tr("Not enough disk space for %1: it needs %2, %3 has %4 free.")
                     .arg(name, formatBytes(needed), disk.rootPath(), formatBytes(disk.bytesAvailable())));
        return -1;
    }
    const int id = downloads_.enqueue(name, list, hub_.token());
    if (id < 0) setError(downloads_.lastError());
    else emit downloadQueued(id);
    return id;
}

bool ModelManager::downloadCatalogEntry(const QString& id) {
    const CatalogEntry* found = catalog_.find(id);
    if (!found) {
        setError(tr("No catalog entry %1.").arg(id));
        return false;
    }
    const CatalogEntry e = *found;
    setError({});
    setBusy(+1);
    hub_.listFiles(e.repo, [this, e](const QList<HfFile>& all, const QString& error) {
        setBusy(-1);
        if (!error.isEmpty()) return setError(tr("Could not list the files of %1: %2").arg(e.repo, error));
        QList<HfFile> files;
        QStringList paths;
        for (const HfFile& f : all) {
            if (e.wants(f.path)) files << f;
            paths << f.path;
        }
        if (files.isEmpty())
            return setError(tr("%1 has no file matching %2: the repository may have changed.").arg(e.repo, e.include.join(", ")));
        // A split GGUF's parts in order: part 1 is the model the job announces.
        std::sort(files.begin(), files.end(), [](const HfFile& a, const HfFile& b) { return a.path < b.path; });
        if (!e.sha256.isEmpty() && (files.size() != 1 || (!files[0].sha256.isEmpty() && files[0].sha256 != e.sha256)))
            return setError(tr("%1 in %2 is not the file the catalog knows (sha256 differs).").arg(files[0].path, e.repo));
        // The projector goes last, so the job's first file stays the model it announces, and
        // into the model's own folder (even from another one of the repository), where
        // findProjector looks. A repository without one still gives a text model.
        QStringList targets;
        for (const HfFile& f : files) targets << f.path;
        const QString projector = e.pickProjector(paths);
        for (const HfFile& f : all)
            if (f.path == projector) {
                files << f;
                const QString modelFolder = files.first().path.section('/', 0, -2);
                targets << (modelFolder.isEmpty() ? QString() : modelFolder + '/') + f.path.section('/', -1);
            }
        enqueue(e.name, e.repo, files, QDir(installed_.folder()).filePath(e.id), e.sha256, targets);
    });
    return true;
}

const CatalogEntry* ModelManager::entryOf(const QString& modelPath) const {
    // <models>/<entry id>/[sub/]model.gguf
    const QString rel = QDir(installed_.folder()).relativeFilePath(QFileInfo(modelPath).absoluteFilePath());
    if (rel.startsWith(QLatin1String("../")) || !rel.contains('/')) return nullptr;
    return catalog_.find(rel.section('/', 0, 0));
}

bool ModelManager::downloadImageSupport(const QString& modelPath) {
    const CatalogEntry* found = entryOf(modelPath);
    if (!found || found->mmproj.isEmpty()) {
        setError(tr("%1 is no catalog model with image support to download.").arg(QFileInfo(modelPath).fileName()));
        return false;
    }
    const CatalogEntry e = *found;
    const QString dir = QFileInfo(modelPath).absolutePath();
    setError({});
    setBusy(+1);
    hub_.listFiles(e.repo, [this, e, dir](const QList<HfFile>& all, const QString& error) {
        setBusy(-1);
        if (!error.isEmpty()) return setError(tr("Could not list the files of %1: %2").arg(e.repo, error));
        QStringList paths;
        for (const HfFile& f : all) paths << f.path;
        const QString projector = e.pickProjector(paths);
        if (projector.isEmpty())
            return setError(tr("%1 has no file matching %2: the repository may have changed.").arg(e.repo, e.mmproj));
        for (const HfFile& f : all)
            if (f.path == projector)
                enqueue(tr("%1 image support").arg(e.name), e.repo, {f}, dir, {}, {f.path.section('/', -1)});
    });
    return true;
}

void ModelManager::search(const QString& text) {
    setBusy(+1);
    hub_.search(text, [this](const QList<HfRepo>& repos, const QString& error) {
        setBusy(-1);
        if (!error.isEmpty()) return setError(tr("Search failed: %1").arg(error));
        QList<QVariantMap> rows;
        for (const HfRepo& r : repos)
            rows << QVariantMap{{"repo", r.id}, {"downloads", r.downloads}, {"likes", r.likes}, {"updated", r.updated}};
        searchResults_.setRows(rows);
    });
}

void ModelManager::openRepo(const QString& repo) {
    setBusy(+1);
    hub_.listFiles(repo, [this, repo](const QList<HfFile>& all, const QString& error) {
        setBusy(-1);
        if (!error.isEmpty()) return setError(tr("Could not list the files of %1: %2").arg(repo, error));
        repoFileList_ = all;
        currentRepo_ = repo;
        QList<QVariantMap> rows;
        for (const HfFile& f : all) {
            if (!f.path.endsWith(".gguf", Qt::CaseInsensitive) || f.path.section('/', -1).startsWith("mmproj")) continue;
            const SplitPartName split = ggufSplit(f.path);
            if (split.index > 1) continue;
            qint64 size = f.size;
            if (split.count > 0)  // one row for a split model: its whole size
                for (const HfFile& g : all)
                    if (g.path != f.path && ggufSplit(g.path).stem == split.stem) size += g.size;
            rows << QVariantMap{{"path", f.path}, {"size", size}, {"sha256", f.sha256}, {"parts", std::max(split.count, 1)}};
        }
        repoFiles_.setRows(rows);
        emit repoFilesChanged();
    });
}

bool ModelManager::downloadRepoFile(const QString& path) {
    QList<HfFile> files;
    const SplitPartName split = ggufSplit(path);
    for (const HfFile& f : repoFileList_)
        if (f.path == path || (split.count > 0 && ggufSplit(f.path).stem == split.stem)) files << f;
    if (files.isEmpty()) {
        setError(tr("%1 is not a file of %2.").arg(path, currentRepo_));
        return false;
    }
    std::sort(files.begin(), files.end(), [](const HfFile& a, const HfFile& b) { return a.path < b.path; });
    QString folder = currentRepo_;
    folder.replace('/', '_');
    return enqueue(QFileInfo(path).fileName(), currentRepo_, files, QDir(installed_.folder()).filePath(folder), {}) >= 0;
}

bool ModelManager::importModel(const QString& pathOrUrl, bool link) {
    if (installed_.importModel(pathOrUrl, link)) return true;
    setError(installed_.lastError());
    return false;
}

void ModelManager::updateInstalledIds() {
    QStringList ids, withProjector;
    for (const CatalogEntry& e : catalog_.entries()) {
        const QString dir = QDir(installed_.folder()).filePath(e.id) + '/';
        for (const InstalledModel& m : installed_.items())
            if ((m.path + '/').startsWith(dir) && m.error.isEmpty()) ids << e.id;
        if (!e.mmproj.isEmpty()) withProjector << e.id;
    }
    catalog_.setInstalled(ids);
    installed_.setProjectorEntries(withProjector);
}

QString ModelManager::formatBytes(qint64 bytes) const {
    if (bytes < 0) return tr("unknown size");
    const double b = double(bytes);
    if (b >= 1073741824.0) return tr("%1 GiB").arg(b / 1073741824.0, 0, 'f', 1);
    if (b >= 1048576.0) return tr("%1 MiB").arg(b / 1048576.0, 0, 'f', 0);
    return tr("%1 KiB").arg(b / 1024.0, 0, 'f', 0);
}

QString ModelManager::formatDuration(qint64 s) const {
    if (s < 0) return tr("unknown");
    if (s >= 3600) return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
    if (s >= 60) return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 s").arg(s);
}
