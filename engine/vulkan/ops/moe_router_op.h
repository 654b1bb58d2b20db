// Host side of shaders/moe_router.comp (CPU twin facet::cpu::moeRoute).
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

struct MoeRouterPush {
    uint32_t nTok;
    uint32_t k;
    uint32_t logitsOffset;
    uint32_t outOffset;
};
static_assert(sizeof(MoeRouterPush) == 16, "MoeRouterPush must match the push block of shaders/moe_router.comp");

struct MoeRouterArgs {
    BufferSlice logits;       // [nTok][nExperts] fp32 router logits
    BufferSlice expertScale;  // [nExperts] fp32 (ffn_down_exps.scale)
    BufferSlice ids;          // [nTok][k] uint32 out
    BufferSlice weights;      // [nTok][k] fp32 out
    uint32_t nTok = 0, nExperts = 0, k = 0;
};

Status dispatchMoeRouter(Cmd& cmd, const MoeRouterArgs& args);

}  // namespace facet::vk
