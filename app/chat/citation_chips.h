// Citation links ("facet-source:n", document_sources.h) in a Markdown
// TextEdit drawn as chips: bold, in the theme's accent on a light wash of it.
// Qt 6.4's Markdown importer colours every link with the application
// palette's link colour, dark blue, which does not read on the dark theme;
// a QSyntaxHighlighter's formats are drawn over the document's own.
#pragma once

#include <QColor>
#include <QPointer>
#include <QQuickTextDocument>
#include <QSyntaxHighlighter>
#include <QtQml/qqmlregistration.h>

class CitationChipHighlighter : public QSyntaxHighlighter {
public:
    CitationChipHighlighter(QTextDocument* doc, const QColor& color);

protected:
    void highlightBlock(const QString& text) override;

private:
    QColor color_;
};

// QML side: CitationChips { document: prose.textDocument; color: theme.accent }
class CitationChips : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickTextDocument* document READ document WRITE setDocument NOTIFY changed)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY changed)
public:
    using QObject::QObject;
    QQuickTextDocument* document() const { return document_; }
    QColor color() const { return color_; }
    void setDocument(QQuickTextDocument* d);
    void setColor(const QColor& c);

signals:
    void changed();

private:
    void rebuild();
    QQuickTextDocument* document_ = nullptr;
    QColor color_;
    QPointer<CitationChipHighlighter> highlighter_;  // owned by the document (which may go first)
};
