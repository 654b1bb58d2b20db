#include "answer_passages.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace facet::docs {

namespace {

// Shorter shared runs are likely chance ("e" ending one chunk and starting
// the next), not the chunker's repeated sentences.
constexpr int kMinOverlapChars = 8;

// `next` after `text`, without the run the chunker repeated at its start.
QString joinChunks(const QString& text, const QString& next) {
    for (qsizetype n = std::min(text.size(), next.size()); n >= kMinOverlapChars; --n)
        if (text.endsWith(QStringView(next).left(n))) return text + next.mid(n);
    return text + QLatin1Char('\n') + next;
}

struct Ranked {
    size_t rank;
    const SearchHit* hit;
};

}  // namespace

std::vector<AnswerPassage> mergeNeighbours(const std::vector<SearchHit>& hits) {
    // Group by document, section and page (a passage cites one page), then
    // cut each group into runs of consecutive ordinals.
    std::map<std::tuple<QString, QString, int>, std::vector<Ranked>> groups;
    for (size_t i = 0; i < hits.size(); ++i)
        groups[{hits[i].path, hits[i].section, hits[i].page}].push_back({i, &hits[i]});
    std::vector<std::pair<size_t, AnswerPassage>> runs;  // best rank, passage
    for (auto& [key, members] : groups) {
        std::sort(members.begin(), members.end(),
                  [](const Ranked& a, const Ranked& b) { return a.hit->ordinal < b.hit->ordinal; });
        for (const Ranked& m : members) {
            const SearchHit& h = *m.hit;
            // An unknown ordinal (-1) never merges; a repeated one is a duplicate hit.
            const bool extends = &m != &members.front() && h.ordinal >= 0 && runs.back().second.lastOrdinal >= 0 &&
                                 h.ordinal <= runs.back().second.lastOrdinal + 1;
            if (extends) {
                auto& [rank, p] = runs.back();
                if (h.ordinal == p.lastOrdinal + 1) p.text = joinChunks(p.text, h.text);
                p.lastOrdinal = std::max(p.lastOrdinal, h.ordinal);
                p.score = std::max(p.score, h.score);
                rank = std::min(rank, m.rank);
            } else {
                runs.push_back({m.rank, AnswerPassage{h.path, h.page, h.pageLabel, h.section, h.text, h.ordinal,
                                                      h.ordinal, h.score}});
            }
        }
    }
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<AnswerPassage> out;
    out.reserve(runs.size());
    for (auto& r : runs) out.push_back(std::move(r.second));
    return out;
}

QString sourceLine(int number, const AnswerPassage& passage) {
    QString line = QStringLiteral("[%1] %2").arg(number).arg(passage.path);
    if (passage.page > 0) {
        line += QStringLiteral(", page %1").arg(passage.page);
        if (!passage.pageLabel.isEmpty() && passage.pageLabel != QString::number(passage.page))
            line += QStringLiteral(" (label %1)").arg(passage.pageLabel);
    }
    if (!passage.section.isEmpty()) line += QStringLiteral(", section \"%1\"").arg(passage.section);
    return line;
}

}  // namespace facet::docs
