// Brings an index up to date with files and folders: walks folders
// recursively (symlinks followed once, never in a loop), extracts, chunks and
// commits one document at a time, skips bad files with a reason, re-chunks
// changed files (size/mtime, then content hash) and drops vanished ones.
#pragma once

#include <QSet>
#include <QStringList>

#include <functional>

#include "chunker.h"
#include "core/result.h"
#include "doc_index.h"
#include "extract_limits.h"

namespace facet::docs {

class DocEmbedder;

struct IndexerOptions {
    ExtractLimits limits;
    ChunkOptions chunking;
    TokenCounter countTokens = estimateTokens;
    // When set, every chunk without a vector from this model gets one, per
    // document right after its chunks commit; the model id goes into the index.
    const DocEmbedder* embedder = nullptr;
    // Called before each file. It may block (the app pauses indexing there)
    // and returns false to stop the run early (the rest stays pending).
    std::function<bool()> keepGoing;
};

struct IndexProgress {
    int filesDone = 0;
    int filesTotal = 0;
    QString currentFile;
    qint64 chunksAdded = 0;
    double embeddingsPerSecond = 0;  // 0 until embeddings are computed
};

struct IndexReport {
    int files = 0;
    int indexed = 0;    // parsed and committed this run
    int unchanged = 0;
    int skipped = 0;
    int removed = 0;    // vanished files dropped from the index
    qint64 chunksAdded = 0;
    qint64 embedded = 0;  // vectors computed this run
    bool stopped = false; // keepGoing said stop before every file was seen
};

struct FileList {
    QStringList files;       // canonical absolute paths, each once
    QStringList brokenLinks; // absolute paths of links that lead nowhere
    QStringList folders;     // canonical folders walked (what a watcher watches)
};

// Files under `roots` (files are taken whatever their suffix; inside folders
// only known formats, hidden entries left out). A root that does not exist is an error.
Result<FileList> collectFiles(const QStringList& roots);

class Indexer {
public:
    Indexer(DocIndex& index, IndexerOptions options) : index_(index), options_(std::move(options)) {}

    Result<IndexReport> add(const QStringList& roots, const std::function<void(const IndexProgress&)>& progress = {});

private:
    enum class Outcome { Indexed, Unchanged, Skipped };
    Result<Outcome> indexFile(const QString& path, qint64& chunksAdded);
    // Vectors for the document's chunks that have none; returns how many.
    Result<qint64> embedMissing(const QString& path);

    DocIndex& index_;
    IndexerOptions options_;
};

}  // namespace facet::docs
