// A list model of plain rows (QVariantMap), its roles named by the keys given
// at construction: for short, read-only lists that come from the network
// (search results, a repository's files) and need no behaviour of their own.
#pragma once

#include <QAbstractListModel>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class VariantListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ModelManager")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    explicit VariantListModel(const QList<QByteArray>& keys, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(rows_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRows(const QList<QVariantMap>& rows);
    const QList<QVariantMap>& rows() const { return rows_; }
    int count() const { return int(rows_.size()); }

signals:
    void countChanged();

private:
    QList<QByteArray> keys_;
    QList<QVariantMap> rows_;
};
