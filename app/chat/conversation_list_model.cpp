#include "conversation_list_model.h"

#include <QCoreApplication>

ConversationListModel::ConversationListModel(QObject* parent) : QAbstractListModel(parent) {
    midnight_.setSingleShot(true);
    connect(&midnight_, &QTimer::timeout, this, &ConversationListModel::regroup);
    if (QCoreApplication* app = QCoreApplication::instance()) app->installEventFilter(this);
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

// The group names change (a new day, another language): a reset, which
// ListView's sections follow.
void ConversationListModel::regroup() {
    beginResetModel();
    endResetModel();
    scheduleMidnight();
}

// Installing a translator sends LanguageChange to the application object
// only: the headers are C++ tr() text, so they are regrouped here. (A filter
// on the application sees every event of the thread: the type test is first.)
bool ConversationListModel::eventFilter(QObject* watched, QEvent* e) {
    if (e->type() == QEvent::LanguageChange && watched == QCoreApplication::instance()) regroup();
    return QAbstractListModel::eventFilter(watched, e);
}

void ConversationListModel::scheduleMidnight() {
    if (items_.isEmpty()) return midnight_.stop();
    const QDateTime local = now().toLocalTime();
    // startOfDay: valid where a DST change skips midnight itself.
    const QDateTime next = local.date().addDays(1).startOfDay().addSecs(1);
    midnight_.start(int(qBound<qint64>(1000, local.msecsTo(next), 24LL * 3600 * 1000)));
}

int ConversationListModel::rowOf(qint64 id) const {
    for (int i = 0; i < items_.size(); ++i)
        if (items_[i].id == id) return i;
    return -1;
}
