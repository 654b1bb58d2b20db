// Writes random-weight Gemma 4 models of any description, as a GGUF file or a
// Hugging Face folder (config.json, tokenizer.json, safetensors). Tests use
// tiny ones; facet-bench uses real shapes to measure speed without downloads.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "model/ggml_type.h"
#include "model/gguf_writer.h"
#include "model/model_desc.h"
#include "tokenizer/vocab.h"

namespace facet {

struct MakeOptions {
    GgmlType weightType = GgmlType::F32;  // 2-D/3-D weights (GGUF); F32/F16/BF16 for HF
    GgmlType normType = GgmlType::F32;    // 1-D tensors (norms, scales)
    uint64_t seed = 1;
    // Real vocabulary from a tokenizer.json (its size must equal desc.vocab);
    // empty: a synthetic BPE vocabulary of desc.vocab pieces.
    std::string tokenizerJson;
    // GGUF only: the experts' gate and up as ffn_gate_exps + ffn_up_exps (as
    // some llama.cpp conversions write them), holding the values the fused
    // ffn_gate_up_exps would hold, cut per expert.
    bool splitExperts = false;
};

// Quantized types need rows that are whole blocks; a tensor whose row length
// is not a multiple of the type's block falls back to Q8_0 (32-blocks) or F32,
// as real quantizers do for Gemma's 704/2112-wide rows (spec §3.2 note).
GgmlType typeForRow(GgmlType wanted, int64_t rowLength);

// Every gemma4.* and tokenizer.ggml.* key for `d`, no tensors yet.
Result<GgufWriter> ggufMetadataFor(const ModelDesc& d, const Vocab& vocab);

Status writeRandomGguf(const ModelDesc& d, const MakeOptions& opt, const std::string& path);
Status writeRandomHfFolder(const ModelDesc& d, const MakeOptions& opt, const std::string& dir);

}  // namespace facet
