// The Server page's log: the most recent API requests, newest first, at
// most `capacity` rows (the oldest fall off). One row per request that
// reached the API; the HTTP server's own refusals (401 without the key, a
// foreign Host, oversized bodies) are answered before and are not listed.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QtQml/qqmlregistration.h>

struct RequestLogEntry {
    QDateTime time;  // when the answer finished (or the client left)
    QString method;
    QString path;
    int status = 0;  // 499: the client left before the answer was complete
    int promptTokens = 0;
    int completionTokens = 0;
    double engineSeconds = 0;  // the generation's run; 0 for requests without one
    double durationSeconds = 0;  // request handed to the API → answer complete
};

class RequestLogModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by LocalApiServer")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum class Role {
        Time = Qt::UserRole,  // "hh:mm:ss"
        Method,
        Path,
        Status,
        PromptTokens,
        CompletionTokens,
        TokensPerSecond,  // completion tokens / engine seconds; 0 without a generation
        DurationMs,
        Count
    };

    explicit RequestLogModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void add(const RequestLogEntry& entry);
    Q_INVOKABLE void clear();
    const QList<RequestLogEntry>& entries() const { return entries_; }

    static constexpr int kCapacity = 200;

signals:
    void countChanged();

private:
    QList<RequestLogEntry> entries_;  // newest first
};
