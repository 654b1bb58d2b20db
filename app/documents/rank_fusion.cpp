#include "rank_fusion.h"

#include <algorithm>
#include <map>

namespace facet::docs {

std::vector<std::pair<qint64, double>> reciprocalRankFusion(const std::vector<std::vector<qint64>>& lists, int k) {
    std::map<qint64, double> fused;
    for (const auto& list : lists)
        for (size_t r = 0; r < list.size(); ++r) fused[list[r]] += 1.0 / double(k + int(r) + 1);
    std::vector<std::pair<qint64, double>> out(fused.begin(), fused.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

}  // namespace facet::docs
