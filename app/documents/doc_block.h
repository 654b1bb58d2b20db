// The unit every extractor produces and the chunker consumes: a heading or a
// paragraph with where it came from, so citations are format-independent
// (design survey documents-qa.md §6.1).
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace facet::docs {

enum class BlockKind { Heading, Paragraph };

struct DocBlock {
    QString text;
    BlockKind kind = BlockKind::Paragraph;
    QStringList headingPath;  // enclosing headings, outermost first (a heading includes itself)
    int page = 0;             // 1-based physical page (PDF); 0 = the format has no pages
    QString pageLabel;        // printed label of that page (PDF), may be empty
};

using DocBlocks = std::vector<DocBlock>;

// Keeps the heading path while a document is read top to bottom:
// a level-2 heading replaces the previous level 2 and drops deeper ones.
class HeadingTracker {
public:
    void enter(int level, const QString& text) {
        level = qBound(1, level, 9);
        while (!stack_.empty() && stack_.back().first >= level) stack_.pop_back();
        stack_.push_back({level, text.simplified()});
    }
    void reset() { stack_.clear(); }
    QStringList path() const {
        QStringList p;
        for (const auto& e : stack_) p << e.second;
        return p;
    }

private:
    std::vector<std::pair<int, QString>> stack_;
};

// Appends a block unless its text is blank.
inline void addBlock(DocBlocks& out, const QString& text, BlockKind kind, const QStringList& path, int page = 0,
                     const QString& label = {}) {
    const QString t = text.trimmed();
    if (t.isEmpty()) return;
    out.push_back(DocBlock{t, kind, path, page, label});
}

}  // namespace facet::docs
