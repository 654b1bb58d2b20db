#include "document_retrieval.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <utility>

#include "answer_passages.h"
#include "doc_embedder.h"
#include "doc_embedder_cache.h"
#include "doc_index.h"
#include "doc_search.h"
#include "rank_fusion.h"

using namespace facet::docs;

namespace {

// The embedder `index` was built with, or null with the reason keyword
// search stands in (a model that moved, another model at its path).
const DocEmbedder* indexEmbedder(DocIndex& index, DocEmbedderCache* cache, QString* why) {
    const QString modelPath = index.meta(QStringLiteral("embed_model_path"));
    if (!cache || modelPath.isEmpty()) return nullptr;  // keyword-only library: nothing to say
    if (!QFileInfo(modelPath).isFile()) {
        *why = QStringLiteral("its embedding model %1 is missing; searched by keyword only").arg(modelPath);
        return nullptr;
    }
    auto e = cache->get(modelPath);
    if (!e.ok()) {
        *why = QStringLiteral("its embedding model %1 did not open (%2); searched by keyword only")
                   .arg(modelPath, QString::fromStdString(e.message()));
        return nullptr;
    }
    if (e.value()->modelId() != index.meta(QStringLiteral("embed_model_id"))) {
        *why = QStringLiteral("%1 is not the embedding model it was indexed with; searched by keyword only").arg(modelPath);
        return nullptr;
    }
    return e.value();
}

// One library's hits, best first, or why there are none. `note` says why
// a library with embeddings was searched by keyword only.
facet::Result<std::vector<SearchHit>> searchLibrary(const QString& path, const QString& question, int k,
                                                    DocEmbedderCache* embedders, QString* note) {
    // DocIndex::open creates a missing file: a library that went away must not come back empty.
    if (!QFileInfo(path).isFile()) return facet::makeError("the index file is missing");
    auto index = DocIndex::open(path);
    if (!index.ok()) return index.error();
    const DocEmbedder* embedder = indexEmbedder(*index.value(), embedders, note);
    auto hits = searchDocuments(*index.value(), question, k, SearchMode::Hybrid, embedder);
    if (hits.ok() || !embedder) return hits;
    *note = QStringLiteral("the semantic search failed (%1); searched by keyword only").arg(QString::fromStdString(hits.message()));
    return searchDocuments(*index.value(), question, k, SearchMode::Hybrid, nullptr);
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
                                                     const PromptTokenCounter& countTokens, const RetrievalOptions& options) {
    DocumentRetrieval out;
    const bool rerank = bool(options.rerank);
    // A rerank picks from more candidates than it keeps.
    const int perLibrary = rerank ? std::max(kChunksPerLibrary, kRerankCandidates) : kChunksPerLibrary;
    const int candidates = rerank ? kRerankCandidates : kChunksFused;
    std::vector<std::vector<SearchHit>> lists;
    for (const QString& path : libraries) {
        QString note;
        auto hits = searchLibrary(path, question, perLibrary, options.embedders, &note);
        const QString file = QFileInfo(path).fileName();
        if (!note.isEmpty()) out.skipped.push_back(QStringLiteral("%1: %2").arg(file, note));
        if (!hits.ok()) {
            out.skipped.push_back(QStringLiteral("%1: %2").arg(file, QString::fromStdString(hits.message())));
            continue;
        }
        lists.push_back(std::move(hits.value()));
    }
    std::vector<SearchHit> fused = lists.empty() ? std::vector<SearchHit>{} : fuseLibraries(lists);
    // The same file indexed in two libraries: its chunk counts once.
    QSet<QString> seen;
    std::vector<SearchHit> kept;
    for (SearchHit& h : fused) {
        const QString key = h.path + QLatin1Char('#') + QString::number(h.ordinal);
        if (seen.contains(key) || kept.size() >= size_t(candidates)) continue;
        seen.insert(key);
        kept.push_back(std::move(h));
    }
    if (rerank && !kept.empty()) {
        auto reranked = rerankHits(kept, question, options.rerank, kChunksFused);
        if (reranked.ok()) {
            kept = std::move(reranked.value());
            // mergeNeighbours orders passages by their best chunk's score: the rerank order.
            for (size_t i = 0; i < kept.size(); ++i) kept[i].score = double(kept.size() - i);
            out.reranked = true;
        } else {
            out.skipped.push_back(QStringLiteral("rerank: %1").arg(QString::fromStdString(reranked.message())));
        }
    }
    if (kept.size() > size_t(kChunksFused)) kept.resize(size_t(kChunksFused));
    auto prompt = buildAnswerPrompt(question, mergeNeighbours(kept), budget, countTokens);
    if (!prompt.ok()) return prompt.error();
    out.prompt = prompt->message;
    out.dropped = prompt->dropped;
    const QStringList terms = highlightTerms(question);
    for (const AnswerPassage& p : prompt->passages)
        out.sources.push_back(MessageSource{p.path, p.page, p.pageLabel, p.section, p.text, terms});
    return out;
}
