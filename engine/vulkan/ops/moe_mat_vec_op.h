// Host side of shaders/moe_mat_vec.comp, the expert products of the MoE
// block with expert ids read on the GPU (CPU twin: the expert loop of
// facet::cpu::CpuForward::moe). For v < nOut, r < rowsPerExpert:
//   y[v][r] (+)= Σ_{j<group} w_s · (W[ids[s]·rowsPerExpert + r] · x[s / xDiv]),  s = v·group + j
// gate_up: group 1, xDiv K, no weights (one output per token and chosen expert);
// down:    group K, xDiv 1, router weights (the weighted sum over the experts).
// Batched (a route table given; prefill): expert by expert over the table's
// tiles, each slot s its own output, y[s][r] (+)= w_s · W[e_s·rowsPerExpert + r] ·
// x[s / xDiv]: the down products' per-token sum is then moe_route_op.h's
// dispatchMoeSlotSum. Each expert's rows are read once per tile of up to
// kMoeTileSlots of its slots instead of once per slot.
#pragma once

#include <cstdint>
#include <span>

#include "core/result.h"
#include "model/ggml_type.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

struct MoeMatVecPush {
    uint32_t rowsPerExpert;
    uint32_t cols;
    uint32_t rowBytes;
    uint32_t nExperts;
    uint32_t group;
    uint32_t xDiv;
    uint32_t idsOffset;
    uint32_t xOffset;
    uint32_t xStride;
    uint32_t yOffset;
    uint32_t yStride;
    uint32_t sOffset;
    uint32_t useWeights;
    uint32_t accumulate;
    uint32_t winFirst[4];
    uint32_t winEnd;
    uint32_t winByte[4];
};
static_assert(sizeof(MoeMatVecPush) == 92, "MoeMatVecPush must match the push block of shaders/moe_mat_vec.comp");

struct MoeMatVecArgs {
    std::span<const TensorPiece> weight;  // the stacked expert tensor, nExperts * rowsPerExpert rows
    GgmlType type = GgmlType::F32;
    uint32_t cols = 0;
    uint32_t rowsPerExpert = 0;
    uint32_t nExperts = 0;
    BufferSlice ids;      // nOut * group uint32 expert ids (moe_router's output)
    BufferSlice weights;  // nOut * group floats; empty = every weight 1
    BufferSlice x;        // vector i at float i * xStride, i < nOut * group / xDiv
    BufferSlice y;        // y[v][r] at float v * yStride + r
    uint32_t nOut = 0;
    uint32_t group = 1;
    uint32_t xDiv = 1;
    uint32_t xStride = 0;  // 0 = cols
    uint32_t yStride = 0;  // 0 = rowsPerExpert
    bool accumulate = false;
    // Batched mode: moe_route's table for nOut slots (group must be 1; ids
    // unused). Empty: slot by slot.
    BufferSlice table;
};

// Records the dispatches (no barriers before or after) into `cmd`. A tensor
// in more than 4 binding windows takes several dispatches, each adding the
// rows of its windows, with barriers between them.
Status dispatchMoeMatVec(Cmd& cmd, const MoeMatVecArgs& args);

}  // namespace facet::vk
