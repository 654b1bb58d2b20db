#include "chat_store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

ChatStore::ChatStore() : connection_(QStringLiteral("facet-chat-") + QUuid::createUuid().toString(QUuid::Id128)) {}

ChatStore::~ChatStore() {
    {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        if (db.isOpen()) db.close();
    }
    if (QSqlDatabase::contains(connection_)) QSqlDatabase::removeDatabase(connection_);
}

bool ChatStore::open(const QString& path, QString* error) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSqlDatabase db = QSqlDatabase::contains(connection_) ? QSqlDatabase::database(connection_, false)
                                                          : QSqlDatabase::addDatabase("QSQLITE", connection_);
    db.setDatabaseName(path);
    bool ok = db.open();
    if (!ok) lastError_ = QStringLiteral("%1: %2").arg(path, db.lastError().text());
    ok = ok && exec("PRAGMA journal_mode=WAL") && exec("PRAGMA synchronous=NORMAL") && exec("PRAGMA foreign_keys=ON");
    ok = ok && migrate();
    if (!ok && error) *error = lastError_;
    return ok;
}

bool ChatStore::isOpen() const { return QSqlDatabase::database(connection_, false).isOpen(); }

bool ChatStore::exec(const QString& sql) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (q.exec(sql)) return true;
    lastError_ = QStringLiteral("%1: %2").arg(sql.left(60), q.lastError().text());
    return false;
}

int ChatStore::schemaVersion() const {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    return q.exec("PRAGMA user_version") && q.next() ? q.value(0).toInt() : -1;
}

// Each step moves the schema up by one version inside a transaction; a
// database newer than this build is refused rather than damaged.
bool ChatStore::migrate() {
    QSqlDatabase db = QSqlDatabase::database(connection_, false);
    const int v = schemaVersion();
    if (v > kSchemaVersion) {
        lastError_ = QStringLiteral("the chat database has schema %1, newer than this Facet (%2)").arg(v).arg(kSchemaVersion);
        return false;
    }
    for (int step = v + 1; step <= kSchemaVersion; ++step) {
        if (!db.transaction()) return false;
        bool ok = true;
        if (step == 1) {
            ok = exec("CREATE TABLE IF NOT EXISTS conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
                      "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)") &&
                 exec("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL "
                      "REFERENCES conversations(id) ON DELETE CASCADE, role TEXT NOT NULL, text TEXT NOT NULL, "
                      "created_at TEXT NOT NULL)");
        } else if (step == 2) {  // thinking, provenance and streaming state
            ok = exec("ALTER TABLE messages ADD COLUMN thinking TEXT NOT NULL DEFAULT ''") &&
                 exec("ALTER TABLE messages ADD COLUMN model TEXT NOT NULL DEFAULT ''") &&
                 exec("ALTER TABLE messages ADD COLUMN settings TEXT NOT NULL DEFAULT ''") &&
                 exec("ALTER TABLE messages ADD COLUMN tokens INTEGER NOT NULL DEFAULT 0") &&
                 exec("ALTER TABLE messages ADD COLUMN partial INTEGER NOT NULL DEFAULT 0") &&
                 exec("CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id)");
        } else if (step == 3) {  // regenerated answers kept as alternatives (a JSON array of strings)
            ok = exec("ALTER TABLE messages ADD COLUMN alternatives TEXT NOT NULL DEFAULT '[]'");
        } else if (step == 4) {  // how long the model thought
            ok = exec("ALTER TABLE messages ADD COLUMN thinking_ms INTEGER NOT NULL DEFAULT 0");
        } else if (step == 5) {  // chat with documents: attached libraries, cited sources (JSON arrays)
            ok = exec("ALTER TABLE conversations ADD COLUMN libraries TEXT NOT NULL DEFAULT '[]'") &&
                 exec("ALTER TABLE messages ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'");
        } else if (step == 6) {  // pictures sent with a message (a JSON array of paths relative to the database)
            ok = exec("ALTER TABLE messages ADD COLUMN images TEXT NOT NULL DEFAULT '[]'");
        }
        ok = ok && exec(QStringLiteral("PRAGMA user_version=%1").arg(step));
        if (!ok) {
            db.rollback();
            return false;
        }
        if (!db.commit()) return false;
    }
    return true;
}

// A null QString binds as SQL NULL; the text columns are NOT NULL.
static QString nn(const QString& s) { return s.isNull() ? QStringLiteral("") : s; }

static QString now() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

static QString jsonList(const QStringList& list) {
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

static QStringList stringsFromJson(const QString& json) {
    QStringList out;
    for (const QJsonValue& v : QJsonDocument::fromJson(json.toUtf8()).array())
        if (v.isString()) out.push_back(v.toString());
    return out;
}

QList<StoredConversation> ChatStore::conversations(const QString& filter) const {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (filter.isEmpty()) {
        q.prepare("SELECT id, title, created_at, updated_at FROM conversations ORDER BY updated_at DESC, id DESC");
    } else {
        q.prepare("SELECT id, title, created_at, updated_at FROM conversations c WHERE title LIKE :f ESCAPE '\\' OR "
                  "EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.text LIKE :f ESCAPE '\\') "
                  "ORDER BY updated_at DESC, id DESC");
        QString escaped = filter;
        escaped.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        q.bindValue(":f", "%" + escaped + "%");
    }
    QList<StoredConversation> out;
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return out;
    }
    while (q.next())
        out.push_back({q.value(0).toLongLong(), q.value(1).toString(),
                       QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs),
                       QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs)});
    return out;
}

qint64 ChatStore::createConversation(const QString& title) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)");
    const QString t = now();
    q.addBindValue(nn(title));
    q.addBindValue(t);
    q.addBindValue(t);
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return 0;
    }
    return q.lastInsertId().toLongLong();
}

bool ChatStore::renameConversation(qint64 id, const QString& title) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("UPDATE conversations SET title = ? WHERE id = ?");
    q.addBindValue(nn(title));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() == 1;
}

bool ChatStore::touchConversation(qint64 id) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?");
    q.addBindValue(now());
    q.addBindValue(id);
    return q.exec();
}

bool ChatStore::deleteConversation(qint64 id) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("DELETE FROM conversations WHERE id = ?");  // messages go by ON DELETE CASCADE
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() == 1;
}

QList<StoredMessage> ChatStore::messages(qint64 conversationId) const {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("SELECT id, role, text, thinking, created_at, model, settings, tokens, partial, alternatives, "
              "thinking_ms, sources, images FROM messages WHERE conversation_id = ? ORDER BY id");
    q.addBindValue(conversationId);
    QList<StoredMessage> out;
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return out;
    }
    while (q.next()) {
        StoredMessage m;
        m.id = q.value(0).toLongLong();
        m.conversationId = conversationId;
        m.role = q.value(1).toString();
        m.text = q.value(2).toString();
        m.thinking = q.value(3).toString();
        m.created = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
        m.model = q.value(5).toString();
        m.settingsJson = q.value(6).toString();
        m.tokens = q.value(7).toInt();
        m.partial = q.value(8).toInt() != 0;
        for (const QJsonValue& v : QJsonDocument::fromJson(q.value(9).toString().toUtf8()).array())
            m.alternatives.push_back(v.toString());
        m.thinkingMs = q.value(10).toInt();
        m.sources = sourcesFromJson(q.value(11).toString());
        m.images = stringsFromJson(q.value(12).toString());
        out.push_back(m);
    }
    return out;
}

qint64 ChatStore::addMessage(const StoredMessage& m) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("INSERT INTO messages (conversation_id, role, text, thinking, created_at, model, settings, tokens, "
              "partial, sources, images) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.addBindValue(m.conversationId);
    q.addBindValue(nn(m.role));
    q.addBindValue(nn(m.text));
    q.addBindValue(nn(m.thinking));
    q.addBindValue(m.created.isValid() ? m.created.toUTC().toString(Qt::ISODateWithMs) : now());
    q.addBindValue(nn(m.model));
    q.addBindValue(nn(m.settingsJson));
    q.addBindValue(m.tokens);
    q.addBindValue(m.partial ? 1 : 0);
    q.addBindValue(sourcesToJson(m.sources));
    q.addBindValue(jsonList(m.images));
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return 0;
    }
    touchConversation(m.conversationId);
    return q.lastInsertId().toLongLong();
}

bool ChatStore::updateMessage(qint64 id, const QString& text, const QString& thinking, int tokens, bool partial,
                              int thinkingMs) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("UPDATE messages SET text = ?, thinking = ?, tokens = ?, partial = ?, "
              "thinking_ms = CASE WHEN ? < 0 THEN thinking_ms ELSE ? END WHERE id = ?");
    q.addBindValue(nn(text));
    q.addBindValue(nn(thinking));
    q.addBindValue(tokens);
    q.addBindValue(partial ? 1 : 0);
    q.addBindValue(thinkingMs);
    q.addBindValue(thinkingMs);
    q.addBindValue(id);
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() == 1;
}

bool ChatStore::setAlternatives(qint64 id, const QStringList& alternatives) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("UPDATE messages SET alternatives = ? WHERE id = ?");
    q.addBindValue(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(alternatives)).toJson(QJsonDocument::Compact)));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() == 1;
}

bool ChatStore::deleteMessagesFrom(qint64 conversationId, qint64 firstId) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("DELETE FROM messages WHERE conversation_id = ? AND id >= ?");
    q.addBindValue(conversationId);
    q.addBindValue(firstId);
    return q.exec();
}

bool ChatStore::setSources(qint64 id, const QList<MessageSource>& sources) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("UPDATE messages SET sources = ? WHERE id = ?");
    q.addBindValue(sourcesToJson(sources));
    q.addBindValue(id);
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() == 1;
}

QStringList ChatStore::conversationLibraries(qint64 id) const {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("SELECT libraries FROM conversations WHERE id = ?");
    q.addBindValue(id);
    QStringList out;
    if (!q.exec() || !q.next()) return out;
    for (const QJsonValue& v : QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array())
        if (!v.toString().isEmpty()) out.push_back(v.toString());
    return out;
}

bool ChatStore::setConversationLibraries(qint64 id, const QStringList& libraries) {
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    q.prepare("UPDATE conversations SET libraries = ? WHERE id = ?");
    q.addBindValue(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(libraries)).toJson(QJsonDocument::Compact)));
    q.addBindValue(id);
    if (!q.exec()) {
        lastError_ = q.lastError().text();
        return false;
    }
    return q.numRowsAffected() == 1;
}
