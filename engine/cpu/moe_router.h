// CPU twin of shaders/moe_router.comp (spec §2.4, 26B-A4B): softmax over all
// expert logits, the top k (ties to the lower id), renormalised over those k,
// then multiplied by each chosen expert's scale.
#pragma once

namespace facet::cpu {

void moeRoute(const float* logits, int nExperts, int k, const float* expertScale, int* ids, float* weights);

}  // namespace facet::cpu
