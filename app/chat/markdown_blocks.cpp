#include "markdown_blocks.h"

#include <QStringList>
#include <QVariantMap>

QList<MarkdownBlock> splitMarkdownBlocks(const QString& markdown) {
    QList<MarkdownBlock> out;
    MarkdownBlock cur;
    QString fence;  // "```" or "~~~" (and longer) while inside a code block
    const QStringList lines = markdown.split('\n');
    auto flush = [&](bool code) {
        if (cur.code || !cur.text.trimmed().isEmpty()) out.push_back(cur);
        cur = MarkdownBlock{};
        cur.code = code;
    };
    for (int i = 0; i < lines.size(); ++i) {
        const QString& line = lines[i];
        const QString t = line.trimmed();
        if (fence.isEmpty()) {
            if (t.startsWith("```") || t.startsWith("~~~")) {
                const QChar ch = t[0];
                int n = 0;
                while (n < t.size() && t[n] == ch) ++n;
                flush(true);
                fence = QString(n, ch);
                cur.language = t.mid(n).trimmed().section(' ', 0, 0).toLower();
                continue;
            }
            cur.text += (cur.text.isEmpty() ? QString() : QStringLiteral("\n")) + line;
        } else {
            if (t.startsWith(fence) && t.mid(fence.size()).trimmed().isEmpty() && t.count(fence[0]) == t.size()) {
                flush(false);
                fence.clear();
                continue;
            }
            cur.text += (cur.text.isEmpty() ? QString() : QStringLiteral("\n")) + line;
        }
    }
    if (cur.code || !cur.text.trimmed().isEmpty()) out.push_back(cur);
    return out;
}

QVariantList markdownBlocksForQml(const QString& markdown) {
    QVariantList out;
    for (const MarkdownBlock& b : splitMarkdownBlocks(markdown))
        out.push_back(QVariantMap{{"code", b.code}, {"language", b.language}, {"text", b.text}});
    return out;
}
