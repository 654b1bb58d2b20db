// The embedding models that attached libraries were indexed with, opened
// once per model file and kept for the next question: opening one reads the
// whole GGUF (and uploads it to the GPU with EmbedBackend::Auto). Owned by
// EngineWorker and used on the engine thread only.
#pragma once

#include <QHash>
#include <QString>

#include <memory>

#include "core/result.h"

namespace facet::docs {
class DocEmbedder;
}

class DocEmbedderCache {
public:
    DocEmbedderCache();
    ~DocEmbedderCache();

    // The embedder for `modelPath` (opened now, or before while the file had
    // the same size and time); a failed open is not kept, so a model that
    // comes back is tried again, and a file replaced is opened anew.
    facet::Result<const facet::docs::DocEmbedder*> get(const QString& modelPath);
    int size() const { return int(embedders_.size()); }
    void clear();

private:
    struct Entry {
        qint64 size = 0;
        qint64 modifiedMs = 0;
        std::shared_ptr<facet::docs::DocEmbedder> embedder;
    };
    QHash<QString, Entry> embedders_;  // by absolute path
};
