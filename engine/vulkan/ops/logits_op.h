// Host side of shaders/logits.comp (rule 7: logits.comp <-> dispatchLogits <->
// LogitsPush; CPU twins facet::cpu::softcap and facet::cpu::topK): final-logit
// softcap in place and, per token, the k best (id, value) pairs sorted
// descending (k = 1: greedy argmax, ties to the lowest id), so a decode step
// reads back 8·k bytes per token instead of the whole vocabulary row.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of logits.comp, field for field.
struct LogitsPush {
    uint32_t nTok;
    uint32_t vocab;
    uint32_t lOffset;
    uint32_t lStride;
    uint32_t nChunks;
    uint32_t partOffset;
    uint32_t idOffset;
    uint32_t valOffset;
    float cap;
};
static_assert(sizeof(LogitsPush) == 36, "LogitsPush must match the push block of shaders/logits.comp");

inline constexpr uint32_t kLogitsMaxK = 64;
// Values per first-pass workgroup (cached in shared memory: 8 KiB of the
// guaranteed 16 KiB); 262144 values are 128 workgroups per token.
inline constexpr uint32_t kLogitsChunk = 2048;

// Scratch bytes dispatchLogits needs for the first pass's candidates.
inline uint64_t logitsScratchBytes(uint32_t nTok, uint32_t vocab, uint32_t k) {
    return uint64_t(nTok) * ((uint64_t(vocab) + kLogitsChunk - 1) / kLogitsChunk) * k * 8;
}

struct LogitsArgs {
    BufferSlice logits;   // nTok rows of vocab floats (row stride `stride`); softcapped in place
    BufferSlice scratch;  // logitsScratchBytes(nTok, vocab, k); unused when k = 0
    BufferSlice ids;      // nTok * k uint32, row-major, best first
    BufferSlice values;   // nTok * k floats (the softcapped values)
    uint32_t nTok = 0;
    uint32_t vocab = 0;   // k <= vocab
    uint32_t stride = 0;  // floats; 0 = vocab
    uint32_t k = 1;       // 0: softcap only; 1: argmax; <= kLogitsMaxK
    float cap = 0.0f;     // final_logit_softcapping (30 for Gemma 4); 0 = off
};

// Records the dispatches into `cmd`, which must be recording, with the
// barrier between the two passes (not after them). Rows that do not fit one
// binding are processed in token windows.
Status dispatchLogits(Cmd& cmd, const LogitsArgs& args);

}  // namespace facet::vk
