// Builds the ModelDesc of a `general.architecture = "gemma4"` GGUF from its
// metadata keys (spec §3.2). The only tensor data read is `rope_freqs` (the
// full-layer RoPE factors) and the presence of `attn_v`, which is how GGUF
// encodes k=v (spec: "attn_v optional; if absent, V = K").
#pragma once

#include "core/result.h"
#include "model/gguf_file.h"
#include "model/model_desc.h"

namespace facet {

class GgufSplit;

Result<ModelDesc> descFromGguf(const GgufFile& f);
// A split model: metadata from part 1, tensors from whichever part holds them.
Result<ModelDesc> descFromGguf(const GgufSplit& parts);


}  // namespace facet
