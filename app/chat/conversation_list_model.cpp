#include "conversation_list_model.h"

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {
    midnight_.setSingleShot(true);
    connect(&midnight_, &QTimer::timeout, this, &ConversationListModel::regroup);
}

QVariant ConversationListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const StoredConversation& c = items_[index.row()];
    switch (role) {
        case IdRole: return c.id;
        case Qt::DisplayRole:
        case TitleRole: return c.title;
        case UpdatedRole: return c.updated.toLocalTime();
        case GroupRole: return groupOf(c.updated);
        default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const {
    return {{IdRole, "conversationId"}, {TitleRole, "title"}, {UpdatedRole, "updated"}, {GroupRole, "group"}};
}

QString ConversationListModel::groupOf(const QDateTime& updated) const {
    // Calendar days, not 24-hour spans: 23:59 yesterday is "Yesterday" at 00:01 today.
    const qint64 days = updated.toLocalTime().date().daysTo(now().toLocalTime().date());
    if (days <= 0) return tr("Today");  // (a clock set back shows future times as today)
    if (days == 1) return tr("Yesterday");
    if (days <= 7) return tr("Previous 7 days");
    if (days <= 30) return tr("Previous 30 days");
    return tr("Older");
}

void ConversationListModel::reset(const QList<StoredConversation>& items) {
    beginResetModel();
    items_ = items;
    endResetModel();
    emit countChanged();
    scheduleMidnight();
}

void ConversationListModel::setClock(Clock clock) {
    clock_ = std::move(clock);
    regroup();
}

void ConversationListModel::regroup() {
    beginResetModel();
    endResetModel();
    scheduleMidnight();
}

void ConversationListModel::scheduleMidnight() {
    if (items_.isEmpty()) return midnight_.stop();
    const QDateTime local = now().toLocalTime();
    const QDateTime next(local.date().addDays(1), QTime(0, 0, 1));
    midnight_.start(int(qBound<qint64>(1000, local.msecsTo(next), 24LL * 3600 * 1000)));
}

int ConversationListModel::rowOf(qint64 id) const {
    for (int i = 0; i < items_.size(); ++i)
        if (items_[i].id == id) return i;
    return -1;
}
