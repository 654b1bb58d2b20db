#include "conversation_export.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

QByteArray asJson(const QString& title, const QList<StoredMessage>& messages) {
    QJsonArray arr;
    for (const StoredMessage& m : messages) {
        QJsonObject o{{"role", m.role},
                      {"text", m.text},
                      {"thinking", m.thinking},
                      {"created", m.created.toString(Qt::ISODateWithMs)},
                      {"model", m.model},
                      {"tokens", m.tokens},
                      {"partial", m.partial}};
        if (!m.sources.isEmpty()) o.insert("sources", QJsonDocument::fromJson(sourcesToJson(m.sources).toUtf8()).array());
        // Stored paths, relative to the chat database's folder (chat_images.h).
        if (!m.images.isEmpty()) o.insert("images", QJsonArray::fromStringList(m.images));
        arr.push_back(o);
    }
    return QJsonDocument(QJsonObject{{"title", title}, {"messages", arr}}).toJson(QJsonDocument::Indented);
}

// "1. guide.pdf, p. 3 (label iii), Marsupials: /home/me/guide.pdf"
QString sourceLine(int n, const MessageSource& s) {
    QString line = QStringLiteral("%1. %2").arg(n).arg(QFileInfo(s.path).fileName());
    if (s.page > 0) line += QStringLiteral(", p. %1").arg(s.page);
    if (!s.pageLabel.isEmpty() && s.pageLabel != QString::number(s.page)) line += QStringLiteral(" (label %1)").arg(s.pageLabel);
    if (!s.section.isEmpty()) line += QStringLiteral(", ") + s.section;
    return line + QStringLiteral(": ") + s.path;
}

QByteArray asMarkdown(const QString& title, const QList<StoredMessage>& messages) {
    QString md = "# " + title + "\n";
    for (const StoredMessage& m : messages) {
        md += m.role == "user" ? "\n## You\n\n" : m.role == "system" ? "\n## System\n\n" : "\n## Gemma\n\n";
        if (!m.thinking.isEmpty()) md += "<details><summary>Thinking</summary>\n\n" + m.thinking + "\n\n</details>\n\n";
        for (const QString& picture : m.images) md += "*[picture " + QFileInfo(picture).fileName() + "]*\n\n";
        md += m.text + "\n";
        if (!m.sources.isEmpty()) {
            md += "\n**Sources**\n\n";
            for (int i = 0; i < m.sources.size(); ++i) md += sourceLine(i + 1, m.sources[i]) + "\n";
        }
    }
    return md.toUtf8();
}

}  // namespace

QByteArray exportConversationAs(const QString& format, const QString& title, const QList<StoredMessage>& messages) {
    if (format == QLatin1String("json")) return asJson(title, messages);
    if (format == QLatin1String("markdown")) return asMarkdown(title, messages);
    return {};
}
