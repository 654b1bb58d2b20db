// The SPIR-V modules built from shaders/*.comp (see shaders/CMakeLists.txt),
// looked up by the NAME given to facet_add_shader().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace facet::shaders {

struct ShaderBlob {
    std::string_view name;     // "rms_norm_subgroup"
    const uint32_t* words;     // validated SPIR-V (spirv-val, vulkan1.2)
    size_t wordCount;
    std::string_view source;   // "rms_norm.comp"
    std::string_view defines;  // "USE_SUBGROUPS=1", space-separated; "" for none
};

// nullptr when no shader of that name was built.
const ShaderBlob* findShader(std::string_view name);

// Every embedded shader, sorted by name.
std::span<const ShaderBlob> allShaders();

}  // namespace facet::shaders
