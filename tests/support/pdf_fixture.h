// Files the tests write themselves: raw bytes and real text PDFs drawn with
// QPdfWriter (no binary fixtures in the tree). Header-only and free of
// libzip, so app tests can use it as well as the tst_docs_* ones.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QFont>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QString>
#include <QStringList>

namespace facet::test {

inline bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// One page per entry; each line of a page's text is drawn on its own line.
inline bool writeTextPdf(const QString& path, const QStringList& pages, int pointSize = 10) {
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    QPainter p;
    if (!p.begin(&writer)) return false;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSize(pointSize);
    p.setFont(font);
    const int step = pointSize * 3 / 2;
    for (int i = 0; i < pages.size(); ++i) {
        if (i > 0) writer.newPage();
        int y = 60;
        for (const QString& line : pages[i].split(QLatin1Char('\n'))) {
            p.drawText(50, y, line);
            y += step;
        }
    }
    return p.end();
}

}  // namespace facet::test
