#include "remote_server_list.h"

int RemoteServerList::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

QVariant RemoteServerList::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const RemoteEndpoint& e = rows_[index.row()];
    switch (Role(role)) {
    case Role::Id: return e.id;
    case Role::Name: return e.name;
    case Role::BaseUrl: return e.baseUrl.toString();
    case Role::AllowInsecure: return e.allowInsecure;
    case Role::ModelCount: return int(e.models.size());
    case Role::KeyLocation: return e.keyLocation;
    }
    return {};
}

QHash<int, QByteArray> RemoteServerList::roleNames() const {
    return {{int(Role::Id), "serverId"},           {int(Role::Name), "name"},
            {int(Role::BaseUrl), "baseUrl"},       {int(Role::AllowInsecure), "allowInsecure"},
            {int(Role::ModelCount), "modelCount"}, {int(Role::KeyLocation), "keyLocation"}};
}

int RemoteServerList::rowOf(const QString& id) const {
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == id) return i;
    return -1;
}

void RemoteServerList::sync(const QList<RemoteEndpoint>& endpoints) {
    const int before = count();
    // Rows whose endpoint is gone, from the bottom so the rows above keep their numbers.
    for (int i = count() - 1; i >= 0; --i) {
        const QString id = rows_[i].id;
        if (std::any_of(endpoints.begin(), endpoints.end(), [&](const RemoteEndpoint& e) { return e.id == id; })) continue;
        beginRemoveRows({}, i, i);
        rows_.removeAt(i);
        endRemoveRows();
    }
    // What is left is in the store's order; new endpoints are inserted where the store has them.
    for (int i = 0; i < endpoints.size(); ++i) {
        const RemoteEndpoint& e = endpoints[i];
        const int row = rowOf(e.id);
        if (row == i) {
            rows_[i] = e;
            emit dataChanged(index(i), index(i));
            continue;
        }
        if (row >= 0) {  // moved (the store never reorders, but stay correct if it does)
            beginRemoveRows({}, row, row);
            rows_.removeAt(row);
            endRemoveRows();
        }
        const int at = qMin(i, count());
        beginInsertRows({}, at, at);
        rows_.insert(at, e);
        endInsertRows();
    }
    if (count() != before) emit countChanged();
}
