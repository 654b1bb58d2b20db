// Human-readable facts about an opened model (facet-cli info, the app's model
// panel): one list so both show the same thing.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model.h"

namespace facet {

struct ModelFact {
    std::string key;    // "variant", "layers", ...
    std::string value;
};

// `ctx` is the context length used for the KV-cache estimate.
std::vector<ModelFact> summarizeModel(const Model& m, int ctx);

// One line per layer: "14 full    head 512  q  8 kv  1  ffn   6144  kv from 13".
std::vector<std::string> describeLayers(const ModelDesc& d);

std::string formatBytes(uint64_t bytes);  // "1.234 GiB (1324997410 bytes)"

}  // namespace facet
