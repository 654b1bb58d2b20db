// Search over one index: keyword (FTS5 BM25), semantic (int8 brute-force
// scan of the query's embedding) or hybrid (both fused by reciprocal rank,
// k = 60). Keyword and hybrid work without an embedding model.
#pragma once

#include <QString>

#include <vector>

#include "core/result.h"
#include "doc_index.h"

namespace facet::docs {

class DocEmbedder;

enum class SearchMode { Keyword, Semantic, Hybrid };

// `embedder` may be null: hybrid is then keyword search, semantic an error.
Result<std::vector<SearchHit>> searchDocuments(DocIndex& index, const QString& query, int k, SearchMode mode,
                                               const DocEmbedder* embedder);

// Semantic or hybrid search with the query's embedding already computed (by
// `modelId`): what searchDocuments does after embedding, and what benchmarks
// call with a synthetic vector. Keyword mode ignores the vector.
Result<std::vector<SearchHit>> searchWithVector(DocIndex& index, const QString& query, const std::vector<float>& queryVector,
                                                const QString& modelId, int k, SearchMode mode);

}  // namespace facet::docs
