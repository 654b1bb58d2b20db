// Host side of shaders/moe_route.comp: a prefill chunk's MoE slots grouped by
// expert on the GPU (the route table the batched expert products read,
// moe_mat_vec_op.h), and the per-token sum of the down products' slot rows.
// CPU twin of both: the expert loop of facet::cpu::CpuForward::moe.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

struct MoeRoutePush {
    uint32_t nSlots;
    uint32_t nExperts;
    uint32_t tile;
    uint32_t maxTiles;
    uint32_t idsOffset;
    uint32_t tableOffset;
};
static_assert(sizeof(MoeRoutePush) == 24, "MoeRoutePush must match the push block of shaders/moe_route.comp");

struct MoeSlotSumPush {
    uint32_t nTok;
    uint32_t k;
    uint32_t rows;
    uint32_t ysOffset;
    uint32_t ysStride;
    uint32_t yOffset;
    uint32_t yStride;
    uint32_t accumulate;
};
static_assert(sizeof(MoeSlotSumPush) == 32, "MoeSlotSumPush must match the push block of moe_route.comp (SLOT_SUM)");

// Slots per tile of the route table: the batched products' NTOK (their
// accumulators per row; 8 as the decode GEMV's most vectors).
inline constexpr uint32_t kMoeTileSlots = 8;

// Tiles a table of `nSlots` slots over `experts` experts may need, and its
// size in uint32s (moe_route.comp's layout).
inline uint32_t moeMaxTiles(uint32_t nSlots, uint32_t experts) {
    return (nSlots + kMoeTileSlots - 1) / kMoeTileSlots + experts;
}
inline uint64_t moeTableWords(uint32_t nSlots, uint32_t experts) {
    return 2 + 4ull * moeMaxTiles(nSlots, experts) + nSlots;
}

struct MoeRouteArgs {
    BufferSlice ids;    // [nSlots] uint32 expert ids (moe_router's output)
    BufferSlice table;  // moeTableWords(nSlots, nExperts) uint32, written
    uint32_t nSlots = 0, nExperts = 0;
};
Status dispatchMoeRoute(Cmd& cmd, const MoeRouteArgs& args);

struct MoeSlotSumArgs {
    BufferSlice ys;  // [nTok * k][rows] floats (slot rows)
    BufferSlice y;   // [nTok][rows] floats
    uint32_t nTok = 0, k = 0, rows = 0;
    bool accumulate = false;
};
Status dispatchMoeSlotSum(Cmd& cmd, const MoeSlotSumArgs& args);

}  // namespace facet::vk
