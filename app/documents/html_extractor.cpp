#include "html_extractor.h"

#include <QRegularExpression>
#include <QTextBlock>
#include <QTextDocument>

namespace facet::docs {

DocBlocks htmlBlocks(const QString& html, HeadingTracker& headings) {
    QString source = html;
    // QTextDocument drops <script> and <style> bodies itself; <head><title> too.
    static const QRegularExpression noscript(QStringLiteral("<(noscript|template)\\b.*?</\\1\\s*>"),
                                             QRegularExpression::CaseInsensitiveOption |
                                                 QRegularExpression::DotMatchesEverythingOption);
    source.remove(noscript);
    QTextDocument doc;
    doc.setHtml(source);
    DocBlocks out;
    QString para;
    auto flush = [&] {
        addBlock(out, para, BlockKind::Paragraph, headings.path());
        para.clear();
    };
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        const QString text = b.text().replace(QChar::LineSeparator, QLatin1Char('\n'));
        const int level = b.blockFormat().headingLevel();
        if (level > 0) {
            flush();
            if (text.trimmed().isEmpty()) continue;
            headings.enter(level, text);
            addBlock(out, text, BlockKind::Heading, headings.path());
        } else if (text.trimmed().isEmpty()) {
            flush();
        } else {
            // Consecutive short blocks (list items, table cells) join one paragraph.
            para += (para.isEmpty() ? QString() : QStringLiteral("\n")) + text;
            if (b.next().isValid() && b.next().blockFormat().headingLevel() == 0 && para.size() < 200) continue;
            flush();
        }
    }
    flush();
    return out;
}

DocBlocks htmlBlocks(const QString& html) {
    HeadingTracker headings;
    return htmlBlocks(html, headings);
}

}  // namespace facet::docs
