// Host side of shaders/attention_lanes.comp (house style rule 7:
// attention_lanes.comp <-> dispatchAttentionLanes <-> AttentionLanesPush; CPU
// twin facet::cpu::attendHead on q · scale). Full bidirectional attention of
// one sequence, every token against every key, with a query per invocation:
// the vision tower's attention on CPU devices, where it runs ~10x faster
// than attention_bidir's workgroup per query (see the shader). K and V are
// the sequence's float32 rows.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk {

class Cmd;

// The push block of attention_lanes.comp, field for field (offsets and
// strides in vec4).
struct AttentionLanesPush {
    uint32_t nTok;
    uint32_t nKeys;
    uint32_t nHeads;
    uint32_t nKvHeads;
    uint32_t qOffset;
    uint32_t qStride;
    uint32_t kOffset;
    uint32_t vOffset;
    uint32_t kvStride;
    uint32_t oOffset;
    uint32_t oStride;
    float scale;
};
// 12 scalars of 4 bytes in the GLSL block `Push`.
static_assert(sizeof(AttentionLanesPush) == 48, "AttentionLanesPush must match the push block of shaders/attention_lanes.comp");

struct AttentionLanesArgs {
    BufferSlice q;     // [nTok][qStride] f32, heads packed at h * headDim (read as texels)
    BufferSlice k, v;  // [nKeys][kvStride] f32, kv heads packed at h * headDim (read as texels)
    BufferSlice out;   // [nTok][outStride] f32
    uint32_t nTok = 0, nKeys = 0, nHeads = 0, nKvHeads = 0, headDim = 0;
    uint32_t qStride = 0, kvStride = 0, outStride = 0;  // floats; 0 = packed heads
    float scale = 1.0f;  // q multiplier
    // Queries per workgroup: 0 = the device's (8 on CPU devices: one SIMD
    // batch; 64 elsewhere); tests set others. Within the device's limits.
    uint32_t invocations = 0;
};

// Whether the op takes this shape on this device: texel buffers, head dim a
// multiple of 4 up to 256, strides multiples of 4 floats (the shader reads
// vec4), q, k and v within the device's texel views.
bool attentionLanesFits(const DeviceCaps& caps, const AttentionLanesArgs& args);

// Records one dispatch (no barriers) into `cmd`, which must be recording.
// q, k and v must each fit one texel view (maxTexelBufferElements texels),
// out one storage binding; every range starts at a 16-byte offset.
Status dispatchAttentionLanes(Cmd& cmd, const AttentionLanesArgs& args);

}  // namespace facet::vk
