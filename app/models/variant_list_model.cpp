#include "variant_list_model.h"

VariantListModel::VariantListModel(const QList<QByteArray>& keys, QObject* parent)
    : QAbstractListModel(parent), keys_(keys) {}

QVariant VariantListModel::data(const QModelIndex& index, int role) const {
    const int key = role - Qt::UserRole - 1;
    if (!index.isValid() || index.row() >= rows_.size() || key < 0 || key >= keys_.size()) return {};
    return rows_[index.row()].value(QString::fromUtf8(keys_[key]));
}

QHash<int, QByteArray> VariantListModel::roleNames() const {
    QHash<int, QByteArray> r;
    for (int i = 0; i < keys_.size(); ++i) r.insert(Qt::UserRole + 1 + i, keys_[i]);
    return r;
}

void VariantListModel::setRows(const QList<QVariantMap>& rows) {
    beginResetModel();
    rows_ = rows;
    endResetModel();
    emit countChanged();
}
