// Reciprocal-rank fusion (Cormack et al., SIGIR 2009): each list adds
// 1 / (k + rank) for the items it ranks, rank 1-based; k = 60 as in the paper.
// Only ranks matter, so BM25 and cosine scores need no calibration.
#pragma once

#include <QtGlobal>

#include <utility>
#include <vector>

namespace facet::docs {

// Lists of ids, best first; returns (id, fused score), best first (ties by id).
std::vector<std::pair<qint64, double>> reciprocalRankFusion(const std::vector<std::vector<qint64>>& lists, int k = 60);

}  // namespace facet::docs
