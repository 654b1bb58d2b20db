#include "message_list_model.h"

#include <QFileInfo>
#include <QUrl>

#include "chat_images.h"
#include "document_sources.h"
#include "markdown_blocks.h"

namespace {

// The blocks with citations [n] of the message's sources as links (prose only).
QVariantList blocksWithCitations(const StoredMessage& m) {
    QVariantList blocks = markdownBlocksForQml(m.text);
    if (m.sources.isEmpty()) return blocks;
    for (QVariant& v : blocks) {
        QVariantMap b = v.toMap();
        if (b.value("code").toBool()) continue;
        b["text"] = linkCitations(b.value("text").toString(), int(m.sources.size()));
        v = b;
    }
    return blocks;
}

}  // namespace

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const StoredMessage& m = items_[index.row()];
    switch (role) {
        case IdRole: return m.id;
        case RoleRole: return m.role;
        case Qt::DisplayRole:
        case TextRole: return m.text;
        case ThinkingRole: return m.thinking;
        case PartialRole: return m.partial;
        case TokensRole: return m.tokens;
        case ModelRole: return m.model;
        case AlternativesRole: return int(m.alternatives.size());
        case BlocksRole: return blocksWithCitations(m);
        case ThinkingSecondsRole: return m.thinkingMs / 1000.0;
        case SourcesRole: return sourcesForQml(m.sources);
        case ImagesRole: return imagesForQml(m);
        default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
    return {{IdRole, "messageId"}, {RoleRole, "role"},     {TextRole, "text"},  {ThinkingRole, "thinking"},
            {PartialRole, "partial"}, {TokensRole, "tokens"}, {ModelRole, "model"},
            {AlternativesRole, "alternatives"}, {BlocksRole, "blocks"},
            {ThinkingSecondsRole, "thinkingSeconds"}, {SourcesRole, "sources"}, {ImagesRole, "images"}};
}

// [{source: file URL, or an empty URL for a path that is no stored picture;
// name}]. A missing file is the view's placeholder (Image.Error): no stat here.
QVariantList MessageListModel::imagesForQml(const StoredMessage& m) const {
    QVariantList out;
    for (const QString& relative : m.images) {
        const QString path = chatimages::absolutePath(databasePath_, relative);
        out.push_back(QVariantMap{{"source", path.isEmpty() ? QUrl() : QUrl::fromLocalFile(path)},
                                  {"name", QFileInfo(relative).fileName()}});
    }
    return out;
}

void MessageListModel::reset(const QList<StoredMessage>& items) {
    beginResetModel();
    items_ = items;
    endResetModel();
}

void MessageListModel::append(const StoredMessage& m) {
    beginInsertRows({}, int(items_.size()), int(items_.size()));
    items_.push_back(m);
    endInsertRows();
}

void MessageListModel::appendToLast(const QString& thinking, const QString& answer) {
    if (items_.isEmpty()) return;
    StoredMessage& m = items_.last();
    m.thinking += thinking;
    m.text += answer;
    const QModelIndex i = index(int(items_.size()) - 1);
    emit dataChanged(i, i, {TextRole, ThinkingRole, BlocksRole});
}

void MessageListModel::finishLast(int tokens, bool partial) {
    if (items_.isEmpty()) return;
    items_.last().tokens = tokens;
    items_.last().partial = partial;
    const QModelIndex i = index(int(items_.size()) - 1);
    emit dataChanged(i, i, {TokensRole, PartialRole});
}

void MessageListModel::replace(int row, const StoredMessage& m) {
    if (row < 0 || row >= items_.size()) return;
    items_[row] = m;
    emit dataChanged(index(row), index(row));
}

void MessageListModel::removeLast() {
    if (items_.isEmpty()) return;
    beginRemoveRows({}, int(items_.size()) - 1, int(items_.size()) - 1);
    items_.removeLast();
    endRemoveRows();
}

int MessageListModel::rowOf(qint64 id) const {
    for (int i = 0; i < items_.size(); ++i)
        if (items_[i].id == id) return i;
    return -1;
}

void MessageListModel::setLastThinkingMs(int ms) {
    if (items_.isEmpty()) return;
    items_.last().thinkingMs = ms;
    const QModelIndex i = index(int(items_.size()) - 1);
    emit dataChanged(i, i, {ThinkingSecondsRole});
}

void MessageListModel::setSources(qint64 id, const QList<MessageSource>& sources) {
    const int row = rowOf(id);
    if (row < 0) return;
    items_[row].sources = sources;
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {SourcesRole, BlocksRole});
}
