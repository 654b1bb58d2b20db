// A chats database seeded before a window test loads Main.qml: one
// conversation with one user message, so the chat page shows instead of the
// welcome screen.
#pragma once

#include <QDateTime>
#include <QDir>
#include <QString>

#include "chat_store.h"

namespace facet::test {

// In `dataDir`/chats.sqlite (the folder made if missing); false on any failure.
inline bool seedConversation(const QString& dataDir, const QString& title, const QString& userText) {
    ChatStore store;
    if (!QDir().mkpath(dataDir) || !store.open(dataDir + "/chats.sqlite")) return false;
    StoredMessage m;
    m.conversationId = store.createConversation(title);
    m.role = "user";
    m.text = userText;
    m.created = QDateTime::currentDateTime();
    return m.conversationId > 0 && store.addMessage(m) > 0;
}

}  // namespace facet::test
