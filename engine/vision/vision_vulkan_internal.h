// Private structures of VisionVulkan, shared by its translation units.
#pragma once

#include "vision/vision_vulkan.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"

namespace facet {

// A layer's float32 vectors (slices of the constant buffer).
struct VisionVulkan::Layer {
    vk::BufferSlice ln1, qNorm, kNorm, attnPostNorm, ln2, ffnPostNorm;
    vk::BufferSlice outScale;  // one float; empty when the layer has no out_scale (1)
};

// The picture's patch grid: patch i at column i % cols, row i / cols.
struct VisionVulkan::Grid {
    int cols = 0, rows = 0;
    int n() const { return cols * rows; }
};

// Activations for `capacity` patches (float32 unless noted), one buffer each,
// every one within a storage binding (capacity <= maxPatches).
struct VisionVulkan::Scratch {
    int capacity = 0;
    std::unique_ptr<vk::Buffer> x, a, o;        // [n][E]: residual, normed block input, block output
    std::unique_ptr<vk::Buffer> c;              // [n][E]: a clamped copy of an input that linears share
    std::unique_ptr<vk::Buffer> q, k, v, attn;  // [n][heads · hd]
    std::unique_ptr<vk::Buffer> g, u;           // [n][ffn]
    std::unique_ptr<vk::Buffer> pooled;         // [n / k²][E]
    std::unique_ptr<vk::Buffer> tokens;         // [n / k²][text width]
    std::unique_ptr<vk::Buffer> input;          // host-visible: the slices below
    vk::BufferSlice patches;    // f32 [n][3p²], im2col
    vk::BufferSlice positions;  // f32 [n][E], T[0][col] + T[1][row]
    vk::BufferSlice colPos, rowPos;  // int32 [n]: each patch's column and row (the RoPE positions)
    vk::BufferSlice bounds;     // uint32 [n][2]: every patch attends to [0, n - 1]
    std::unique_ptr<vk::Buffer> readback;       // [n / k²][text width]
    std::unique_ptr<vk::Cmd> cmd;
    // Slices of the constant buffer that belong to no layer.
    vk::BufferSlice theta;               // ropeThetaTable of the hd/4 frequencies of each half
    vk::BufferSlice stdBias, stdScale;   // empty without standardization
};

}  // namespace facet
