// Opening what a model needs to run: its tokenizer and a forward backend by
// name ("vulkan", "cpu", "" = Vulkan when a device exists). The CLI, the
// app's engine thread and the benchmark share these.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "model/model.h"
#include "runtime/forward_pass.h"
#include "tokenizer/tokenizer.h"

namespace facet {

// The GGUF's own vocabulary, or an HF folder's tokenizer.json.
Result<std::unique_ptr<Tokenizer>> tokenizerForModel(const Model& m);

struct BackendChoice {
    std::string backend;  // "vulkan", "cpu", "" = Vulkan when a device exists
    std::string device;   // Vulkan device index or name substring; "" = the best
    int maxContext = 4096;
    // Tokens the backend must run in one batch (the largest bidirectional
    // image block: 26B-A4B and 31B with image input); 0 = its default.
    int minBatch = 0;
    std::function<void(uint64_t done, uint64_t total)> progress;  // weight upload (Vulkan)
    std::function<void()> tuning;  // the kernel tuner starts measuring (Vulkan, first load on a GPU)
};

Result<std::unique_ptr<ForwardPass>> makeBackend(const Model& m, const BackendChoice& choice);

}  // namespace facet
