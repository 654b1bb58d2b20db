#include "chunker.h"

#include <QRegularExpression>

namespace facet::docs {

namespace {

// A piece small enough to place whole: a sentence or line of a block, or a
// word run of an endless line. `joiner` is what separated it from the piece
// before it in the source ("\n\n" between blocks).
struct Unit {
    QString text;
    int tokens = 0;
    bool heading = false;
    int page = 0;
    QString pageLabel;
    QString section;
    QString joiner;
};

// Sentences and lines, each with the separator that preceded it.
std::vector<std::pair<QString, QString>> splitSentences(const QString& text) {
    static const QRegularExpression boundary(QStringLiteral("(?<=[.!?;:])\\s+|\\s*\\n\\s*"));
    std::vector<std::pair<QString, QString>> out;
    qsizetype pos = 0;
    QString sep;
    for (auto it = boundary.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        if (m.capturedStart() > pos) out.push_back({text.mid(pos, m.capturedStart() - pos), sep});
        sep = m.captured().contains(QLatin1Char('\n')) ? QStringLiteral("\n") : QStringLiteral(" ");
        pos = m.capturedEnd();
    }
    if (pos < text.size()) out.push_back({text.mid(pos), sep});
    return out;
}

// Word runs of at most `budget` tokens; a single huge "word" is cut by characters.
QStringList splitWords(const QString& text, int budget, const TokenCounter& count) {
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QStringList out;
    QString cur;
    for (const QString& w : text.split(space, Qt::SkipEmptyParts)) {
        QString word = w;
        while (count(word) > budget) {  // cut the word itself
            const int n = std::max(1, int(word.size() * budget / std::max(1, count(word))));
            if (!cur.isEmpty()) out << std::exchange(cur, QString());
            out << word.left(n);
            word = word.mid(n);
        }
        const QString next = cur.isEmpty() ? word : cur + QLatin1Char(' ') + word;
        if (!cur.isEmpty() && count(next) > budget) {
            out << cur;
            cur = word;
        } else {
            cur = next;
        }
    }
    if (!cur.isEmpty()) out << cur;
    return out;
}

std::vector<Unit> unitsOf(const DocBlocks& blocks, int target, const TokenCounter& count) {
    std::vector<Unit> units;
    for (const DocBlock& b : blocks) {
        const QString section = b.headingPath.join(QStringLiteral(" > "));
        QString joiner = QStringLiteral("\n\n");
        auto add = [&](const QString& t, const QString& sep, int tokens) {
            units.push_back(Unit{t, tokens, b.kind == BlockKind::Heading, b.page, b.pageLabel, section,
                                 joiner.isEmpty() ? sep : joiner});
            joiner.clear();
        };
        for (const auto& [s, sep] : splitSentences(b.text)) {
            const int st = count(s);
            if (st <= target) add(s, sep, st);
            else
                for (const QString& piece : splitWords(s, target, count)) add(piece, QStringLiteral(" "), count(piece));
        }
    }
    return units;
}

}  // namespace

int estimateTokens(const QString& text) { return int((text.size() + 3) / 4); }

std::vector<Chunk> chunkBlocks(const DocBlocks& blocks, const ChunkOptions& options, const TokenCounter& count) {
    const int target = std::max(8, options.targetTokens);
    const int overlap = std::clamp(options.overlapTokens, 0, target / 2);
    const std::vector<Unit> units = unitsOf(blocks, target, count);
    std::vector<Chunk> chunks;
    std::vector<const Unit*> cur;  // units of the chunk being built
    int curTokens = 0;
    bool curHasNew = false;        // holds something beyond the overlap
    auto emitChunk = [&] {
        if (!curHasNew) return;
        Chunk c;
        for (const Unit* u : cur) c.text += (c.text.isEmpty() ? QString() : u->joiner) + u->text;
        c.tokens = curTokens;
        c.page = cur.back()->page;
        c.pageLabel = cur.back()->pageLabel;
        c.section = cur.back()->section;
        chunks.push_back(std::move(c));
    };
    for (const Unit& u : units) {
        const bool newPage = !cur.empty() && u.page != cur.back()->page;
        const bool newSection = !cur.empty() && u.heading && !cur.back()->heading;
        const bool full = !cur.empty() && curTokens + u.tokens > target;
        if (newPage || newSection || full) {
            emitChunk();
            std::vector<const Unit*> carried;
            int carriedTokens = 0;
            // Overlap only where the text runs on (a size split); a new page
            // or section starts clean so citations stay exact.
            if (full && !newPage && !newSection) {
                for (auto it = cur.rbegin(); it != cur.rend(); ++it) {
                    if (carriedTokens + (*it)->tokens > overlap || carriedTokens + (*it)->tokens + u.tokens > target) break;
                    carried.insert(carried.begin(), *it);
                    carriedTokens += (*it)->tokens;
                }
            }
            cur = std::move(carried);
            curTokens = carriedTokens;
            curHasNew = false;
        }
        cur.push_back(&u);
        curTokens += u.tokens;
        curHasNew = true;
    }
    emitChunk();
    return chunks;
}

}  // namespace facet::docs
