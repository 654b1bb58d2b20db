#include "conversation_list_model.h"

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const StoredConversation& c = items_[index.row()];
    switch (role) {
        case IdRole: return c.id;
        case Qt::DisplayRole:
        case TitleRole: return c.title;
        case UpdatedRole: return c.updated.toLocalTime();
        default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{IdRole, "conversationId"}, {TitleRole, "title"}, {UpdatedRole, "updated"}};
}

void ConversationListModel::reset(const QList<StoredConversation>& items) {
    beginResetModel();
    items_ = items;
    endResetModel();
    emit countChanged();
}

int ConversationListModel::rowOf(qint64 id) const {
    for (int i = 0; i < items_.size(); ++i)
        if (items_[i].id == id) return i;
    return -1;
}
