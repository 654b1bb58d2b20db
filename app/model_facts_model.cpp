#include "model_facts_model.h"

int ModelFactsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : facts_.size(); }

QVariant ModelFactsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= facts_.size()) return {};
    const ModelFactRow& f = facts_[index.row()];
    switch (static_cast<Role>(role)) {
        case Role::Key: return f.key;
        case Role::Value: return f.value;
    }
    return {};
}

QHash<int, QByteArray> ModelFactsModel::roleNames() const {
    return {{static_cast<int>(Role::Key), "key"}, {static_cast<int>(Role::Value), "value"}};
}

void ModelFactsModel::setFacts(QVector<ModelFactRow> facts) {
    beginResetModel();
    facts_ = std::move(facts);
    endResetModel();
}
