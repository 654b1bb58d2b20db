// The MoE block's slot bookkeeping on the GPU, for a chunk of several
// tokens (no CPU round trip). A slot s = t·K + j is token t's j-th chosen
// expert (moe_router's ids[s]). Two modules:
//
// moe_route (default): the route table of the chunk, so that the expert
// products can run expert by expert (moe_mat_vec.comp, BATCHED) and read
// each expert's weights once for up to TILE of its slots instead of once per
// slot. Table (uint32, at tableOffset):
//   [0] nTiles   [1] slotBase (index of the slot list in the table)
//   [2 + 4i .. 2 + 4i + 2]  tile i: expert e, first and end index into the slot list
//   [slotBase + k]          the slots sorted by expert, in slot order within an expert
// An expert with c slots has ceil(c / TILE) tiles; at most
// nSlots / TILE + nExperts tiles in all (the host's maxTiles, slotBase = 2 + 4·maxTiles).
// One workgroup; invocation i owns experts i, i + WG_SIZE, ...: it counts
// them, then (after one prefix sum over the experts) writes their slots in
// order. No atomics, so the order is deterministic. An id >= nExperts (never
// from moe_router) belongs to no expert: its slot is in no tile.
//
// moe_slot_sum (SLOT_SUM): y[t][r] (+)= Σ_{j<K} ys[t·K + j][r], the sum of
// a token's weighted expert outputs (the down products write one row per slot).
//
// Spec constants: 0 WG_SIZE, 1 MAX_EXPERTS (moe_route: the shared count
// array). Host: engine/vulkan/ops/moe_route_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 64;
layout(constant_id = 1) const uint MAX_EXPERTS = 128;
layout(local_size_x_id = 0) in;

#ifndef SLOT_SUM

layout(std430, set = 0, binding = 0) readonly buffer IdBuf { uint ids[]; };
layout(std430, set = 0, binding = 1) buffer TableBuf { uint table[]; };

// Must match MoeRoutePush (static_assert there).
layout(push_constant) uniform Push {
    uint nSlots;
    uint nExperts;   // <= MAX_EXPERTS
    uint tile;       // slots per tile (TILE)
    uint maxTiles;
    uint idsOffset;  // uints
    uint tableOffset;
} p;

shared uint cnt[MAX_EXPERTS];    // slots per expert
shared uint first[MAX_EXPERTS];  // the expert's first index into the slot list
shared uint tile0[MAX_EXPERTS];  // the expert's first tile

void main() {
    const uint tid = gl_LocalInvocationID.x;
    for (uint e = tid; e < p.nExperts; e += WG_SIZE) {
        uint c = 0;
        for (uint s = 0; s < p.nSlots; ++s) c += ids[p.idsOffset + s] == e ? 1u : 0u;
        cnt[e] = c;
    }
    barrier();
    if (tid == 0u) {
        uint f = 0, t = 0;
        for (uint e = 0; e < p.nExperts; ++e) {
            first[e] = f;
            tile0[e] = t;
            f += cnt[e];
            t += (cnt[e] + p.tile - 1u) / p.tile;
        }
        table[p.tableOffset] = t;
        table[p.tableOffset + 1u] = 2u + 4u * p.maxTiles;
    }
    barrier();
    const uint slotBase = p.tableOffset + 2u + 4u * p.maxTiles;
    for (uint e = tid; e < p.nExperts; e += WG_SIZE) {
        uint k = first[e];
        for (uint s = 0; s < p.nSlots; ++s)
            if (ids[p.idsOffset + s] == e) table[slotBase + k++] = s;
        const uint tiles = (cnt[e] + p.tile - 1u) / p.tile;
        for (uint i = 0; i < tiles; ++i) {
            const uint o = p.tableOffset + 2u + 4u * (tile0[e] + i);
            table[o] = e;
            table[o + 1u] = first[e] + i * p.tile;
            table[o + 2u] = min(first[e] + (i + 1u) * p.tile, first[e] + cnt[e]);
            table[o + 3u] = 0u;
        }
    }
}

#else  // SLOT_SUM

layout(std430, set = 0, binding = 0) readonly buffer SlotBuf { float ys[]; };
layout(std430, set = 0, binding = 1) buffer YBuf { float y[]; };

// Must match MoeSlotSumPush (static_assert there).
layout(push_constant) uniform Push {
    uint nTok;
    uint k;          // slots per token
    uint rows;
    uint ysOffset;   // floats
    uint ysStride;   // floats between slot rows
    uint yOffset;
    uint yStride;
    uint accumulate;
} p;

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * WG_SIZE + gl_LocalInvocationID.x;
    if (i >= p.nTok * p.rows) return;
    const uint t = i / p.rows, r = i % p.rows;
    float s = 0.0;
    for (uint j = 0; j < p.k; ++j) s += ys[p.ysOffset + (t * p.k + j) * p.ysStride + r];
    const uint o = p.yOffset + t * p.yStride + r;
    y[o] = p.accumulate != 0u ? y[o] + s : s;
}

#endif
