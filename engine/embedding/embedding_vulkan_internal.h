// Private structures of EmbeddingVulkan, shared by its translation units.
#pragma once

#include "embedding/embedding_vulkan.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"

namespace facet {

// A layer's float32 vectors (slices of the constant buffer).
struct EmbeddingVulkan::Layer {
    vk::BufferSlice attnNorm, qNorm, kNorm, postAttnNorm, ffnNorm, postFfwNorm;
    vk::BufferSlice theta;  // ropeThetaTable of the layer's RoPE base
};

// Activations for `capacity` tokens (float32 unless noted), one buffer each
// (every one within a storage binding: maxTokens is capped for that).
struct EmbeddingVulkan::Scratch {
    int capacity = 0;
    std::unique_ptr<vk::Buffer> x, a, o;  // [T][H]: residual, normed input, block output
    std::unique_ptr<vk::Buffer> q, attn;  // [T][nHeads · hd]
    std::unique_ptr<vk::Buffer> k, v;     // [T][nKv · hd]
    std::unique_ptr<vk::Buffer> g, u;     // [T][ffn width]
    std::unique_ptr<vk::Buffer> input;    // host-visible: ids, positions, bounds (below)
    vk::BufferSlice ids, positions, bounds;  // uint32 [T], int32 [T], uint32 [T][2]
    std::unique_ptr<vk::Buffer> readback;    // [T][H] output-normed rows
    std::unique_ptr<vk::Cmd> cmd;
    vk::BufferSlice outputNorm;
};

// The sequences [first, last) of a call, packed: token t of the chunk is at
// row t; starts holds each sequence's first row and the total at the end.
struct EmbeddingVulkan::Chunk {
    size_t first = 0, last = 0;
    std::vector<int> starts;
    std::vector<uint32_t> ids;
    int n() const { return starts.back(); }
    int longest = 0;  // tokens of the longest sequence
};

}  // namespace facet
