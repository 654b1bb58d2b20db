#include "doc_index.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include "doc_index_schema.h"
#include "fts_query.h"

namespace facet::docs {

namespace {

Error sqlError(const QSqlDatabase& db, const QSqlQuery& q, const char* what) {
    return errorf("%s: %s: %s", qPrintable(db.databaseName()), what, qPrintable(q.lastError().text()));
}

QString textHash(const QString& text) {
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1).toHex());
}

QVariant nullable(const QString& s) { return s.isEmpty() ? QVariant() : QVariant(s); }
QVariant nullablePage(int page) { return page > 0 ? QVariant(page) : QVariant(); }

// Runs `body` in a transaction; rolls back when it fails.
template <typename F>
Status inTransaction(QSqlDatabase& db, F&& body) {
    if (!db.transaction()) return errorf("%s: cannot begin a transaction", qPrintable(db.databaseName()));
    Status s = body();
    if (!s.ok()) {
        db.rollback();
        return s;
    }
    if (!db.commit()) return errorf("%s: commit failed: %s", qPrintable(db.databaseName()), qPrintable(db.lastError().text()));
    return {};
}

Status run(QSqlDatabase& db, const QString& sql, const QVariantList& values = {}) {
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant& v : values) q.addBindValue(v);
    if (!q.exec()) return sqlError(db, q, qPrintable(sql.left(40)));
    return {};
}

}  // namespace

DocIndex::DocIndex(const QString& connection) : connection_(connection), db_(QSqlDatabase::addDatabase("QSQLITE", connection)) {}

DocIndex::~DocIndex() {
    db_.close();
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(connection_);
}

Result<std::unique_ptr<DocIndex>> DocIndex::open(const QString& path) {
    std::unique_ptr<DocIndex> index(new DocIndex(QStringLiteral("facet-docs-") + QUuid::createUuid().toString(QUuid::Id128)));
    QSqlDatabase& db = index->db_;
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) return errorf("%s: cannot open: %s", qPrintable(path), qPrintable(db.lastError().text()));
    {
        QSqlQuery q(db);  // scoped: an unfinished statement would block the migration's commit
        if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next())
            return errorf("%s: not an SQLite database (%s)", qPrintable(path), qPrintable(q.lastError().text()));
    }
    FACET_TRY(run(db, QStringLiteral("PRAGMA foreign_keys=ON")));
    FACET_TRY(run(db, QStringLiteral("PRAGMA synchronous=NORMAL")));  // WAL: durable at checkpoints, safe on crash
    FACET_TRY(migrateIndexSchema(db));
    return index;
}

std::optional<StoredDocument> DocIndex::document(const QString& path) {
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("SELECT id, size, mtime, content_hash FROM documents WHERE path = ?"));
    q.addBindValue(path);
    if (!q.exec() || !q.next()) return std::nullopt;
    return StoredDocument{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(), q.value(3).toString()};
}

Result<ReplaceStats> DocIndex::replaceDocument(const QString& path, const StoredDocument& facts, int pages,
                                               const std::vector<Chunk>& chunks) {
    ReplaceStats stats;
    Status s = inTransaction(db_, [&]() -> Status {
        QSqlQuery q(db_);
        q.prepare(QStringLiteral(
            "INSERT INTO documents(path, size, mtime, content_hash, pages, indexed_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
            "content_hash = excluded.content_hash, pages = excluded.pages, indexed_at = excluded.indexed_at"));
        for (const QVariant& v : {QVariant(path), QVariant(facts.size), QVariant(facts.mtime), QVariant(facts.contentHash),
                                  nullablePage(pages), QVariant(QDateTime::currentMSecsSinceEpoch())})
            q.addBindValue(v);
        if (!q.exec()) return sqlError(db_, q, "insert document");
        q.prepare(QStringLiteral("SELECT id FROM documents WHERE path = ?"));
        q.addBindValue(path);
        if (!q.exec() || !q.next()) return sqlError(db_, q, "find document");
        const qint64 docId = q.value(0).toLongLong();

        // Old chunks by text hash: an unchanged chunk keeps its row (and embedding).
        QMultiHash<QString, qint64> old;
        q.prepare(QStringLiteral("SELECT id, text_hash FROM chunks WHERE document_id = ?"));
        q.addBindValue(docId);
        if (!q.exec()) return sqlError(db_, q, "read chunks");
        while (q.next()) old.insert(q.value(1).toString(), q.value(0).toLongLong());

        QSqlQuery update(db_), insert(db_);
        update.prepare(QStringLiteral("UPDATE chunks SET ordinal = ?, page = ?, page_label = ?, section = ? WHERE id = ?"));
        insert.prepare(QStringLiteral("INSERT INTO chunks(document_id, ordinal, text, page, page_label, section, n_tokens,"
                                      " text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (int i = 0; i < int(chunks.size()); ++i) {
            const Chunk& c = chunks[i];
            const QString hash = textHash(c.text);
            if (auto it = old.find(hash); it != old.end()) {
                for (const QVariant& v : {QVariant(i), nullablePage(c.page), nullable(c.pageLabel), nullable(c.section),
                                          QVariant(it.value())})
                    update.addBindValue(v);
                if (!update.exec()) return sqlError(db_, update, "update chunk");
                old.erase(it);
                ++stats.kept;
                continue;
            }
            for (const QVariant& v : {QVariant(docId), QVariant(i), QVariant(c.text), nullablePage(c.page),
                                      nullable(c.pageLabel), nullable(c.section), QVariant(c.tokens), QVariant(hash)})
                insert.addBindValue(v);
            if (!insert.exec()) return sqlError(db_, insert, "insert chunk");
            ++stats.added;
        }
        for (qint64 id : old) {
            FACET_TRY(run(db_, QStringLiteral("DELETE FROM chunks WHERE id = ?"), {id}));
            ++stats.removed;
        }
        FACET_TRY(run(db_, QStringLiteral("DELETE FROM skipped WHERE path = ?"), {path}));
        FACET_TRY(run(db_, QStringLiteral("DELETE FROM pending WHERE path = ?"), {path}));
        return {};
    });
    if (!s.ok()) return s.error();
    return stats;
}

Status DocIndex::touchDocument(const QString& path, const StoredDocument& facts) {
    return inTransaction(db_, [&]() -> Status {
        FACET_TRY(run(db_, QStringLiteral("UPDATE documents SET size = ?, mtime = ? WHERE path = ?"),
                      {facts.size, facts.mtime, path}));
        return run(db_, QStringLiteral("DELETE FROM pending WHERE path = ?"), {path});
    });
}

Status DocIndex::markSkipped(const QString& path, const QString& reason, qint64 size, qint64 mtime) {
    return inTransaction(db_, [&]() -> Status {
        FACET_TRY(run(db_, QStringLiteral("DELETE FROM documents WHERE path = ?"), {path}));
        FACET_TRY(run(db_, QStringLiteral("INSERT OR REPLACE INTO skipped(path, reason, size, mtime) VALUES (?, ?, ?, ?)"),
                      {path, reason, size, mtime}));
        return run(db_, QStringLiteral("DELETE FROM pending WHERE path = ?"), {path});
    });
}

Status DocIndex::addPending(const QStringList& paths) {
    return inTransaction(db_, [&]() -> Status {
        for (const QString& p : paths) FACET_TRY(run(db_, QStringLiteral("INSERT OR IGNORE INTO pending(path) VALUES (?)"), {p}));
        return {};
    });
}

Status DocIndex::removePath(const QString& path) {
    return inTransaction(db_, [&]() -> Status {
        for (const char* table : {"documents", "skipped", "pending"})
            FACET_TRY(run(db_, QStringLiteral("DELETE FROM %1 WHERE path = ?").arg(QLatin1String(table)), {path}));
        return {};
    });
}

Result<int> DocIndex::removeUnder(const QString& path) {
    int removed = 0;
    // Prefix match by range, not LIKE, so '%' and '_' in names are literal.
    const QString dir = path.endsWith(QLatin1Char('/')) ? path : path + QLatin1Char('/');
    const QString dirEnd = dir.chopped(1) + QChar(QLatin1Char('/').unicode() + 1);
    Status s = inTransaction(db_, [&]() -> Status {
        for (const char* table : {"documents", "skipped", "pending"}) {
            QSqlQuery q(db_);
            q.prepare(QStringLiteral("DELETE FROM %1 WHERE path = ? OR (path >= ? AND path < ?)").arg(QLatin1String(table)));
            q.addBindValue(path);
            q.addBindValue(dir);
            q.addBindValue(dirEnd);
            if (!q.exec()) return sqlError(db_, q, "remove");
            if (QLatin1String(table) != QLatin1String("pending")) removed += q.numRowsAffected();
        }
        return {};
    });
    if (!s.ok()) return s.error();
    return removed;
}

QStringList DocIndex::knownPaths() {
    QStringList out;
    QSqlQuery q(db_);
    if (q.exec(QStringLiteral("SELECT path FROM documents UNION SELECT path FROM skipped UNION SELECT path FROM pending")))
        while (q.next()) out << q.value(0).toString();
    return out;
}

Result<std::vector<SearchHit>> DocIndex::keywordSearch(const QString& query, int k) {
    std::vector<SearchHit> hits;
    const QString match = ftsMatchExpression(query);
    if (match.isEmpty() || k <= 0) return hits;
    QSqlQuery q(db_);
    // Top k inside FTS5 first, then the join: joining every match before the
    // sort read each matching chunk's text (p95 56 ms at 100k chunks, ~20 ms after).
    q.prepare(QStringLiteral(
        "SELECT c.id, d.path, c.page, c.page_label, c.section, c.text, top.rank, c.ordinal "
        "FROM (SELECT rowid, bm25(chunks_fts) AS rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) AS top "
        "JOIN chunks c ON c.id = top.rowid JOIN documents d ON d.id = c.document_id ORDER BY top.rank"));
    q.addBindValue(match);
    q.addBindValue(k);
    if (!q.exec()) return sqlError(db_, q, "keyword search");
    while (q.next())
        // bm25() is lower-is-better; the score is its negation so higher is better.
        hits.push_back(SearchHit{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toInt(), q.value(3).toString(),
                                 q.value(4).toString(), q.value(5).toString(), -q.value(6).toDouble(), q.value(7).toInt()});
    return hits;
}

QString DocIndex::meta(const QString& key) {
    QSqlQuery q(db_);
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    q.addBindValue(key);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

Status DocIndex::setMeta(const QString& key, const QString& value) {
    return run(db_, QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"), {key, value});
}

Result<IndexStatus> DocIndex::status() {
    IndexStatus st;
    QSqlQuery q(db_);
    auto count = [&](const char* sql, qint64& out) -> Status {
        if (!q.exec(QLatin1String(sql)) || !q.next()) return sqlError(db_, q, "status");
        out = q.value(0).toLongLong();
        return {};
    };
    FACET_TRY(count("SELECT count(*) FROM documents", st.indexed));
    FACET_TRY(count("SELECT count(*) FROM chunks", st.chunks));
    FACET_TRY(count("SELECT count(*) FROM embeddings", st.embedded));
    FACET_TRY(count("SELECT count(*) FROM pending WHERE path NOT IN (SELECT path FROM documents)"
                    " AND path NOT IN (SELECT path FROM skipped)", st.pending));
    if (!q.exec(QStringLiteral("SELECT path, reason FROM skipped ORDER BY path"))) return sqlError(db_, q, "status");
    while (q.next()) st.skipped.push_back({q.value(0).toString(), q.value(1).toString()});
    st.files = st.indexed + qint64(st.skipped.size()) + st.pending;
    return st;
}

}  // namespace facet::docs
