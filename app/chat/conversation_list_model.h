// The sidebar's conversations (newest first), as ChatController loads them
// from the ChatStore.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include "chat_store.h"

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, UpdatedRole };
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(items_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void reset(const QList<StoredConversation>& items);
    const QList<StoredConversation>& items() const { return items_; }
    int rowOf(qint64 id) const;
    int count() const { return int(items_.size()); }

signals:
    void countChanged();

private:
    QList<StoredConversation> items_;
};
