// ModelFactsModel: the key/value facts of the loaded model, for a ListView.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include "model_loader.h"

class ModelFactsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ModelInfoController")
public:
    enum class Role { Key = Qt::UserRole + 1, Value };

    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setFacts(QVector<ModelFactRow> facts);

private:
    QVector<ModelFactRow> facts_;
};
