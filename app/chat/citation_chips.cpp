#include "citation_chips.h"

#include <QTextBlock>

#include "document_sources.h"

CitationChipHighlighter::CitationChipHighlighter(QTextDocument* doc, const QColor& color)
    : QSyntaxHighlighter(doc), color_(color) {}

void CitationChipHighlighter::highlightBlock(const QString&) {
    QTextCharFormat chip;
    chip.setForeground(color_);
    QColor wash = color_;
    wash.setAlphaF(0.16f);
    chip.setBackground(wash);
    chip.setFontWeight(QFont::Bold);
    chip.setFontUnderline(false);
    const QTextBlock block = currentBlock();
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment f = it.fragment();
        if (f.isValid() && citationNumber(f.charFormat().anchorHref()) > 0)
            setFormat(f.position() - block.position(), f.length(), chip);
    }
}

void CitationChips::setDocument(QQuickTextDocument* d) {
    if (d == document_) return;
    document_ = d;
    rebuild();
    emit changed();
}

void CitationChips::setColor(const QColor& c) {
    if (c == color_) return;
    color_ = c;
    rebuild();
    emit changed();
}

void CitationChips::rebuild() {
    delete highlighter_.data();
    if (document_ && document_->textDocument() && color_.isValid())
        highlighter_ = new CitationChipHighlighter(document_->textDocument(), color_);
}
