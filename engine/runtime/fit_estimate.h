// Will a model run well on this machine? Memory a model needs, computed from
// its description alone (so the catalog can answer before a download): the
// weights the GPU holds, the PLE table that stays in host memory, the f16 KV
// cache at a context length and the activations; then a verdict against the
// machine's RAM and the chosen GPU's memory.
#pragma once

#include <cstdint>
#include <string>

#include "model/ggml_type.h"
#include "model/model_desc.h"

namespace facet {

struct MemoryNeeds {
    uint64_t deviceWeights = 0;  // every tensor but the PLE table, at the file's types
    uint64_t hostWeights = 0;    // the PLE table (a per-token lookup kept in host memory)
    uint64_t kvCache = 0;        // f16 K and V at the context (sliding layers: their window)
    uint64_t activations = 0;    // scratch for a 512-token prefill chunk and the logits
    uint64_t onDevice() const { return deviceWeights + kvCache + activations; }
    uint64_t total() const { return onDevice() + hostWeights; }
};

// `weightType` is what the matrices are stored as (Q4_0, Q8_0, BF16...); a
// matrix whose rows are not whole blocks of it counts as Q8_0 (or F32), as
// quantizers store them; norms are F32.
MemoryNeeds estimateMemory(const ModelDesc& d, GgmlType weightType, int context);

struct MachineMemory {
    uint64_t ramBytes = 0;   // physical memory
    uint64_t vramBytes = 0;  // the GPU's device-local memory; 0 = no GPU (or a CPU "device")
    bool unified = false;    // an integrated GPU sharing the RAM
};

enum class Fit { Fits, MayBeSlow, WontFit };
const char* fitName(Fit f);  // "fits", "may be slow", "won't fit"

struct FitEstimate {
    Fit fit = Fit::WontFit;
    std::string reason;  // one sentence with the numbers
};

// Fits: everything the GPU holds fits in 90% of its memory (unified: in 70%
// of the RAM, shared with the system) and the host part in 80% of the RAM.
// May be slow: it only fits when run on the CPU (80% of the RAM), or there
// is no GPU. Won't fit: not even that.
FitEstimate estimateFit(const MemoryNeeds& needs, const MachineMemory& machine);

}  // namespace facet
