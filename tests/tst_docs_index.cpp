// The SQLite index: schema version and migration (a newer file is refused
// untouched), WAL, FTS5 kept in sync by triggers, chunk reuse on replace,
// removal, and keyword queries that can never be FTS5 syntax errors.
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "doc_index.h"
#include "doc_index_schema.h"
#include "fts_query.h"

using namespace facet::docs;

namespace {

Chunk chunk(const QString& text, int page = 0) { return Chunk{text, page, page ? QString::number(page) : QString(), {}, 5}; }

qint64 scalar(QSqlDatabase& db, const QString& sql) {
    QSqlQuery q(db);
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

}  // namespace

class TstDocsIndex : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void createsVersionOneInWal() {
        auto index = DocIndex::open(dir_.filePath("a.sqlite"));
        QVERIFY2(index.ok(), index.ok() ? "" : index.message().c_str());
        QSqlDatabase& db = index.value()->database();
        QCOMPARE(indexSchemaVersion(db), kIndexSchemaVersion);
        QSqlQuery q(db);
        QVERIFY(q.exec("PRAGMA journal_mode") && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
    }

    void reopensKeepingData() {
        const QString path = dir_.filePath("keep.sqlite");
        {
            auto index = DocIndex::open(path);
            QVERIFY(index.ok());
            QVERIFY(index.value()->replaceDocument("/d/a.txt", {0, 10, 20, "h1"}, 0, {chunk("kept words")}).ok());
        }
        auto index = DocIndex::open(path);
        QVERIFY(index.ok());
        auto hits = index.value()->keywordSearch("kept", 5);
        QVERIFY(hits.ok());
        QCOMPARE(int(hits->size()), 1);
    }

    void refusesNewerSchemaUntouched() {
        const QString path = dir_.filePath("newer.sqlite");
        {
            auto index = DocIndex::open(path);
            QVERIFY(index.ok());
            QVERIFY(index.value()->replaceDocument("/d/a.txt", {0, 1, 2, "h"}, 0, {chunk("future data")}).ok());
            QSqlQuery q(index.value()->database());
            QVERIFY(q.exec("PRAGMA user_version = 7"));
        }
        auto index = DocIndex::open(path);
        QVERIFY(!index.ok());
        QVERIFY2(QString::fromStdString(index.message()).contains("schema version 7 is newer than this Facet supports (1)"),
                 index.message().c_str());
        // Nothing was dropped or rewritten.
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "check");
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QCOMPARE(indexSchemaVersion(db), 7);
        QCOMPARE(scalar(db, "SELECT count(*) FROM chunks"), 1);
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase("check");
    }

    void migratesAnEmptyVersionZeroFile() {
        const QString path = dir_.filePath("zero.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "zero");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QCOMPARE(indexSchemaVersion(db), 0);
            QVERIFY(migrateIndexSchema(db).ok());
            QCOMPARE(indexSchemaVersion(db), 1);
            QVERIFY(migrateIndexSchema(db).ok());  // idempotent
            QCOMPARE(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'chunks_fts'"), 1);
            db.close();
        }
        QSqlDatabase::removeDatabase("zero");
    }

    void refusesSomeoneElsesDatabase() {
        const QString path = dir_.filePath("other.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "other");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("CREATE TABLE conversations(id INTEGER)"));
            db.close();
        }
        QSqlDatabase::removeDatabase("other");
        auto index = DocIndex::open(path);
        QVERIFY(!index.ok());
        QVERIFY(QString::fromStdString(index.message()).contains("not a Facet document index"));
    }

    void replaceKeepsUnchangedChunksAndSyncsFts() {
        auto opened = DocIndex::open(dir_.filePath("replace.sqlite"));
        QVERIFY(opened.ok());
        DocIndex& index = *opened.value();
        auto first = index.replaceDocument("/d/a.txt", {0, 1, 1, "h1"}, 0,
                                           {chunk("apple orchard"), chunk("banana grove"), chunk("cherry tree")});
        QVERIFY(first.ok());
        QCOMPARE(first->added, 3);
        QSqlDatabase& db = index.database();
        const qint64 bananaId = scalar(db, "SELECT id FROM chunks WHERE text = 'banana grove'");
        auto second = index.replaceDocument("/d/a.txt", {0, 2, 2, "h2"}, 0,
                                            {chunk("banana grove"), chunk("durian stall"), chunk("cherry tree")});
        QVERIFY(second.ok());
        QCOMPARE(second->added, 1);
        QCOMPARE(second->kept, 2);
        QCOMPARE(second->removed, 1);
        QCOMPARE(scalar(db, "SELECT id FROM chunks WHERE text = 'banana grove'"), bananaId);
        QCOMPARE(scalar(db, "SELECT ordinal FROM chunks WHERE text = 'banana grove'"), 0);
        QCOMPARE(int(index.keywordSearch("apple", 5)->size()), 0);  // the trigger removed it from FTS
        QCOMPARE(int(index.keywordSearch("durian", 5)->size()), 1);
        QCOMPARE(scalar(db, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'orchard'"), 0);
        QCOMPARE(index.document("/d/a.txt")->contentHash, QStringLiteral("h2"));
    }

    void removeUnderAFolder() {
        auto opened = DocIndex::open(dir_.filePath("remove.sqlite"));
        QVERIFY(opened.ok());
        DocIndex& index = *opened.value();
        QVERIFY(index.replaceDocument("/lib/a/x.txt", {0, 1, 1, "x"}, 0, {chunk("xylophone")}).ok());
        QVERIFY(index.replaceDocument("/lib/ab/y.txt", {0, 1, 1, "y"}, 0, {chunk("yodel")}).ok());
        QVERIFY(index.markSkipped("/lib/a/bad.pdf", "corrupt: x", 1, 1).ok());
        auto removed = index.removeUnder("/lib/a");
        QVERIFY(removed.ok());
        QCOMPARE(removed.value(), 2);  // x.txt and bad.pdf, not /lib/ab
        QCOMPARE(int(index.keywordSearch("xylophone", 5)->size()), 0);
        QCOMPARE(int(index.keywordSearch("yodel", 5)->size()), 1);
        QCOMPARE(scalar(index.database(), "SELECT count(*) FROM chunks"), 1);  // cascade
        auto st = index.status();
        QVERIFY(st.ok());
        QCOMPARE(st->indexed, 1);
        QVERIFY(st->skipped.empty());
    }

    void hostileQueriesAreNeverSyntaxErrors_data() {
        QTest::addColumn<QString>("query");
        for (const char* q : {"\"unbalanced", "AND OR NOT", "NEAR(a b", "text:colon", "a* ^b -c +d", "(((", "'; DROP TABLE x;--",
                              "{x y}", "", "   ", "résumé", "\x01\x02"})
            QTest::newRow(q[0] ? q : "empty") << QString::fromUtf8(q);
    }
    void hostileQueriesAreNeverSyntaxErrors() {
        QFETCH(QString, query);
        static std::unique_ptr<DocIndex> index;
        if (!index) {
            auto opened = DocIndex::open(dir_.filePath("hostile.sqlite"));
            QVERIFY(opened.ok());
            index = std::move(opened.value());
            QVERIFY(index->replaceDocument("/d/r.txt", {0, 1, 1, "r"}, 0, {chunk("Résumé of the near text and colon")}).ok());
        }
        auto hits = index->keywordSearch(query, 5);
        QVERIFY2(hits.ok(), hits.ok() ? "" : hits.message().c_str());
    }

    void matchExpressionQuotesTerms() {
        QCOMPARE(ftsMatchExpression("foo \"bar\" foo"), QStringLiteral("\"foo\" OR \"bar\""));
        QCOMPARE(ftsMatchExpression("-- ()"), QString());
    }

    void diacriticsAndStemming() {
        auto opened = DocIndex::open(dir_.filePath("stem.sqlite"));
        QVERIFY(opened.ok());
        QVERIFY(opened.value()->replaceDocument("/d/s.txt", {0, 1, 1, "s"}, 0, {chunk("The indexing pipeline of the Résumé")}).ok());
        QCOMPARE(int(opened.value()->keywordSearch("resume", 5)->size()), 1);
        QCOMPARE(int(opened.value()->keywordSearch("indexed", 5)->size()), 1);  // porter: index
    }
};

QTEST_GUILESS_MAIN(TstDocsIndex)
#include "tst_docs_index.moc"
