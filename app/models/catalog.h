// The model catalog (resources/catalog.json): the Gemma 4 builds Facet offers,
// each a Hugging Face repository plus include/exclude patterns that pick its
// files from the repository's list, so split files and shards are one model.
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
    qint64 approxBytes = 0;
    QString sha256;  // optional: pins a single-file entry's content
    QString license, description;

    // Whether `path` (in the repository) belongs to this model.
    bool wants(const QString& path) const;
};

// Parses catalog JSON; on error returns an empty list and sets `error`
// (naming the entry and the field).
QList<CatalogEntry> parseCatalog(const QByteArray& json, QString* error);
// The catalog built into the app (":/facet/catalog.json").
QList<CatalogEntry> builtinCatalog(QString* error = nullptr);
