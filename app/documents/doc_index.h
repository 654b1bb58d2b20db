// One library's index: a single SQLite file in WAL mode holding documents,
// their chunks, an FTS5 index over the chunk text, embeddings, the skipped
// list and the files still pending. Every change to one document is one
// transaction, so a killed process loses at most the document in progress.
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "chunker.h"
#include "core/result.h"
#include "vector_store.h"

namespace facet::docs {

struct StoredDocument {
    qint64 id = 0;
    qint64 size = 0;
    qint64 mtime = 0;  // ms since the epoch
    QString contentHash;
};

// What replaceDocument changed: chunks whose text is unchanged keep their row
// (and so their embedding); only `added` chunks need embedding again.
struct ReplaceStats {
    int added = 0;
    int kept = 0;
    int removed = 0;
};

struct SkippedFile {
    QString path;
    QString reason;
};

struct IndexStatus {
    qint64 files = 0;     // documents + skipped + pending not yet in either
    qint64 indexed = 0;   // documents with their chunks committed
    qint64 chunks = 0;
    qint64 embedded = 0;  // chunks with a vector
    std::vector<SkippedFile> skipped;
    qint64 pending = 0;   // found by `docs add` but not finished (a killed run)
};

struct SearchHit {
    qint64 chunkId = 0;
    QString path;
    int page = 0;  // 0 = none
    QString pageLabel;
    QString section;
    QString text;
    double score = 0;  // higher is better
    int ordinal = -1;  // the chunk's place in its document (neighbours differ by 1)
};

class DocIndex {
public:
    // Creates or migrates the file; a newer schema is an error.
    static Result<std::unique_ptr<DocIndex>> open(const QString& path);
    ~DocIndex();
    DocIndex(const DocIndex&) = delete;
    DocIndex& operator=(const DocIndex&) = delete;

    std::optional<StoredDocument> document(const QString& path);
    Result<ReplaceStats> replaceDocument(const QString& path, const StoredDocument& facts, int pages,
                                         const std::vector<Chunk>& chunks);
    // Same content, new mtime (a `touch`): nothing is re-chunked.
    Status touchDocument(const QString& path, const StoredDocument& facts);
    Status markSkipped(const QString& path, const QString& reason, qint64 size, qint64 mtime);
    Status addPending(const QStringList& paths);
    Status removePath(const QString& path);
    // Documents, skipped and pending entries at `path` or below it; how many.
    Result<int> removeUnder(const QString& path);
    QStringList knownPaths();  // documents and skipped files

    Result<std::vector<SearchHit>> keywordSearch(const QString& query, int k);
    Result<IndexStatus> status();

    // Settings kept in the file (the embedding model's path and identity).
    QString meta(const QString& key);
    Status setMeta(const QString& key, const QString& value);

    // Embeddings (doc_index_vectors.cpp), int8 blobs tagged with the model id.
    struct ChunkText {
        qint64 id = 0;
        QString text;
    };
    // Chunks of `path` (every document when empty) with no vector from `modelId`.
    Result<std::vector<ChunkText>> chunksWithoutEmbedding(const QString& path, const QString& modelId);
    Status storeEmbeddings(const QString& modelId, const std::vector<std::pair<qint64, std::vector<float>>>& rows);
    // A new model makes the old vectors useless: they go, keyword search stays.
    Status dropEmbeddingsExcept(const QString& modelId);
    // Exact brute-force scan: the k best chunks by dot product, best first,
    // over an in-RAM copy of the vectors reloaded only after the index changed.
    Result<std::vector<std::pair<qint64, double>>> semanticScan(const std::vector<float>& query, const QString& modelId, int k);
    // Hits for chunk ids, in the given order, with the given scores.
    Result<std::vector<SearchHit>> hitsFor(const std::vector<std::pair<qint64, double>>& ranked);

    QSqlDatabase& database() { return db_; }

private:
    explicit DocIndex(const QString& connection);
    QString connection_;
    QSqlDatabase db_;
    VectorStore vectors_;
};

}  // namespace facet::docs
