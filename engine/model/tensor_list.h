// The one tensor list of a Gemma 4 text model (house style rule 3): every
// tensor the description implies, with its GGUF name, expected GGML-order
// shape and whether it must be present. The weight binder, the memory
// estimate, the test-model generator and the tests all walk this list.
#pragma once

#include <array>
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
    RouterW, RouterScale, GateUpExps, GateExps, UpExps, DownExps, DownExpsScale,
    PreFfwNorm2, PostFfwNorm1, PostFfwNorm2,
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

// How a file stores the experts' gate and up rows (spec §3.2): one tensor
// blk.N.ffn_gate_up_exps {H, 2F, E} (each expert's F gate rows, then its F up
// rows), or, as some llama.cpp conversions write, ffn_gate_exps {H, F, E} and
// ffn_up_exps {H, F, E} (the same rows, cut per expert).
enum class ExpertLayout { Fused, Split };

void forEachTensor(const ModelDesc& d, const std::function<void(const TensorSpec&)>& fn,
                   ExpertLayout experts = ExpertLayout::Fused);
std::vector<TensorSpec> tensorList(const ModelDesc& d, ExpertLayout experts = ExpertLayout::Fused);

// The split pair {gate, up} that stands for a fused ffn_gate_up_exps spec.
std::array<TensorSpec, 2> splitGateUp(const TensorSpec& fused);

}  // namespace facet
