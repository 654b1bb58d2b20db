#include "document_retrieval.h"

#include <QFileInfo>
#include <QSet>

#include <utility>

#include "answer_passages.h"
#include "doc_index.h"
#include "doc_search.h"
#include "rank_fusion.h"

using namespace facet::docs;

namespace {

// One library's hits, best first, or why there are none.
facet::Result<std::vector<SearchHit>> searchLibrary(const QString& path, const QString& question) {
    // DocIndex::open creates a missing file: a library that went away must not come back empty.
    if (!QFileInfo(path).isFile()) return facet::makeError("the index file is missing");
    auto index = DocIndex::open(path);
    if (!index.ok()) return index.error();
    return searchDocuments(*index.value(), question, kChunksPerLibrary, SearchMode::Hybrid, nullptr);
}

// Libraries' lists fused by reciprocal rank, not by score: BM25 scores
// depend on each index's own term statistics (and hybrid scores are RRF
// values already), so scores from two indexes do not compare; ranks do.
// With one library the order is its own.
std::vector<SearchHit> fuseLibraries(const std::vector<std::vector<SearchHit>>& perLibrary) {
    if (perLibrary.size() == 1) return perLibrary.front();
    // Chunk ids repeat across indexes: fuse (library, rank) keys instead.
    std::vector<std::vector<qint64>> lists;
    for (size_t lib = 0; lib < perLibrary.size(); ++lib) {
        std::vector<qint64> keys;
        for (size_t i = 0; i < perLibrary[lib].size(); ++i) keys.push_back(qint64(lib) << 32 | qint64(i));
        lists.push_back(std::move(keys));
    }
    std::vector<SearchHit> out;
    for (const auto& [key, score] : reciprocalRankFusion(lists)) {
        SearchHit h = perLibrary[size_t(key >> 32)][size_t(key & 0xffffffff)];
        h.score = score;  // mergeNeighbours ranks passages by their best chunk's score
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace

facet::Result<DocumentRetrieval> retrieveForQuestion(const QStringList& libraries, const QString& question, int budget,
                                                     const PromptTokenCounter& countTokens) {
    DocumentRetrieval out;
    std::vector<std::vector<SearchHit>> perLibrary;
    for (const QString& path : libraries) {
        auto hits = searchLibrary(path, question);
        if (!hits.ok()) {
            out.skipped.push_back(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), QString::fromStdString(hits.message())));
            continue;
        }
        perLibrary.push_back(std::move(hits.value()));
    }
    std::vector<SearchHit> fused = perLibrary.empty() ? std::vector<SearchHit>{} : fuseLibraries(perLibrary);
    // The same file indexed in two libraries: its chunk counts once.
    QSet<QString> seen;
    std::vector<SearchHit> kept;
    for (SearchHit& h : fused) {
        const QString key = h.path + QLatin1Char('#') + QString::number(h.ordinal);
        if (seen.contains(key) || kept.size() >= size_t(kChunksFused)) continue;
        seen.insert(key);
        kept.push_back(std::move(h));
    }
    auto prompt = buildAnswerPrompt(question, mergeNeighbours(kept), budget, countTokens);
    if (!prompt.ok()) return prompt.error();
    out.prompt = prompt->message;
    out.dropped = prompt->dropped;
    const QStringList terms = highlightTerms(question);
    for (const AnswerPassage& p : prompt->passages)
        out.sources.push_back(MessageSource{p.path, p.page, p.pageLabel, p.section, p.text, terms});
    return out;
}
