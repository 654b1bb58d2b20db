#include "eval_sections.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextDocumentFragment>

namespace facet::docsbench {

namespace {

// For comparing titles across formats: case, quotes and spacing differ.
QString normalized(const QString& s) {
    QString out;
    for (const QChar c : s)
        if (c.isLetterOrNumber()) out += c.toLower();
    return out;
}

// "2.5.3 Title . . . . 95": a line of the PDF's contents or list of tables.
bool isContentsLine(const QString& line) {
    static const QRegularExpression leaders(QStringLiteral("(\\.\\s*){3,}\\S*$"));
    return line.contains(leaders);
}

// The section a heading line opens, or "" when the line is not a heading.
QString headingNumber(const QString& rawLine, const SectionTitles& titles) {
    static const QRegularExpression section(QStringLiteral("^(\\d+(?:\\.\\d+)+)\\.?\\s+(.+)$"));
    static const QRegularExpression chapter(QStringLiteral("^Chapter\\s+(\\d+)\\.?(?:\\s+(.*))?$"));
    const QString line = rawLine.simplified();
    if (isContentsLine(line)) return {};
    QRegularExpressionMatch m = section.match(line);
    if (!m.hasMatch()) m = chapter.match(line);
    if (!m.hasMatch()) return {};
    const QString number = m.captured(1);
    const auto it = titles.find(number);
    if (it == titles.end()) return {};
    if (!number.contains(QLatin1Char('.'))) return number;  // "Chapter N" alone is distinctive
    // The title, or as much of it as fits on the line (PDF wraps long titles).
    const QString want = normalized(it.value()), got = normalized(m.captured(2));
    const qsizetype n = std::min<qsizetype>({want.size(), got.size(), 24});
    return n >= std::min<qsizetype>(want.size(), 6) && want.left(n) == got.left(n) ? number : QString();
}

QString lastNumberedHeading(const QString& headingPath, const SectionTitles& titles) {
    const QStringList parts = headingPath.split(QStringLiteral(" > "));
    return headingNumber(parts.last(), titles);
}

}  // namespace

Result<SectionTitles> readSectionTitles(const QStringList& htmlFiles) {
    static const QRegularExpression heading(QStringLiteral("<h[1-6][^>]*>(.*?)</h[1-6]>"),
                                            QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression numbered(QStringLiteral("^(?:Chapter\\s+)?(\\d+(?:\\.\\d+)*)\\.\\s+(.+)$"));
    SectionTitles titles;
    for (const QString& path : htmlFiles) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return errorf("%s: %s", qPrintable(path), qPrintable(f.errorString()));
        const QString html = QString::fromUtf8(f.readAll());
        for (auto it = heading.globalMatch(html); it.hasNext();) {
            const QString text = QTextDocumentFragment::fromHtml(it.next().captured(1)).toPlainText().simplified();
            const auto m = numbered.match(text);
            if (m.hasMatch()) titles.insert(m.captured(1), m.captured(2));
        }
    }
    if (titles.isEmpty()) return makeError("no numbered headings in the HTML chapters");
    return titles;
}

Result<ChunkSections> mapChunkSections(docs::DocIndex& index, const SectionTitles& titles) {
    QSqlQuery q(index.database());
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT c.id, c.document_id, c.section, c.text FROM chunks c ORDER BY c.document_id, c.ordinal")))
        return errorf("read chunks: %s", qPrintable(q.lastError().text()));
    ChunkSections out;
    qint64 document = -1;
    QString current;  // the section in force
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        if (q.value(1).toLongLong() != document) {
            document = q.value(1).toLongLong();
            current.clear();
        }
        ++out.chunks;
        QStringList sections;
        if (const QString path = q.value(2).toString(); !path.isEmpty()) {
            const QString n = lastNumberedHeading(path, titles);  // rule 1
            if (!n.isEmpty()) current = n;
            if (!current.isEmpty()) sections << current;
        } else {
            QStringList headings;  // rule 2
            bool textBefore = false;
            int run = 0, longestRun = 0;  // heading or contents lines in a row, blank lines breaking a run
            for (const QString& line : q.value(3).toString().split(QLatin1Char('\n'))) {
                const QString n = headingNumber(line, titles);
                if (!n.isEmpty()) headings << n;
                else if (!line.trimmed().isEmpty() && !isContentsLine(line) && headings.isEmpty()) textBefore = true;
                run = !n.isEmpty() || isContentsLine(line) ? run + 1 : 0;
                longestRun = std::max(longestRun, run);
            }
            if (longestRun < 3) {  // rule 3
                if ((textBefore || headings.isEmpty()) && !current.isEmpty()) sections << current;
                sections << headings;
                if (!headings.isEmpty()) current = headings.last();
            }
        }
        sections.removeDuplicates();
        if (sections.isEmpty()) ++out.withoutSection;
        out.byChunk.insert(id, sections);
    }
    return out;
}

bool isRelevant(const QStringList& sections, const QString& gold) {
    for (const QString& s : sections)
        if (s == gold || s.startsWith(gold + QLatin1Char('.'))) return true;
    return false;
}

}  // namespace facet::docsbench
