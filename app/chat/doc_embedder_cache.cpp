#include "doc_embedder_cache.h"

#include <QDateTime>
#include <QFileInfo>

#include "doc_embedder.h"

using facet::docs::DocEmbedder;

DocEmbedderCache::DocEmbedderCache() = default;
DocEmbedderCache::~DocEmbedderCache() = default;

facet::Result<const DocEmbedder*> DocEmbedderCache::get(const QString& modelPath) {
    const QFileInfo file(modelPath);
    const QString key = file.absoluteFilePath();
    const qint64 size = file.size(), modifiedMs = file.lastModified().toMSecsSinceEpoch();
    if (const auto it = embedders_.constFind(key); it != embedders_.cend()) {
        if (it->size == size && it->modifiedMs == modifiedMs) return static_cast<const DocEmbedder*>(it->embedder.get());
        embedders_.erase(it);  // another file now: its model id may differ
    }
    auto opened = DocEmbedder::open(key, facet::docs::EmbedBackend::Auto);
    if (!opened.ok()) return opened.error();
    Entry e{size, modifiedMs, std::move(opened.value())};
    const DocEmbedder* out = e.embedder.get();
    embedders_.insert(key, std::move(e));
    return out;
}

void DocEmbedderCache::clear() { embedders_.clear(); }
