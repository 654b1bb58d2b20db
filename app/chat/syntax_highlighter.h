// Syntax colors for fenced code in messages: keywords, strings, comments and
// numbers for C/C++, Python, JavaScript/TypeScript, Rust, Go, Java, shell,
// JSON and SQL (the info word of the fence picks the language; aliases such
// as "py", "ts", "rs", "bash" work). A small scanner, not a parser: it only
// has to make code easy to read.
#pragma once

#include <QPointer>
#include <QQuickTextDocument>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QtQml/qqmlregistration.h>

struct CodeLanguage;

class SyntaxHighlighter : public QSyntaxHighlighter {
public:
    SyntaxHighlighter(QTextDocument* doc, const QString& language, bool dark);
    // The language `name` resolves to ("" when unknown: plain text).
    static QString canonicalLanguage(const QString& name);

protected:
    void highlightBlock(const QString& text) override;

private:
    const CodeLanguage* lang_;
    QTextCharFormat keyword_, string_, comment_, number_;
};

// QML side: attach to a TextEdit's textDocument.
//   CodeHighlighter { document: code.textDocument; language: "python"; dark: theme.dark }
class CodeHighlighter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickTextDocument* document READ document WRITE setDocument NOTIFY changed)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY changed)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY changed)
public:
    using QObject::QObject;
    QQuickTextDocument* document() const { return document_; }
    QString language() const { return language_; }
    bool dark() const { return dark_; }
    void setDocument(QQuickTextDocument* d);
    void setLanguage(const QString& l);
    void setDark(bool d);

signals:
    void changed();

private:
    void rebuild();
    QQuickTextDocument* document_ = nullptr;
    QString language_;
    bool dark_ = false;
    QPointer<SyntaxHighlighter> highlighter_;  // owned by the document (which may go first)
};
