// ChatStore: conversations and messages in SQLite (QtSql), WAL mode, schema
// version in PRAGMA user_version with step-by-step migrations. A reply is
// written as a partial row while it streams and flushed as it grows, so a
// killed app keeps every finished message and the partial answer up to the
// last flush.
#pragma once

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "document_sources.h"

struct StoredConversation {
    qint64 id = 0;
    QString title;
    QDateTime created, updated;
};

struct StoredMessage {
    qint64 id = 0;
    qint64 conversationId = 0;
    QString role;  // "system", "user", "model"
    QString text;
    QString thinking;
    QDateTime created;
    QString model;         // file name of the model that wrote it (model messages)
    QString settingsJson;  // sampling settings used
    int tokens = 0;        // tokens generated (model) or in the prompt (user)
    bool partial = false;  // still streaming, or stopped before the end
    // Earlier answers to the same prompt (regenerate keeps them to page through).
    QStringList alternatives;
    int thinkingMs = 0;  // how long the model thought before answering
    // A document answer's numbered sources ([n] is sources[n - 1]).
    QList<MessageSource> sources;
    // The pictures sent with a user message, in order: paths relative to the
    // database's folder ("images/<conversation>/<hash>.png", chat_images.h).
    QStringList images;
};

class ChatStore {
public:
    static constexpr int kSchemaVersion = 6;

    ChatStore();
    ~ChatStore();
    ChatStore(const ChatStore&) = delete;
    ChatStore& operator=(const ChatStore&) = delete;

    // Creates the file and folders as needed and migrates older schemas.
    bool open(const QString& path, QString* error = nullptr);
    bool isOpen() const;
    int schemaVersion() const;
    QString lastError() const { return lastError_; }

    // Newest first; `filter` matches titles and message text (case-insensitive).
    QList<StoredConversation> conversations(const QString& filter = {}) const;
    qint64 createConversation(const QString& title);
    bool renameConversation(qint64 id, const QString& title);
    bool deleteConversation(qint64 id);  // and its messages (their picture files are the caller's: chat_images.h)
    bool touchConversation(qint64 id);

    QList<StoredMessage> messages(qint64 conversationId) const;
    qint64 addMessage(const StoredMessage& m);  // returns the new id (0 on error)
    bool updateMessage(qint64 id, const QString& text, const QString& thinking, int tokens, bool partial,
                       int thinkingMs = -1);  // -1 keeps the stored duration
    bool deleteMessagesFrom(qint64 conversationId, qint64 firstId);  // for edit-and-resend
    bool setAlternatives(qint64 id, const QStringList& alternatives);
    bool setSources(qint64 id, const QList<MessageSource>& sources);

    // The document libraries (index file paths) a conversation answers from.
    QStringList conversationLibraries(qint64 id) const;
    bool setConversationLibraries(qint64 id, const QStringList& libraries);

private:
    bool exec(const QString& sql);
    bool migrate();
    QString connection_;
    mutable QString lastError_;
};
