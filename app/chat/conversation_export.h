// A conversation as a file the user keeps: Markdown to read, JSON to process.
// Document answers carry their numbered sources (file, page, section) so an
// exported citation [n] still points somewhere.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "chat_store.h"

// "markdown" or "json"; an empty result for any other format.
QByteArray exportConversationAs(const QString& format, const QString& title, const QList<StoredMessage>& messages);
