#include "collection_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include "core/replace_file.h"

namespace facet::docs {

namespace {

QString listPath(const QString& dir) { return dir + QStringLiteral("/collections.json"); }

// True when `path` is `root` or inside it.
bool isUnder(const QString& path, const QString& root) {
    return path == root || path.startsWith(root.endsWith(QLatin1Char('/')) ? root : root + QLatin1Char('/'));
}

}  // namespace

Status CollectionStore::load() {
    list_.clear();
    embeddingModel_.clear();
    QFile f(listPath(dir_));
    if (!f.exists()) return {};
    if (!f.open(QIODevice::ReadOnly)) return errorf("%s: %s", qPrintable(f.fileName()), qPrintable(f.errorString()));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (!doc.isObject())
        return errorf("%s: not a collection list (%s at offset %d)", qPrintable(f.fileName()),
                      qPrintable(err.errorString()), err.offset);
    embeddingModel_ = doc.object().value(QStringLiteral("embeddingModel")).toString();
    for (const QJsonValue& v : doc.object().value(QStringLiteral("collections")).toArray()) {
        const QJsonObject o = v.toObject();
        Collection c{o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("name")).toString(), {}};
        // The id names a file: anything but a plain id is refused, not followed.
        if (c.id.isEmpty() || c.id.contains(QLatin1Char('/')) || c.id.contains(QLatin1Char('.'))) continue;
        for (const QJsonValue& r : o.value(QStringLiteral("roots")).toArray()) c.roots << r.toString();
        list_.push_back(std::move(c));
    }
    return {};
}

const Collection* CollectionStore::find(const QString& id) const {
    for (const Collection& c : list_)
        if (c.id == id) return &c;
    return nullptr;
}

Collection* CollectionStore::findMutable(const QString& id) {
    return const_cast<Collection*>(std::as_const(*this).find(id));
}

QString CollectionStore::indexPath(const QString& id) const { return dir_ + QLatin1Char('/') + id + QStringLiteral(".sqlite"); }

Result<QString> CollectionStore::create(const QString& name) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) return makeError("a collection needs a name");
    Collection c{QUuid::createUuid().toString(QUuid::Id128).left(12), trimmed, {}};
    list_.push_back(c);
    if (Status s = save(); !s.ok()) {
        list_.pop_back();
        return s.error();
    }
    return c.id;
}

Status CollectionStore::rename(const QString& id, const QString& name) {
    Collection* c = findMutable(id);
    if (!c) return errorf("no collection %s", qPrintable(id));
    if (name.trimmed().isEmpty()) return makeError("a collection needs a name");
    c->name = name.trimmed();
    return save();
}

Status CollectionStore::remove(const QString& id) {
    const auto it = std::find_if(list_.begin(), list_.end(), [&](const Collection& c) { return c.id == id; });
    if (it == list_.end()) return errorf("no collection %s", qPrintable(id));
    list_.erase(it);
    FACET_TRY(save());
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(indexPath(id) + suffix);
    return {};
}

Result<int> CollectionStore::addRoots(const QString& id, const QStringList& roots) {
    Collection* c = findMutable(id);
    if (!c) return errorf("no collection %s", qPrintable(id));
    int added = 0;
    for (const QString& r : roots) {
        const QString abs = QFileInfo(r).absoluteFilePath();
        if (!QFileInfo::exists(abs)) return errorf("%s: no such file or folder", qPrintable(abs));
        const bool covered = std::any_of(c->roots.begin(), c->roots.end(), [&](const QString& have) { return isUnder(abs, have); });
        if (covered) continue;
        // A new folder may hold roots added before: it replaces them.
        c->roots.erase(std::remove_if(c->roots.begin(), c->roots.end(), [&](const QString& have) { return isUnder(have, abs); }),
                       c->roots.end());
        c->roots << abs;
        ++added;
    }
    if (added) FACET_TRY(save());
    return added;
}

Status CollectionStore::removeRoot(const QString& id, const QString& root) {
    Collection* c = findMutable(id);
    if (!c) return errorf("no collection %s", qPrintable(id));
    if (!c->roots.removeOne(root)) return errorf("%s is not in the collection", qPrintable(root));
    return save();
}

Status CollectionStore::setEmbeddingModel(const QString& path) {
    embeddingModel_ = path;
    return save();
}

Status CollectionStore::save() const {
    if (!QDir().mkpath(dir_)) return errorf("%s: cannot create the folder", qPrintable(dir_));
    QJsonArray arr;
    for (const Collection& c : list_)
        arr.append(QJsonObject{{QStringLiteral("id"), c.id},
                               {QStringLiteral("name"), c.name},
                               {QStringLiteral("roots"), QJsonArray::fromStringList(c.roots)}});
    const QByteArray bytes = QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                             {QStringLiteral("embeddingModel"), embeddingModel_},
                                                             {QStringLiteral("collections"), arr}}).toJson();
    return replaceFile(listPath(dir_).toStdString(), std::string_view(bytes.constData(), size_t(bytes.size())));
}

}  // namespace facet::docs
