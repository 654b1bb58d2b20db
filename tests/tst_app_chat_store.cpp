// ChatStore: conversations and messages (with their pictures' paths) survive a reopen, search matches
// titles and message text, deletes cascade, partial replies keep their
// flushed text, a version-1 database is migrated with its rows intact, and
// a database newer than this build is refused untouched.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_store.h"

class TstAppChatStore : public QObject {
    Q_OBJECT

private slots:
    void roundTripAcrossReopen() {
        QTemporaryDir dir;
        const QString path = dir.filePath("sub/chats.sqlite");  // folders are created
        qint64 conv = 0, reply = 0;
        {
            ChatStore s;
            QString error;
            QVERIFY2(s.open(path, &error), qPrintable(error));
            QCOMPARE(s.schemaVersion(), ChatStore::kSchemaVersion);
            conv = s.createConversation("Tea");
            QVERIFY(conv > 0);
            StoredMessage u;
            u.conversationId = conv;
            u.role = "user";
            u.text = "How do I brew oolong? ünïcode ✓";
            u.images = QStringList{"images/1/0123456789abcdef0123456789abcdef.png", "images/1/fedcba9876543210fedcba9876543210.jpg"};
            QVERIFY2(s.addMessage(u) > 0, qPrintable(s.lastError()));
            StoredMessage m;
            m.conversationId = conv;
            m.role = "model";
            m.partial = true;
            m.model = "e2b.gguf";
            m.settingsJson = "{\"temperature\":1}";
            reply = s.addMessage(m);
            QVERIFY(reply > 0);
            QVERIFY(s.updateMessage(reply, "Use 90 °C water", "think about leaves", 5, true, 2500));  // a flush mid-stream
        }
        ChatStore s;
        QVERIFY(s.open(path));
        const auto convs = s.conversations();
        QCOMPARE(convs.size(), 1);
        QCOMPARE(convs[0].title, QString("Tea"));
        const auto msgs = s.messages(conv);
        QCOMPARE(msgs.size(), 2);
        QCOMPARE(msgs[0].role, QString("user"));
        QCOMPARE(msgs[0].text, QString("How do I brew oolong? ünïcode ✓"));
        QCOMPARE(msgs[0].images, QStringList({"images/1/0123456789abcdef0123456789abcdef.png",
                                              "images/1/fedcba9876543210fedcba9876543210.jpg"}));
        QVERIFY(msgs[1].images.isEmpty());
        QCOMPARE(msgs[1].text, QString("Use 90 °C water"));
        QCOMPARE(msgs[1].thinking, QString("think about leaves"));
        QCOMPARE(msgs[1].tokens, 5);
        QCOMPARE(msgs[1].thinkingMs, 2500);
        QVERIFY(msgs[1].partial);
        QCOMPARE(msgs[1].model, QString("e2b.gguf"));
        QVERIFY(msgs[1].created.isValid());
        QVERIFY(s.updateMessage(reply, "Use 90 °C water.", "", 6, false));
        QVERIFY(!s.messages(conv)[1].partial);
        QCOMPARE(s.messages(conv)[1].thinkingMs, 2500);  // -1: kept
    }

    void searchRenameDelete() {
        QTemporaryDir dir;
        ChatStore s;
        QVERIFY(s.open(dir.filePath("c.sqlite")));
        const qint64 a = s.createConversation("Rust lifetimes");
        const qint64 b = s.createConversation("Dinner");
        StoredMessage m;
        m.conversationId = b;
        m.role = "user";
        m.text = "A recipe with 100% saffron_rice";
        QVERIFY(s.addMessage(m) > 0);
        QCOMPARE(s.conversations().size(), 2);
        QCOMPARE(s.conversations().first().id, b);  // newest activity first
        QCOMPARE(s.conversations("LIFETIME").size(), 1);           // case-insensitive title
        QCOMPARE(s.conversations("saffron").first().id, b);         // message text
        QCOMPARE(s.conversations("100%").size(), 1);                // % and _ are literal:
        QCOMPARE(s.conversations("Rust%times").size(), 0);          // as wildcards these would match
        QCOMPARE(s.conversations("D_nner").size(), 0);
        QCOMPARE(s.conversations("n_r").size(), 1);                 // "saffron_rice"
        QCOMPARE(s.conversations("nothing like this").size(), 0);
        QVERIFY(s.renameConversation(a, "Borrowing"));
        QCOMPARE(s.conversations("Borrow").first().id, a);
        QVERIFY(s.deleteConversation(b));
        QCOMPARE(s.conversations().size(), 1);
        QVERIFY(s.messages(b).isEmpty());  // cascaded
        QVERIFY(!s.deleteConversation(b));
    }

    void migratesVersionOne() {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "v1");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created_at TEXT "
                           "NOT NULL, updated_at TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL "
                           "REFERENCES conversations(id) ON DELETE CASCADE, role TEXT NOT NULL, text TEXT NOT NULL, "
                           "created_at TEXT NOT NULL)"));
            QVERIFY(q.exec("INSERT INTO conversations VALUES (7, 'Old chat', '2026-01-01T00:00:00.000Z', "
                           "'2026-01-01T00:00:00.000Z')"));
            QVERIFY(q.exec("INSERT INTO messages VALUES (1, 7, 'user', 'hello from v1', '2026-01-01T00:00:00.000Z')"));
            QVERIFY(q.exec("PRAGMA user_version=1"));
            db.close();
        }
        QSqlDatabase::removeDatabase("v1");
        ChatStore s;
        QString error;
        QVERIFY2(s.open(path, &error), qPrintable(error));
        QCOMPARE(s.schemaVersion(), ChatStore::kSchemaVersion);
        const auto msgs = s.messages(7);
        QCOMPARE(msgs.size(), 1);
        QCOMPARE(msgs[0].text, QString("hello from v1"));
        QCOMPARE(msgs[0].thinking, QString());  // new columns take their defaults
        QVERIFY(msgs[0].alternatives.isEmpty());
        QVERIFY(msgs[0].images.isEmpty());  // schema 6: no pictures before
        QVERIFY(s.setAlternatives(1, {"first answer", "second"}));
        QCOMPARE(s.messages(7)[0].alternatives, QStringList({"first answer", "second"}));
        QVERIFY(!msgs[0].partial);
        StoredMessage m;
        m.conversationId = 7;
        m.role = "model";
        m.thinking = "new column";
        m.images = QStringList{"images/7/00112233445566778899aabbccddeeff.webp"};
        QVERIFY(s.addMessage(m) > 0);
        QCOMPARE(s.messages(7).last().thinking, QString("new column"));
        QCOMPARE(s.messages(7).last().images, m.images);
    }

    void refusesNewerSchema() {
        QTemporaryDir dir;
        const QString path = dir.filePath("future.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "future");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("PRAGMA user_version=99"));
            db.close();
        }
        QSqlDatabase::removeDatabase("future");
        ChatStore s;
        QString error;
        QVERIFY(!s.open(path, &error));
        QVERIFY2(error.contains("schema 99"), qPrintable(error));
        QCOMPARE(s.schemaVersion(), 99);  // untouched
    }
};

QTEST_GUILESS_MAIN(TstAppChatStore)
#include "tst_app_chat_store.moc"
