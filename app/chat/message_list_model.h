// The open conversation's messages. The last one grows while a reply
// streams (appendToLast), so the view updates one delegate, not the list.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include "chat_store.h"

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatController")
public:
    enum Role { IdRole = Qt::UserRole + 1, RoleRole, TextRole, ThinkingRole, PartialRole, TokensRole, ModelRole, AlternativesRole, BlocksRole, ThinkingSecondsRole, SourcesRole, ImagesRole };
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(items_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The chat database's path: stored picture paths are relative to its folder.
    void setDatabasePath(const QString& path) { databasePath_ = path; }
    void reset(const QList<StoredMessage>& items);
    void append(const StoredMessage& m);
    void appendToLast(const QString& thinking, const QString& answer);
    void finishLast(int tokens, bool partial);
    void setLastThinkingMs(int ms);
    void replace(int row, const StoredMessage& m);
    void removeLast();
    void setSources(qint64 id, const QList<MessageSource>& sources);
    int rowOf(qint64 id) const;
    const QList<StoredMessage>& items() const { return items_; }

private:
    QVariantList imagesForQml(const StoredMessage& m) const;

    QList<StoredMessage> items_;
    QString databasePath_;
};
