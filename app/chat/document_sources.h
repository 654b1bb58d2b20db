// The numbered sources a document answer cites: what is stored with the
// model message (chats.sqlite, messages.sources as a JSON array, so they
// survive a restart) and what the view shows of them (documents-qa.md §6.4:
// file, page and page label, section path, the passage with the question's
// words highlighted). Source n is element n-1; the answer cites it as [n].
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

struct MessageSource {
    QString path;       // absolute path of the document
    int page = 0;       // 1-based physical page; 0 = the format has no pages
    QString pageLabel;  // the PDF's printed label ("xii"), "" when none
    QString section;    // heading path ("Intro > Setup"), "" when none
    QString text;       // the passage the model saw
    QStringList terms;  // the question's words, for highlighting

    bool operator==(const MessageSource&) const = default;
};

// JSON keys are stored in the database: never rename them.
QString sourcesToJson(const QList<MessageSource>& sources);
QList<MessageSource> sourcesFromJson(const QString& json);  // [] on anything malformed

// The question's words worth highlighting: letters and digits as FTS5 sees
// them (fts_query.cpp), lower case, at least three characters, common
// English function words left out, each once.
QStringList highlightTerms(const QString& question);

// Maps for QML: number, path, fileName, page, pageLabel, location
// ("p. 12 (label xii)"), section, passageHtml (escaped, terms in bold on a
// highlight background), isPdf, search (the first term found in the passage,
// for the PDF viewer's highlight).
QVariantList sourcesForQml(const QList<MessageSource>& sources);

// The first of the source's terms its passage contains ("" when none): the
// word the PDF viewer highlights on the page.
QString viewerSearchWord(const MessageSource& source);

// "p. 12 (label xii)", "p. 12" when the label is the number, "" without a page.
QString sourceLocation(const MessageSource& source);

// Markdown with each citation "[n]" (or "[n, m]") of a source 1..count turned
// into links "facet-source:n" the view opens; other brackets stay as written.
QString linkCitations(const QString& markdown, int count);

// The source number a citation link names, 0 when `link` is no citation.
int citationNumber(const QString& link);
