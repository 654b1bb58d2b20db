// ModelWeights: every tensor of the description bound to its bytes, shapes
// checked against the tensor list. Pointers refer to views owned by the
// opened file (GGUF or safetensors), which must outlive this struct.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/model_desc.h"
#include "model/tensor_list.h"
#include "model/tensor_view.h"

namespace facet {

struct LayerWeights {
    // Indexed by TensorRole; nullptr when absent (Optional/Ignored tensors).
    std::array<const TensorView*, static_cast<size_t>(TensorRole::Count)> t{};
    const TensorView* operator[](TensorRole r) const { return t[static_cast<size_t>(r)]; }
};

struct ModelWeights {
    LayerWeights global;               // the roles of global tensors
    std::vector<LayerWeights> layers;  // per layer
    // Fused: each MoE layer binds GateUpExps; Split: GateExps and UpExps.
    ExpertLayout experts = ExpertLayout::Fused;
    const TensorView* head() const;    // output.weight, or token_embd when tied
};

// Looks a tensor up by GGUF name; nullptr when the file has none.
using TensorLookup = std::function<const TensorView*(const std::string& ggufName)>;

// Binds and validates: each Required tensor present, each present tensor of
// the expected shape and a readable type. The experts' gate/up may be fused
// or split (tensor_list.h); the first MoE layer's tensors say which, and a
// file holding both forms is refused. Errors name the file and tensor:
//   "model.gguf: tensor 'blk.3.attn_q.weight' @0x1a2b000: shape [64, 128], expected [64, 256]"
Result<ModelWeights> bindWeights(const ModelDesc& d, const TensorLookup& lookup, const std::string& fileName);

}  // namespace facet
