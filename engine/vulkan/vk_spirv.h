// What a compute module declares, read from its SPIR-V, so the host never
// restates it unchecked (uVkCompute reflects layouts the same way): the
// specialization-constant ids, the descriptor bindings and the size of the
// push-constant block.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet::vk {

struct SpirvInterface {
    struct Binding {
        uint32_t set = 0;
        uint32_t binding = 0;
        bool texel = false;  // an image or texel buffer (UniformConstant), not a buffer block
        // The shader may write it: a buffer block not declared readonly
        // (NonWritable on the variable or on every member). Texel bindings
        // count as read-only: pipelines declare them as uniform texel buffers.
        bool writable = false;
    };
    std::vector<uint32_t> specIds;  // sorted, unique
    std::vector<Binding> bindings;  // sorted by (set, binding); one per variable (aliases repeat a binding)
    uint32_t pushBytes = 0;         // 0 without a push-constant block
};

// `name` prefixes errors. Rejects a bad header, truncated instructions and
// push blocks with types it cannot size (only scalars, vectors, arrays and
// structs are expected).
Result<SpirvInterface> reflectSpirv(std::span<const uint32_t> words, const std::string& name);

}  // namespace facet::vk
