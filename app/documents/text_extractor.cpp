#include "text_extractor.h"

#include <QRegularExpression>

namespace facet::docs {

DocBlocks plainTextBlocks(const QString& text) {
    DocBlocks out;
    QString para;
    const auto lines = text.split(QLatin1Char('\n'));
    for (const QString& raw : lines) {
        const QString line = raw.endsWith(QLatin1Char('\r')) ? raw.chopped(1) : raw;
        if (line.trimmed().isEmpty()) {
            addBlock(out, para, BlockKind::Paragraph, {});
            para.clear();
        } else {
            para += (para.isEmpty() ? QString() : QStringLiteral("\n")) + line;
        }
    }
    addBlock(out, para, BlockKind::Paragraph, {});
    return out;
}

DocBlocks markdownBlocks(const QString& text) {
    static const QRegularExpression heading(QStringLiteral("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$"));
    DocBlocks out;
    HeadingTracker headings;
    QString para;
    bool inFence = false;
    auto flush = [&] {
        addBlock(out, para, BlockKind::Paragraph, headings.path());
        para.clear();
    };
    for (const QString& raw : text.split(QLatin1Char('\n'))) {
        const QString line = raw.endsWith(QLatin1Char('\r')) ? raw.chopped(1) : raw;
        if (line.trimmed().startsWith(QLatin1String("```")) || line.trimmed().startsWith(QLatin1String("~~~")))
            inFence = !inFence;
        if (!inFence) {
            const auto m = heading.match(line);
            if (m.hasMatch()) {
                flush();
                headings.enter(int(m.captured(1).size()), m.captured(2));
                addBlock(out, m.captured(2), BlockKind::Heading, headings.path());
                continue;
            }
            if (line.trimmed().isEmpty()) {
                flush();
                continue;
            }
        }
        para += (para.isEmpty() ? QString() : QStringLiteral("\n")) + line;
    }
    flush();
    return out;
}

}  // namespace facet::docs
