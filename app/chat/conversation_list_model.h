// The sidebar's conversations (newest first), as ChatController loads them
// from the ChatStore. Each row also carries its date group ("Today",
// "Yesterday", "Previous 7 days", "Previous 30 days", "Older"), computed
// from its updated time against the model's clock (tests set the clock);
// the sidebar's ListView shows the groups as section headers.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <functional>

#include "chat_store.h"

class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, UpdatedRole, GroupRole };
    using Clock = std::function<QDateTime()>;
    explicit ConversationListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(items_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void reset(const QList<StoredConversation>& items);
    const QList<StoredConversation>& items() const { return items_; }
    int rowOf(qint64 id) const;
    int count() const { return int(items_.size()); }

    // "Now" for the groups: the system clock unless a test sets one (the rows regroup).
    void setClock(Clock clock);
    QDateTime now() const { return clock_ ? clock_() : QDateTime::currentDateTime(); }
    // The date group of a conversation updated at `updated`, by local calendar days before now().
    QString groupOf(const QDateTime& updated) const;

signals:
    void countChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* e) override;

private:
    // Regroups the rows (a reset: the sections follow) and waits for the next local midnight.
    void regroup();
    void scheduleMidnight();

    QList<StoredConversation> items_;
    Clock clock_;
    QTimer midnight_;
};
