// The user's document collections: a name, the folders and files it holds,
// and its own index file. Kept in one JSON file (collections.json) beside the
// indexes, written whole through replaceFile so a crash never leaves half.
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

#include "core/result.h"

namespace facet::docs {

struct Collection {
    QString id;       // stable, also the index file's name: <id>.sqlite
    QString name;
    QStringList roots;  // absolute folders and files, as the user added them
};

class CollectionStore {
public:
    // `directory` holds collections.json and the index files; created when missing.
    explicit CollectionStore(QString directory) : dir_(std::move(directory)) {}

    // A missing file is an empty list; a corrupt one is an error (and is left alone).
    Status load();
    const std::vector<Collection>& collections() const { return list_; }
    const Collection* find(const QString& id) const;
    QString indexPath(const QString& id) const;  // <directory>/<id>.sqlite

    Result<QString> create(const QString& name);  // the new collection's id
    Status rename(const QString& id, const QString& name);
    // Removes the entry and its index file (and the WAL beside it).
    Status remove(const QString& id);
    // Adds absolute roots not already held (or held under a root already there); how many were new.
    Result<int> addRoots(const QString& id, const QStringList& roots);
    Status removeRoot(const QString& id, const QString& root);
    // The EmbeddingGemma GGUF every collection embeds with ("" = keyword only).
    const QString& embeddingModel() const { return embeddingModel_; }
    Status setEmbeddingModel(const QString& path);

private:
    Status save() const;
    Collection* findMutable(const QString& id);

    QString dir_;
    std::vector<Collection> list_;
    QString embeddingModel_;
};

}  // namespace facet::docs
