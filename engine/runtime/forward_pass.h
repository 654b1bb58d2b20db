// ForwardPass: what a backend (CPU reference, Vulkan) offers the generator.
// A backend keeps its own KV cache; positions advance with every call.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"

namespace facet {

// Rows that take the place of token embeddings at batch indexes [begin, end)
// (an image's soft tokens, gemma4-vision.md §7): used as they are (no √H
// scale), their per-layer token input is row 0 (<pad>), and with
// `bidirectional` they attend to each other both ways (text stays causal).
// `key` names the picture (Generator: a cached image is reused only when
// its key matches). Backends check `width` against the hidden width.
struct InjectedRows {
    int begin = 0, end = 0;
    const float* rows = nullptr;  // (end − begin) rows of the text width
    bool bidirectional = false;
    uint64_t key = 0;
    int width = 0;  // floats per row: the model's hidden width
};

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
    // forward() with `injected` rows in place of some tokens' embeddings (the
    // ids there are placeholders, never looked up). A bidirectional block
    // must lie inside this call. The default refuses any rows: a backend
    // that reads no images says so.
    virtual Status forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected,
                                   bool allLogits, std::vector<float>& logits);
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
