#include "fts_query.h"

#include <QStringList>

namespace facet::docs {

QString ftsMatchExpression(const QString& userText) {
    QStringList terms;
    QString cur;
    auto flush = [&] {
        // Quoted, so AND/OR/NOT/NEAR and column names are plain words; a
        // quote can't occur since only word characters are kept.
        const QString quoted = QLatin1Char('"') + cur + QLatin1Char('"');
        if (!cur.isEmpty() && !terms.contains(quoted) && terms.size() < 64) terms << quoted;
        cur.clear();
    };
    for (const QChar c : userText) {
        if (c.isLetterOrNumber() || c == QLatin1Char('_') || c.category() == QChar::Mark_NonSpacing) cur += c;
        else flush();
    }
    flush();
    return terms.join(QStringLiteral(" OR "));
}

}  // namespace facet::docs
