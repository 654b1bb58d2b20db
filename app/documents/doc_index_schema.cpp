#include "doc_index_schema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace facet::docs {

namespace {

// Version 1 (documents-qa.md §6.5). chunks_fts is an external-content FTS5
// table kept in sync by triggers, so text is stored once.
const char* const kSchemaV1[] = {
    "CREATE TABLE documents(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,"
    " mtime INTEGER NOT NULL, content_hash TEXT NOT NULL, pages INTEGER, indexed_at INTEGER NOT NULL)",
    "CREATE TABLE chunks(id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " ordinal INTEGER NOT NULL, text TEXT NOT NULL, page INTEGER, page_label TEXT, section TEXT,"
    " n_tokens INTEGER NOT NULL, text_hash TEXT NOT NULL)",
    "CREATE INDEX chunks_by_document ON chunks(document_id, ordinal)",
    "CREATE VIRTUAL TABLE chunks_fts USING fts5(text, section, content='chunks', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN"
    " INSERT INTO chunks_fts(rowid, text, section) VALUES (new.id, new.text, new.section); END",
    "CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN"
    " INSERT INTO chunks_fts(chunks_fts, rowid, text, section) VALUES ('delete', old.id, old.text, old.section); END",
    "CREATE TRIGGER chunks_au AFTER UPDATE ON chunks BEGIN"
    " INSERT INTO chunks_fts(chunks_fts, rowid, text, section) VALUES ('delete', old.id, old.text, old.section);"
    " INSERT INTO chunks_fts(rowid, text, section) VALUES (new.id, new.text, new.section); END",
    // Vectors are tagged with the model that made them: another model's vectors are never compared.
    "CREATE TABLE embeddings(chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,"
    " model_id TEXT NOT NULL, dims INTEGER NOT NULL, scale REAL NOT NULL, vec BLOB NOT NULL)",
    "CREATE TABLE skipped(path TEXT PRIMARY KEY, reason TEXT NOT NULL, size INTEGER, mtime INTEGER)",
    // Files found by `docs add` and not yet committed: what a killed run left to do.
    "CREATE TABLE pending(path TEXT PRIMARY KEY)",
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)",
};

Status exec(QSqlDatabase& db, const QString& sql) {
    QSqlQuery q(db);
    if (!q.exec(sql))
        return errorf("%s: %s (in: %s)", qPrintable(db.databaseName()), qPrintable(q.lastError().text()),
                      qPrintable(sql.left(60)));
    return {};
}

// One migration step inside the caller's transaction.
Status step(QSqlDatabase& db, int to, const char* const* sql, size_t n) {
    for (size_t i = 0; i < n; ++i) FACET_TRY(exec(db, QString::fromLatin1(sql[i])));
    return exec(db, QStringLiteral("PRAGMA user_version = %1").arg(to));
}

}  // namespace

int indexSchemaVersion(QSqlDatabase& db) {
    QSqlQuery q(db);
    return q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
}

namespace {

Status migrateLocked(QSqlDatabase& db) {
    const int version = indexSchemaVersion(db);
    if (version < 0) return errorf("%s: not an SQLite database", qPrintable(db.databaseName()));
    if (version > kIndexSchemaVersion)
        return errorf("%s: index schema version %d is newer than this Facet supports (%d); "
                      "use a newer Facet or another --db",
                      qPrintable(db.databaseName()), version, kIndexSchemaVersion);
    if (version == 0) {
        // Version 0 must be an empty file: refuse to add tables to someone else's database.
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && q.next() && q.value(0).toInt() > 0)
            return errorf("%s: not a Facet document index (it holds other tables)", qPrintable(db.databaseName()));
        q.finish();  // an active statement would block the commit
        FACET_TRY(step(db, 1, kSchemaV1, std::size(kSchemaV1)));
    }
    // Future steps: if (version < 2) FACET_TRY(step(db, 2, kSchemaV2...)).
    return {};
}

}  // namespace

Status migrateIndexSchema(QSqlDatabase& db) {
    if (indexSchemaVersion(db) == kIndexSchemaVersion) return {};  // the common case takes no lock
    // BEGIN IMMEDIATE takes the write lock before the version is read again:
    // two connections opening a new index at once (the indexing thread and a
    // chat's search) must not both create the tables; the second waits, then
    // finds them made.
    FACET_TRY(exec(db, QStringLiteral("BEGIN IMMEDIATE")));
    if (Status s = migrateLocked(db); !s.ok()) {
        (void)exec(db, QStringLiteral("ROLLBACK"));
        return s;
    }
    if (Status s = exec(db, QStringLiteral("COMMIT")); !s.ok())
        return errorf("%s: commit failed while migrating the schema: %s", qPrintable(db.databaseName()), s.message().c_str());
    return {};
}

}  // namespace facet::docs
