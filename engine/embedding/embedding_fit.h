// What an EmbeddingGemma model needs in memory, from its description alone,
// so the catalog can show a fit before the download (as fit_estimate.h does
// for Gemma 4): the weights at the file's type, the f32 activations of one
// batch of packed tokens, and no KV cache (each batch is encoded once).
#pragma once

#include <string>

#include "embedding/embedding_desc.h"
#include "model/ggml_type.h"
#include "runtime/fit_estimate.h"

namespace facet {

// The published EmbeddingGemma builds by catalog variant name
// ("embeddinggemma-300m"); false for a name it does not know.
bool embeddingVariantByName(const std::string& name, EmbeddingDesc& out);

// `batchTokens`: tokens embedded together (EmbeddingVulkan's chunk, 4096).
MemoryNeeds estimateEmbeddingMemory(const EmbeddingDesc& d, GgmlType weightType, int batchTokens = 4096);

}  // namespace facet
