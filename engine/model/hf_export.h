// Writing the Hugging Face side of a model: config.json from a ModelDesc,
// tokenizer.json from a Vocab, and GGUF → HF tensor names (the inverse of
// mapHfTensorName in hf_folder.h; a test checks the two agree).
#pragma once

#include <string>

#include "core/result.h"
#include "model/model_desc.h"
#include "tokenizer/vocab.h"

namespace facet {

Status writeHfConfig(const ModelDesc& d, const std::string& path);
Status writeTokenizerJson(const Vocab& v, const std::string& path);
// "blk.3.attn_q.weight" → "model.language_model.layers.3.self_attn.q_proj.weight";
// empty for tensors HF does not store (rope_freqs, a separate output head).
std::string hfNameFor(const std::string& ggufName);

}  // namespace facet
