#include "doc_search.h"

#include <algorithm>

#include "doc_embedder.h"
#include "rank_fusion.h"

namespace facet::docs {

namespace {
constexpr int kFusionDepth = 50;  // candidates taken from each list before fusing
}

Result<std::vector<SearchHit>> searchDocuments(DocIndex& index, const QString& query, int k, SearchMode mode,
                                               const DocEmbedder* embedder) {
    if (mode == SearchMode::Keyword || (mode == SearchMode::Hybrid && !embedder)) return index.keywordSearch(query, k);
    if (!embedder) return makeError("semantic search needs an embedding model");
    FACET_ASSIGN(const std::vector<float> q, embedder->embedQuery(query));
    return searchWithVector(index, query, q, embedder->modelId(), k, mode);
}

Result<std::vector<SearchHit>> searchWithVector(DocIndex& index, const QString& query, const std::vector<float>& queryVector,
                                                const QString& modelId, int k, SearchMode mode) {
    if (mode == SearchMode::Keyword) return index.keywordSearch(query, k);
    if (mode == SearchMode::Semantic) {
        FACET_ASSIGN(const auto ranked, index.semanticScan(queryVector, modelId, k));
        return index.hitsFor(ranked);
    }
    const int depth = std::max(k, kFusionDepth);
    FACET_ASSIGN(const auto keyword, index.keywordSearch(query, depth));
    FACET_ASSIGN(const auto dense, index.semanticScan(queryVector, modelId, depth));
    std::vector<qint64> a, b;
    for (const SearchHit& h : keyword) a.push_back(h.chunkId);
    for (const auto& d : dense) b.push_back(d.first);
    auto fused = reciprocalRankFusion({a, b});
    if (fused.size() > size_t(k)) fused.resize(size_t(k));
    return index.hitsFor(fused);
}

}  // namespace facet::docs
