// DocIndex's embedding storage and the dense scan (declared in doc_index.h).
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "doc_index.h"
#include "vector_codec.h"

namespace facet::docs {

Result<std::vector<DocIndex::ChunkText>> DocIndex::chunksWithoutEmbedding(const QString& path, const QString& modelId) {
    QSqlQuery q(db_);
    q.prepare(QStringLiteral(
        "SELECT c.id, c.text FROM chunks c JOIN documents d ON d.id = c.document_id "
        "WHERE (? = '' OR d.path = ?) AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.chunk_id = c.id AND e.model_id = ?) "
        "ORDER BY c.document_id, c.ordinal"));
    q.addBindValue(path);
    q.addBindValue(path);
    q.addBindValue(modelId);
    if (!q.exec()) return errorf("%s: chunks to embed: %s", qPrintable(db_.databaseName()), qPrintable(q.lastError().text()));
    std::vector<ChunkText> out;
    while (q.next()) out.push_back({q.value(0).toLongLong(), q.value(1).toString()});
    return out;
}

Status DocIndex::storeEmbeddings(const QString& modelId, const std::vector<std::pair<qint64, std::vector<float>>>& rows) {
    if (!db_.transaction()) return errorf("%s: cannot begin a transaction", qPrintable(db_.databaseName()));
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO embeddings(chunk_id, model_id, dims, scale, vec) VALUES (?, ?, ?, ?, ?)"));
    for (const auto& [id, vec] : rows) {
        const Int8Vector v = quantizeInt8(vec);
        for (const QVariant& x : {QVariant(id), QVariant(modelId), QVariant(int(vec.size())), QVariant(double(v.scale)),
                                  QVariant(v.codes)})
            q.addBindValue(x);
        if (!q.exec()) {
            const QString e = q.lastError().text();
            db_.rollback();
            return errorf("%s: store embedding: %s", qPrintable(db_.databaseName()), qPrintable(e));
        }
    }
    if (!db_.commit()) return errorf("%s: commit of embeddings failed", qPrintable(db_.databaseName()));
    return {};
}

Status DocIndex::dropEmbeddingsExcept(const QString& modelId) {
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("DELETE FROM embeddings WHERE model_id != ?"));
    q.addBindValue(modelId);
    if (!q.exec()) return errorf("%s: drop embeddings: %s", qPrintable(db_.databaseName()), qPrintable(q.lastError().text()));
    return {};
}

Result<std::vector<std::pair<qint64, double>>> DocIndex::semanticScan(const std::vector<float>& query, const QString& modelId,
                                                                      int k) {
    FACET_TRY(vectors_.refresh(db_, modelId, int(query.size())));
    return vectors_.topK(query, k);
}

Result<std::vector<SearchHit>> DocIndex::hitsFor(const std::vector<std::pair<qint64, double>>& ranked) {
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("SELECT d.path, c.page, c.page_label, c.section, c.text, c.ordinal FROM chunks c "
                             "JOIN documents d ON d.id = c.document_id WHERE c.id = ?"));
    std::vector<SearchHit> hits;
    for (const auto& [id, score] : ranked) {
        q.addBindValue(id);
        if (!q.exec()) return errorf("%s: read hit: %s", qPrintable(db_.databaseName()), qPrintable(q.lastError().text()));
        if (!q.next()) continue;
        hits.push_back(SearchHit{id, q.value(0).toString(), q.value(1).toInt(), q.value(2).toString(), q.value(3).toString(),
                                 q.value(4).toString(), score, q.value(5).toInt()});
    }
    return hits;
}

}  // namespace facet::docs
