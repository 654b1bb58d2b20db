#include "request_log_model.h"

int RequestLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

QVariant RequestLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const RequestLogEntry& e = entries_.at(index.row());
    switch (static_cast<Role>(role)) {
    case Role::Time: return e.time.toString(QStringLiteral("HH:mm:ss"));
    case Role::Method: return e.method;
    case Role::Path: return e.path;
    case Role::Status: return e.status;
    case Role::PromptTokens: return e.promptTokens;
    case Role::CompletionTokens: return e.completionTokens;
    case Role::TokensPerSecond: return e.engineSeconds > 0 ? e.completionTokens / e.engineSeconds : 0.0;
    case Role::DurationMs: return qRound(e.durationSeconds * 1000);
    case Role::Count: break;
    }
    return {};
}

QHash<int, QByteArray> RequestLogModel::roleNames() const {
    static const QHash<int, QByteArray> names{
        {int(Role::Time), "time"},
        {int(Role::Method), "method"},
        {int(Role::Path), "path"},
        {int(Role::Status), "status"},
        {int(Role::PromptTokens), "promptTokens"},
        {int(Role::CompletionTokens), "completionTokens"},
        {int(Role::TokensPerSecond), "tokensPerSecond"},
        {int(Role::DurationMs), "durationMs"},
    };
    return names;
}

void RequestLogModel::add(const RequestLogEntry& entry) {
    if (entries_.size() >= kCapacity) {
        const int last = static_cast<int>(entries_.size()) - 1;
        beginRemoveRows({}, last, last);
        entries_.removeLast();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    entries_.prepend(entry);
    endInsertRows();
    emit countChanged();
}

void RequestLogModel::clear() {
    if (entries_.isEmpty()) return;
    beginResetModel();
    entries_.clear();
    endResetModel();
    emit countChanged();
}
