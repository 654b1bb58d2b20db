#include "document_sources.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QRegularExpression>
#include <QSet>
#include <QVariantMap>

namespace {

// Stored keys (messages.sources): never rename.
constexpr auto kPath = "path";
constexpr auto kPage = "page";
constexpr auto kPageLabel = "pageLabel";
constexpr auto kSection = "section";
constexpr auto kText = "text";
constexpr auto kTerms = "terms";

// Words every question has; highlighting them would mark half the passage.
const QSet<QString>& stopWords() {
    static const QSet<QString> words = {
        "the", "and", "are", "was", "were", "for", "with", "that", "this", "what", "which", "who", "whom", "how",
        "why", "when", "where", "does", "did", "has", "have", "had", "can", "could", "would", "should", "will",
        "about", "from", "into", "any", "all", "not", "you", "your", "our", "their", "its", "there", "than",
        "then", "them", "they", "tell", "say", "says", "said", "is", "be", "been", "being", "of", "in", "on"};
    return words;
}

// A highlight that reads in both themes: dark text on a pale yellow mark.
const char* const kMarkOpen = "<span style=\"background-color:#fde68a; color:#1f2328;\"><b>";
const char* const kMarkClose = "</b></span>";

bool isWordChar(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_') || c.category() == QChar::Mark_NonSpacing; }

// The passage as HTML: escaped, line breaks kept, every word that starts
// with a term marked (a term "zebra" marks "zebras": FTS5's tokenizer may stem).
QString highlightedHtml(const QString& text, const QStringList& terms) {
    QString out;
    qsizetype i = 0;
    while (i < text.size()) {
        if (!isWordChar(text[i])) {
            const QChar c = text[i++];
            out += c == QLatin1Char('\n') ? QStringLiteral("<br>") : QString(c).toHtmlEscaped();
            continue;
        }
        qsizetype j = i;
        while (j < text.size() && isWordChar(text[j])) ++j;
        const QString word = text.mid(i, j - i);
        const QString lower = word.toLower();
        bool hit = false;
        for (const QString& t : terms) hit = hit || lower.startsWith(t);
        out += hit ? QString::fromLatin1(kMarkOpen) + word.toHtmlEscaped() + QString::fromLatin1(kMarkClose)
                   : word.toHtmlEscaped();
        i = j;
    }
    return out;
}

}  // namespace

QString sourcesToJson(const QList<MessageSource>& sources) {
    QJsonArray arr;
    for (const MessageSource& s : sources)
        arr.push_back(QJsonObject{{kPath, s.path},
                                  {kPage, s.page},
                                  {kPageLabel, s.pageLabel},
                                  {kSection, s.section},
                                  {kText, s.text},
                                  {kTerms, QJsonArray::fromStringList(s.terms)}});
    return QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact));
}

QList<MessageSource> sourcesFromJson(const QString& json) {
    QList<MessageSource> out;
    for (const QJsonValue& v : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const QJsonObject o = v.toObject();
        MessageSource s;
        s.path = o.value(kPath).toString();
        s.page = o.value(kPage).toInt();
        s.pageLabel = o.value(kPageLabel).toString();
        s.section = o.value(kSection).toString();
        s.text = o.value(kText).toString();
        for (const QJsonValue& t : o.value(kTerms).toArray()) s.terms.push_back(t.toString());
        if (!s.path.isEmpty()) out.push_back(s);
    }
    return out;
}

QStringList highlightTerms(const QString& question) {
    QStringList terms;
    QString cur;
    auto flush = [&] {
        const QString t = cur.toLower();
        if (t.size() >= 3 && !stopWords().contains(t) && !terms.contains(t)) terms.push_back(t);
        cur.clear();
    };
    for (const QChar c : question) {
        if (isWordChar(c)) cur += c;
        else flush();
    }
    flush();
    return terms;
}

QString viewerSearchWord(const MessageSource& s) {
    const QString lower = s.text.toLower();
    for (const QString& t : s.terms)
        if (lower.contains(t)) return t;
    return {};
}

QString sourceLocation(const MessageSource& s) {
    if (s.page <= 0) return {};
    const QString page = QObject::tr("p. %1").arg(s.page);
    if (s.pageLabel.isEmpty() || s.pageLabel == QString::number(s.page)) return page;
    return QObject::tr("%1 (label %2)").arg(page, s.pageLabel);
}

QVariantList sourcesForQml(const QList<MessageSource>& sources) {
    QVariantList out;
    for (int i = 0; i < sources.size(); ++i) {
        const MessageSource& s = sources[i];
        out.push_back(QVariantMap{{"number", i + 1},
                                  {"path", s.path},
                                  {"fileName", QFileInfo(s.path).fileName()},
                                  {"page", s.page},
                                  {"pageLabel", s.pageLabel},
                                  {"location", sourceLocation(s)},
                                  {"section", s.section},
                                  {"passageHtml", highlightedHtml(s.text.trimmed(), s.terms)},
                                  {"isPdf", s.path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)},
                                  {"search", viewerSearchWord(s)}});
    }
    return out;
}

QString linkCitations(const QString& markdown, int count) {
    if (count <= 0) return markdown;
    // "[3]" or "[1, 2]"; not a Markdown link's text ("[3](url)") nor a reference ("[3]: url").
    static const QRegularExpression cite(QStringLiteral(R"(\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?![(:]))"));
    QString out;
    qsizetype last = 0;
    auto it = cite.globalMatch(markdown);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QStringList numbers = m.captured(1).split(QLatin1Char(','));
        bool allValid = true;
        for (const QString& n : numbers) {
            const int v = n.trimmed().toInt();
            allValid = allValid && v >= 1 && v <= count;
        }
        if (!allValid) continue;
        out += markdown.mid(last, m.capturedStart() - last);
        QStringList links;
        for (const QString& n : numbers) {
            const int v = n.trimmed().toInt();
            links.push_back(QStringLiteral("[\\[%1\\]](facet-source:%1)").arg(v));
        }
        out += links.join(QLatin1Char(' '));
        last = m.capturedEnd();
    }
    return out + markdown.mid(last);
}

int citationNumber(const QString& link) {
    static const QLatin1String scheme("facet-source:");
    if (!link.startsWith(scheme)) return 0;
    bool ok = false;
    const int n = link.mid(scheme.size()).toInt(&ok);
    return ok && n > 0 ? n : 0;
}
