#include "installed_models.h"

#include <algorithm>

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>

#include "embedding/embedding_model.h"
#include "model/gguf_split.h"
#include "model/model.h"
#include "vision/projector_pairing.h"

namespace {

bool isHfFolder(const QDir& d) {
    return d.exists("config.json") && !d.entryList({"*.safetensors"}, QDir::Files).isEmpty();
}

// The first file of a split GGUF stands for the model; vision projectors are not chat models.
bool isModelGguf(const QFileInfo& f) {
    return !facet::isProjectorFileName(f.fileName().toStdString()) && ggufSplit(f.fileName()).index <= 1;
}

qint64 bytesIn(const QString& path) {
    const QFileInfo fi(path);
    if (!fi.isDir()) {
        qint64 n = 0;
        for (const QString& part : ggufSplitParts(path)) n += QFileInfo(part).size();  // a split model: all parts
        return n;
    }
    qint64 n = 0;
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) n += QFileInfo(it.next()).size();
    return n;
}

QList<InstalledModel> scanFolder(const QString& folder) {
    QList<InstalledModel> out;
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) return out;
    QList<QString> dirs{folder};
    for (int depth = 0; depth < 4 && !dirs.isEmpty(); ++depth) {  // models live at most a few folders down
        QList<QString> next;
        for (const QString& d : dirs) {
            const QDir dir(d);
            if (d != folder && isHfFolder(dir)) {
                out << InstalledModelsModel::describe(d);
                continue;
            }
            for (const QFileInfo& f : dir.entryInfoList({"*.gguf"}, QDir::Files))
                if (isModelGguf(f)) out << InstalledModelsModel::describe(f.absoluteFilePath());
            for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) next << sub.absoluteFilePath();
        }
        dirs = next;
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name.compare(b.name, Qt::CaseInsensitive) < 0; });
    return out;
}

}  // namespace

// The engine's reading of the name (engine/model/gguf_split.h), so the app
// and the loader agree on what is a part.
SplitPartName ggufSplit(const QString& path) {
    const std::optional<facet::GgufSplitName> n = facet::parseGgufSplitName(path.toStdString());
    return n ? SplitPartName{QString::fromStdString(n->stem), n->index, n->count} : SplitPartName{};
}

QStringList ggufSplitParts(const QString& path) {
    const SplitPartName split = ggufSplit(path);
    if (split.count < 1 || split.count > facet::kMaxGgufSplitParts) return {path};
    const QString ext = path.right(5);  // ".gguf" as the file spells it (".GGUF" too)
    QStringList parts;
    for (int i = 1; i <= split.count; ++i)
        parts << QStringLiteral("%1-%2-of-%3%4").arg(split.stem).arg(i, 5, 10, QChar('0')).arg(split.count, 5, 10, QChar('0')).arg(ext);
    return parts;
}

QString ggufFirstPart(const QString& path) { return ggufSplitParts(path).first(); }

InstalledModelsModel::InstalledModelsModel(QObject* parent) : QAbstractListModel(parent) {}

InstalledModelsModel::~InstalledModelsModel() {
    for (QThread* t : threads_) {
        t->wait();
        delete t;
    }
}

InstalledModel InstalledModelsModel::describe(const QString& path) {
    InstalledModel m;
    m.path = QFileInfo(path).absoluteFilePath();
    m.name = QFileInfo(path).fileName();
    m.sizeBytes = bytesIn(path);
    auto opened = facet::Model::open(path.toStdString());
    if (!opened.ok()) {
        // An EmbeddingGemma GGUF is no chat model but belongs here: Documents uses it.
        if (auto embedding = facet::EmbeddingModel::open(path.toStdString()); embedding.ok()) {
            const facet::EmbeddingDesc& ed = embedding.value()->desc();
            m.kind = QStringLiteral("embedding");
            m.variant = embedding.value()->hasDense() ? QStringLiteral("EmbeddingGemma")
                                                      : tr("EmbeddingGemma (reduced: no dense head)");
            m.contextLength = ed.contextLength;
            for (const facet::EmbeddingTensorSpec& s : facet::embeddingTensorList(ed)) {
                int64_t elems = 1;
                for (int64_t e : s.ne) elems *= e;
                m.parameters += elems;
            }
            m.weightType = QString::fromStdString(facet::typeName(embedding.value()->layer(0, facet::EmbeddingRole::AttnQ).type));
            return m;
        }
        m.error = QString::fromStdString(opened.message());
        return m;
    }
    const facet::Model& model = *opened.value();
    const facet::ModelDesc& d = model.desc();
    if (QFileInfo(m.path).isDir()) {
        // Google's folders carry the tower in their weights (Gemma4ForConditionalGeneration).
        const auto tower = facet::hfFolderHasVisionTower(m.path.toStdString());
        m.seesImages = tower.ok() && tower.value();
        if (!tower.ok()) m.projectorNote = QString::fromStdString(tower.message());
    } else {
        const facet::ProjectorPairing pairing = facet::findProjector(m.path.toStdString(), d.hidden);
        m.seesImages = pairing.paired();
        m.projector = QString::fromStdString(pairing.path);
        m.projectorNote = QString::fromStdString(pairing.reason);
    }
    m.variant = QString::fromUtf8(facet::variantName(facet::detectVariant(d)));
    m.contextLength = d.contextLength;
    m.parameters = facet::countParams(d).total;
    int best = 0;
    for (const auto& [type, n] : model.typeCounts())
        if (type != "F32" && n > best) {
            best = n;
            m.weightType = QString::fromStdString(type);
        }
    if (m.weightType.isEmpty()) m.weightType = QStringLiteral("F32");
    return m;
}

QVariant InstalledModelsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const InstalledModel& m = items_[index.row()];
    switch (role) {
        case Qt::DisplayRole:
        case NameRole: return m.name;
        case PathRole: return m.path;
        case VariantRole: return m.variant;
        case KindRole: return m.kind;
        case WeightTypeRole: return m.weightType;
        case ParametersRole: return m.parameters;
        case SizeRole: return m.sizeBytes;
        case ContextRole: return m.contextLength;
        case ErrorRole: return m.error;
        case SeesImagesRole: return m.seesImages;
        case ProjectorRole: return m.projector;
        case ImageSupportAvailableRole: return offersProjector(m);
        default: return {};
    }
}

QHash<int, QByteArray> InstalledModelsModel::roleNames() const {
    return {{NameRole, "name"},         {PathRole, "path"}, {VariantRole, "variant"}, {KindRole, "kind"}, {WeightTypeRole, "weightType"},
            {ParametersRole, "parameters"}, {SizeRole, "sizeBytes"}, {ContextRole, "contextLength"}, {ErrorRole, "error"},
            {SeesImagesRole, "seesImages"}, {ProjectorRole, "projector"}, {ImageSupportAvailableRole, "imageSupportAvailable"}};
}

void InstalledModelsModel::setProjectorEntries(const QStringList& entryIds) {
    if (entryIds == projectorEntries_) return;
    projectorEntries_ = entryIds;
    if (!items_.isEmpty()) emit dataChanged(index(0), index(int(items_.size()) - 1), {ImageSupportAvailableRole});
}

bool InstalledModelsModel::offersProjector(const InstalledModel& m) const {
    if (m.seesImages || !m.error.isEmpty() || m.kind != QLatin1String("chat") || !m.path.endsWith(".gguf", Qt::CaseInsensitive))
        return false;
    // <folder>/<entry id>/[sub/]model.gguf; string work only (data() runs on the UI thread).
    const QString root = QFileInfo(folder_).absoluteFilePath() + '/';
    return m.path.startsWith(root) && projectorEntries_.contains(m.path.mid(root.size()).section('/', 0, 0));
}

void InstalledModelsModel::setFolder(const QString& dir) {
    if (dir == folder_) return;
    folder_ = dir;
    emit folderChanged();
    rescan();
}

qint64 InstalledModelsModel::totalBytes() const {
    qint64 n = 0;
    for (const auto& m : items_) n += m.sizeBytes;
    return n;
}

bool InstalledModelsModel::contains(const QString& fileName) const {
    for (const auto& m : items_)
        if (m.name == fileName) return true;
    return false;
}

void InstalledModelsModel::runInThread(std::function<void()> work) {
    QThread* t = QThread::create(std::move(work));
    threads_ << t;
    connect(t, &QThread::finished, this, [this, t] {
        threads_.removeOne(t);
        t->deleteLater();
    });
    t->start();
}

void InstalledModelsModel::rescan() {
    const quint64 gen = ++generation_;
    ++scanning_;
    emit scanningChanged();
    const QString folder = folder_;
    runInThread([this, gen, folder] {
        QList<InstalledModel> found = scanFolder(folder);
        QMetaObject::invokeMethod(this, [this, gen, found = std::move(found)] {
            --scanning_;
            if (gen == generation_) {  // a newer scan's answer wins
                beginResetModel();
                items_ = found;
                endResetModel();
                emit scanned();
            }
            emit scanningChanged();
        }, Qt::QueuedConnection);
    });
}

bool InstalledModelsModel::remove(const QString& path) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    const QString root = QFileInfo(folder_).absoluteFilePath() + '/';
    if (folder_.isEmpty() || !abs.startsWith(root)) {
        lastError_ = tr("%1 is not in the models folder").arg(path);
        return false;
    }
    const QFileInfo fi(abs);
    bool ok = true;
    if (fi.isDir() && !fi.isSymLink()) {
        ok = QDir(abs).removeRecursively();
    } else {
        for (const QString& part : ggufSplitParts(abs))  // a split model goes whole; a missing part is no failure
            if (part == abs || QFileInfo::exists(part) || QFileInfo(part).isSymLink()) ok = QFile::remove(part) && ok;
    }
    if (!ok) lastError_ = tr("could not delete %1").arg(abs);
    // Its projector goes too, unless another model pairs with it (as the last scan found them).
    QString projector;
    for (const InstalledModel& m : items_)
        if (m.path == abs) projector = m.projector;
    const bool shared = std::any_of(items_.begin(), items_.end(),
                                    [&](const InstalledModel& m) { return m.path != abs && m.projector == projector; });
    if (ok && !projector.isEmpty() && !shared && projector.startsWith(root) && !QFile::remove(projector))
        lastError_ = tr("could not delete %1").arg(projector);
    rescan();
    return ok;
}

bool InstalledModelsModel::importModel(const QString& sourceOrUrl, bool link) {
    const QString source = sourceOrUrl.startsWith("file:") ? QUrl(sourceOrUrl).toLocalFile() : sourceOrUrl;
    const QFileInfo src(source);
    const bool folder = src.isDir() && isHfFolder(QDir(source));
    if (!src.exists() || (!folder && !(src.isFile() && source.endsWith(".gguf", Qt::CaseInsensitive)))) {
        lastError_ = tr("%1 is neither a .gguf file nor a Hugging Face model folder").arg(source);
        return false;
    }
    if (folder_.isEmpty() || !QDir().mkpath(folder_)) {
        lastError_ = tr("the models folder %1 cannot be created").arg(folder_);
        return false;
    }
    // A split model comes whole: every part beside the one picked, part 1
    // last, as it stands for the model in a scan. A part missing refuses it.
    QStringList sources{src.absoluteFilePath()};
    if (!folder) {
        sources.clear();
        const QStringList parts = ggufSplitParts(src.absoluteFilePath());
        for (int i = 0; i < parts.size(); ++i) {
            if (!QFileInfo(parts[i]).isFile()) {
                lastError_ = tr("part %1 of %2 (%3) is missing").arg(i + 1).arg(parts.size()).arg(QFileInfo(parts[i]).fileName());
                return false;
            }
            sources.prepend(parts[i]);
        }
    }
    const QString dest = QDir(folder_).filePath(QFileInfo(ggufFirstPart(src.absoluteFilePath())).fileName());
    for (const QString& from : sources)
        if (QFileInfo::exists(QDir(folder_).filePath(QFileInfo(from).fileName()))) {
            lastError_ = tr("%1 is already in the models folder").arg(QFileInfo(from).fileName());
            return false;
        }
    runInThread([this, sources, into = QDir(folder_), dest, folder, link] {
        QString error;
        QStringList placed;  // removed again when a later part fails: no half set stays behind
        for (const QString& source : sources) {
            const QString to = into.filePath(QFileInfo(source).fileName());
            if (link) {
                if (!QFile::link(source, to)) error = tr("could not link %1").arg(source);
            } else {
                // Copied under a temporary name and renamed: a half copy never looks like a model.
                const QString tmp = to + ".importing";
                bool ok = true;
                if (folder) {
                    ok = QDir().mkpath(tmp);
                    QDirIterator it(source, QDir::Files, QDirIterator::Subdirectories);
                    while (ok && it.hasNext()) {
                        const QString f = it.next();
                        const QString target = tmp + '/' + QDir(source).relativeFilePath(f);
                        ok = QDir().mkpath(QFileInfo(target).path()) && QFile::copy(f, target);
                    }
                } else {
                    ok = QFile::copy(source, tmp);
                }
                if (!ok || !QDir().rename(tmp, to)) {
                    error = tr("could not copy %1 into the models folder (is the disk full?)").arg(source);
                    if (folder) QDir(tmp).removeRecursively();
                    else QFile::remove(tmp);
                }
            }
            if (!error.isEmpty()) break;
            placed << to;
        }
        if (!error.isEmpty())
            for (const QString& p : placed)
                if (QFileInfo(p).isDir() && !QFileInfo(p).isSymLink()) QDir(p).removeRecursively();
                else QFile::remove(p);
        QMetaObject::invokeMethod(this, [this, dest, error] {
            if (!error.isEmpty()) lastError_ = error;
            emit importFinished(dest, error);
            rescan();
        }, Qt::QueuedConnection);
    });
    return true;
}
