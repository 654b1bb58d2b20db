// The one tensor list of a Gemma 4 text model (house style rule 3): every
// tensor the description implies, with its GGUF name, expected GGML-order
// shape and whether it must be present. The weight binder, the memory
// estimate, the test-model generator and the tests all walk this list.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/model_desc.h"

namespace facet {

enum class Need {
    Required,
    Optional,  // used when present (e.g. layer_output_scale, a separate output head)
    Ignored,   // may be present and is never read (k/v weights of KV-shared layers)
};

// Which tensor a spec describes, so binders need no string matching.
enum class TensorRole {
    TokenEmbd, Output, OutputNorm, RopeFreqs, PleTokenEmbd, PleModelProj, PleProjNorm,
    AttnNorm, AttnQ, AttnK, AttnV, AttnOutput, AttnQNorm, AttnKNorm, PostAttnNorm,
    FfnNorm, FfnGate, FfnUp, FfnDown, PostFfwNorm, LayerOutputScale,
    RouterW, RouterScale, GateUpExps, DownExps, DownExpsScale, PreFfwNorm2, PostFfwNorm1, PostFfwNorm2,
    PleInpGate, PleProj, PlePostNorm,
    Count
};

struct TensorSpec {
    std::string name;               // GGUF name, e.g. "blk.3.attn_q.weight"
    std::vector<int64_t> ne;        // GGML order
    Need need = Need::Required;
    TensorRole role = TensorRole::Count;
    int layer = -1;                 // -1 for global tensors
    bool isNorm = false;            // 1-D vectors read as float32 (norms, scales)
};

void forEachTensor(const ModelDesc& d, const std::function<void(const TensorSpec&)>& fn);
std::vector<TensorSpec> tensorList(const ModelDesc& d);

}  // namespace facet
