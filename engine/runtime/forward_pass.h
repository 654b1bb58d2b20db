// ForwardPass: what a backend (CPU reference, Vulkan) offers the generator.
// A backend keeps its own KV cache; positions advance with every call.
#pragma once

#include <vector>

#include "core/result.h"

namespace facet {

class ForwardPass {
public:
    virtual ~ForwardPass() = default;
    // Softcapped logits for every token of the batch (allLogits) or the last.
    virtual Status forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) = 0;
    // The k best (id, logit) of the last token, best first (ties to the lower
    // id). Backends that rank on the device override this to skip reading
    // the whole vocabulary back; this default ranks forward()'s row.
    virtual Status forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                               std::vector<float>& values);
    virtual int nPast() const = 0;
    virtual int maxContext() const = 0;
    // Forget positions >= pos; false when the cache cannot (caller re-prefills).
    virtual bool rewind(int pos) = 0;
    virtual void reset() = 0;
    virtual const char* backendName() const = 0;
    // True once the backend can never run again (a GPU device lost): its
    // owner drops it and loads the model anew.
    virtual bool lost() const { return false; }
};

}  // namespace facet
