#include "chat_images.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>

namespace chatimages {

QString imagesRoot(const QString& databasePath) {
    return QFileInfo(databasePath).absolutePath() + QStringLiteral("/images");
}

QString conversationFolder(const QString& databasePath, qint64 conversationId) {
    return imagesRoot(databasePath) + '/' + QString::number(conversationId);
}

QString relativePath(qint64 conversationId, const QString& fileName) {
    return QStringLiteral("images/%1/%2").arg(conversationId).arg(fileName);
}

QString absolutePath(const QString& databasePath, const QString& relative) {
    // Exactly the layout this file writes: a row can never point outside the folder.
    static const QRegularExpression layout(QStringLiteral("^images/[0-9]+/[0-9a-f]{8,64}\\.[a-z]{3,4}$"));
    if (!layout.match(relative).hasMatch()) return {};
    return QFileInfo(databasePath).absolutePath() + '/' + relative;
}

bool adopt(const QString& databasePath, qint64 conversationId, const QString& staged, QString* relative,
           QString* error) {
    const QString name = QFileInfo(staged).fileName();
    const QString folder = conversationFolder(databasePath, conversationId);
    const QString target = folder + '/' + name;
    *relative = relativePath(conversationId, name);
    // Named by content: a file already there holds these bytes.
    if (QFileInfo::exists(target)) {
        QFile::remove(staged);
        return true;
    }
    if (!QDir().mkpath(folder)) {
        *error = QObject::tr("cannot create the folder %1").arg(folder);
        return false;
    }
    if (QFile::rename(staged, target)) return true;
    // Another file system (a data folder on a mount the staging folder is not on): copy.
    if (QFile::copy(staged, target)) {
        QFile::remove(staged);
        return true;
    }
    *error = QObject::tr("cannot move %1 to %2").arg(staged, folder);
    return false;
}

bool removeConversation(const QString& databasePath, qint64 conversationId) {
    QDir folder(conversationFolder(databasePath, conversationId));
    return !folder.exists() || folder.removeRecursively();
}

QString storedFileName(const QByteArray& bytes, const QByteArray& format) {
    static const QRegularExpression plain(QStringLiteral("^[a-z]{3,4}$"));
    const QString f = QString::fromLatin1(format).toLower();
    const QString ext = f == QLatin1String("jpeg") ? QStringLiteral("jpg")
                        : plain.match(f).hasMatch() ? f
                                                    : QStringLiteral("img");
    const QByteArray hash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(32);
    return QString::fromLatin1(hash) + '.' + ext;
}

}  // namespace chatimages
