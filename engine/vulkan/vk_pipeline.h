// Compute pipelines: SPIR-V words + specialization constants + push-constant
// size + N storage buffers (set 0, bindings 0..N-1). What the caller states is
// checked against what the module declares (vk_spirv.h), and every
// specialization constant must be set explicitly: drivers have produced wrong
// results when a constant relied on its GLSL default (VulkanForge, RADV).
#pragma once

#include <volk.h>

#include <bit>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet::vk {

class Device;

struct SpecConstant {
    uint32_t id = 0;
    uint32_t value = 0;  // 32-bit: uint/int as is, bool as 0/1, float by bit pattern

    static SpecConstant u32(uint32_t id, uint32_t v) { return {id, v}; }
    static SpecConstant boolean(uint32_t id, bool v) { return {id, v ? 1u : 0u}; }
    static SpecConstant f32(uint32_t id, float v) { return {id, std::bit_cast<uint32_t>(v)}; }
};

struct PipelineDesc {
    std::string shader;               // facet_shaders registry name, e.g. "rms_norm_subgroup"
    std::span<const uint32_t> spirv;  // explicit module instead of the registry (tests); `shader` names it
    std::vector<SpecConstant> spec;
    uint32_t pushBytes = 0;             // must equal the module's push block size
    uint32_t bindings = 0;              // set 0, bindings 0..bindings-1: storage buffers, except
    // uniform texel buffers where texelFormats[i] is given (not VK_FORMAT_UNDEFINED): viewed in
    // that format, bound from a BufferSlice as any other binding (Buffer::texelView).
    std::vector<VkFormat> texelFormats;
    VkFormat texelFormat(uint32_t binding) const {
        return binding < texelFormats.size() ? texelFormats[binding] : VK_FORMAT_UNDEFINED;
    }
    uint32_t requiredSubgroupSize = 0;  // 0 = the driver's choice; else needs requiredSubgroupSizeInCompute
    bool fullSubgroups = false;         // needs computeFullSubgroups

    // Identity for PipelineLibrary: "rms_norm_subgroup{0=256,1=1,2=0}p40b4s0f0".
    std::string key() const;
};

// A pipeline with its descriptor-set and pipeline layouts.
class Pipeline {
public:
    static Result<std::unique_ptr<Pipeline>> create(Device& device, const PipelineDesc& desc,
                                                    VkPipelineCache cache = VK_NULL_HANDLE);
    ~Pipeline();
    Pipeline(Pipeline&& other) noexcept;
    Pipeline& operator=(Pipeline&& other) noexcept;
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    VkPipeline handle() const { return pipeline_; }
    VkPipelineLayout layout() const { return layout_; }
    VkDescriptorSetLayout setLayout() const { return setLayout_; }
    uint32_t bindings() const { return bindings_; }
    // VK_FORMAT_UNDEFINED for a storage buffer binding.
    VkFormat texelFormat(uint32_t binding) const {
        return binding < texelFormats_.size() ? texelFormats_[binding] : VK_FORMAT_UNDEFINED;
    }
    uint32_t pushBytes() const { return pushBytes_; }
    const std::string& name() const { return name_; }  // the shader name
    // Whether the shader may write binding i (SpirvInterface::Binding::writable):
    // what Cmd's barrier tracking counts as a write of the bound range.
    bool writes(uint32_t binding) const { return binding < writes_.size() && writes_[binding]; }

private:
    Pipeline() = default;
    void release();

    Device* device_ = nullptr;
    VkPipeline pipeline_ = VK_NULL_HANDLE;
    VkPipelineLayout layout_ = VK_NULL_HANDLE;
    VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
    uint32_t bindings_ = 0;
    std::vector<VkFormat> texelFormats_;
    std::vector<bool> writes_;
    uint32_t pushBytes_ = 0;
    std::string name_;
};

// Optional VkPipelineCache, seeded from and saved to bytes the caller stores.
// (llama.cpp measured no gain from one and relies on driver disk caches; it
// is here for drivers without such a cache.)
class PipelineCache {
public:
    static Result<std::unique_ptr<PipelineCache>> create(Device& device, std::span<const uint8_t> initial = {});
    ~PipelineCache();
    PipelineCache(PipelineCache&& other) noexcept;
    PipelineCache& operator=(PipelineCache&& other) noexcept;
    PipelineCache(const PipelineCache&) = delete;
    PipelineCache& operator=(const PipelineCache&) = delete;

    VkPipelineCache handle() const { return cache_; }
    Result<std::vector<uint8_t>> data() const;

private:
    PipelineCache() = default;
    Device* device_ = nullptr;
    VkPipelineCache cache_ = VK_NULL_HANDLE;
};

// The device's pipelines, each built on first use and kept for the device's
// lifetime (compilation is lazy as in llama.cpp #11406: llvmpipe compiles
// through LLVM, so only variants in use are built). Thread-safe. Owned by Device.
class PipelineLibrary {
public:
    explicit PipelineLibrary(Device& device) : device_(device) {}
    PipelineLibrary(const PipelineLibrary&) = delete;
    PipelineLibrary& operator=(const PipelineLibrary&) = delete;

    // The pipeline for `desc`, created now if it does not exist yet. The
    // pointer stays valid until the Device is destroyed.
    Result<const Pipeline*> get(const PipelineDesc& desc);
    size_t size() const;
    // The shader names of the pipelines built so far (which paths ran).
    std::vector<std::string> shaderNames() const;

    // Use a VkPipelineCache for pipelines created from now on.
    Status enableCache(std::span<const uint8_t> initial = {});
    // The cache's bytes for storing; an error if enableCache() was not called.
    Result<std::vector<uint8_t>> cacheData() const;

private:
    Device& device_;
    mutable std::mutex mu_;
    std::map<std::string, std::unique_ptr<Pipeline>> pipelines_;
    std::unique_ptr<PipelineCache> cache_;
};

}  // namespace facet::vk
