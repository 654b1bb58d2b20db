// Builds the ModelDesc of a Hugging Face Gemma 4 checkpoint from config.json
// (Gemma4Config with a nested "text_config", or a bare Gemma4TextConfig).
// Field names and defaults follow transformers' configuration_gemma4.py; how
// they become per-layer values is spec §1-§2 (gemma4.md). The full-layer RoPE
// factors, which a GGUF stores as the rope_freqs tensor, are derived here from
// rope_parameters.full_attention.partial_rotary_factor.
#pragma once

#include <string>

#include "core/result.h"
#include "model/model_desc.h"

namespace facet {

// The result is checked with validateDesc(); name = the folder's name.
Result<ModelDesc> descFromHfConfig(const std::string& configJsonPath);

// Same, from JSON text already in memory; `path` is used for messages and the name.
Result<ModelDesc> descFromHfConfigText(const std::string& jsonText, const std::string& path);

}  // namespace facet
