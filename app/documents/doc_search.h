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

}  // namespace facet::docs
