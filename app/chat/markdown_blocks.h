// Splits a message's Markdown into prose and fenced code blocks, so the view
// can show each code block with its language label, a copy button and
// syntax highlighting (CodeHighlighter) while prose stays Markdown. An
// unclosed fence (a reply still streaming) is a code block up to the end.
#pragma once

#include <QList>
#include <QString>
#include <QVariantList>

struct MarkdownBlock {
    bool code = false;
    QString language;  // code blocks: the fence's info word, lower case ("" when none)
    QString text;      // prose: Markdown; code: the code without fences
};

QList<MarkdownBlock> splitMarkdownBlocks(const QString& markdown);
// The same as QML-friendly maps {code, language, text}.
QVariantList markdownBlocksForQml(const QString& markdown);
