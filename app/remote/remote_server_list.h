// RemoteServerList: the saved remote servers as rows for the "Remote
// servers" dialog (name, address, model count, where the key is), with Edit
// and Remove per row. sync() follows RemoteEndpointStore's list by endpoint
// id: edited rows change in place, new ones are inserted, removed ones go,
// so an open row's buttons survive a model-list refresh.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include "remote_endpoint_store.h"

class RemoteServerList : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by RemoteServers")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum class Role { Id = Qt::UserRole + 1, Name, BaseUrl, AllowInsecure, ModelCount, KeyLocation };

    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(rows_.size()); }

    // Makes the rows equal `endpoints` (same order; the store appends new ones).
    void sync(const QList<RemoteEndpoint>& endpoints);

signals:
    void countChanged();

private:
    int rowOf(const QString& id) const;

    QList<RemoteEndpoint> rows_;
};
