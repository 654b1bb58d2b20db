// The model catalog (resources/catalog.json): the Gemma 4 builds Facet offers,
// each a Hugging Face repository plus include/exclude patterns that pick its
// files from the repository's list, so split files and shards are one model,
// and for GGUF chat models an `mmproj` pattern that picks the vision projector
// downloaded beside it (vision/projector_pairing.h pairs them on disk).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

struct CatalogEntry {
    QString id, name;
    QString variant;  // "e2b", "e4b", "moe", "31b" (engine variant names); "embeddinggemma-300m"
    QString kind = QStringLiteral("chat");  // "chat" or "embedding" (the documents' EmbeddingGemma)
    QString format;   // "gguf" or "safetensors"
    QString type;     // weight type of the matrices: "Q4_0", "Q4_K", "Q8_0", "BF16"
    QString repo;
    QStringList include, exclude;  // wildcards on a file's path or name
    QString mmproj;  // wildcard for the vision projector (GGUF chat models only); empty: none
    qint64 approxBytes = 0;
    QString sha256;  // optional: pins a single-file entry's content
    QString license, description;

    // Whether `path` (in the repository) belongs to this model (never its projector).
    bool wants(const QString& path) const;
    // Whether `path` matches the `mmproj` pattern.
    bool wantsProjector(const QString& path) const;
    // The one projector of a repository's file list: of the paths that match
    // `mmproj`, the F16 one, else BF16, else F32, else any; ties by path.
    // Empty when the entry has no `mmproj` or nothing matches.
    QString pickProjector(const QStringList& paths) const;
};

// Parses catalog JSON; on error returns an empty list and sets `error`
// (naming the entry and the field).
QList<CatalogEntry> parseCatalog(const QByteArray& json, QString* error);
// The catalog built into the app (":/facet/catalog.json").
QList<CatalogEntry> builtinCatalog(QString* error = nullptr);
