// Where a conversation's pictures live on disk. Each picture a user sends is
// kept beside the chat database, as the bytes it came in (a pasted picture as
// PNG), named by its content:
//
//   <database dir>/images/<conversation id>/<sha256, 32 hex>.<ext>
//
// A message records its pictures as paths relative to the database folder
// ("images/12/3fa9….png"; stored in messages.images, never renamed), so a
// moved data folder keeps them. A picture being attached waits in a staging
// folder of its own (images/staging-XXXXXX, one per running app) and is
// moved into the conversation's folder when the message is sent, before the
// message row is written: a killed app leaves at worst an orphan file, never
// a message whose picture is missing. A missing file is shown as a
// placeholder and left out of the prompt.
#pragma once

#include <QByteArray>
#include <QString>

namespace chatimages {

// <database dir>/images
QString imagesRoot(const QString& databasePath);
// <database dir>/images/<conversation id>
QString conversationFolder(const QString& databasePath, qint64 conversationId);
// The stored path of a picture: "images/<conversation id>/<file name>".
QString relativePath(qint64 conversationId, const QString& fileName);
// The absolute path of a stored picture; "" when `relative` is no picture
// path of this layout (a hostile row pointing elsewhere: "../", absolute).
QString absolutePath(const QString& databasePath, const QString& relative);

// Moves the staged picture `staged` into the conversation's folder (a
// rename within the data folder; the same content already there counts as
// moved) and gives its stored path. False with `error` when it cannot.
bool adopt(const QString& databasePath, qint64 conversationId, const QString& staged, QString* relative,
           QString* error);

// Removes the conversation's picture folder and everything in it.
bool removeConversation(const QString& databasePath, qint64 conversationId);

// The file name a picture is stored under: its content hash and the
// extension of its format ("png", "jpg", "webp", "gif", "bmp").
QString storedFileName(const QByteArray& bytes, const QByteArray& format);

}  // namespace chatimages
