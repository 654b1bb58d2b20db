// CPU twin of shaders/attention.comp: one query head against the keys and
// values of positions first..last (spec §2.4: scale 1.0, fp32 softmax, no
// softcap). `key(j)` and `value(j)` return the head's row for position j.
#pragma once

#include <functional>

namespace facet::cpu {

using RowFn = std::function<const float*(int pos)>;

void attendHead(const float* q, int headDim, int first, int last, const RowFn& key, const RowFn& value, float* out);

}  // namespace facet::cpu
