#include "vulkan/vk_pipeline.h"

#include <algorithm>

#include "shader_registry.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_spirv.h"

namespace facet::vk {

std::string PipelineDesc::key() const {
    std::vector<SpecConstant> s = spec;
    std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::string k = shader + "{";
    for (size_t i = 0; i < s.size(); ++i)
        k += (i ? "," : "") + std::to_string(s[i].id) + "=" + std::to_string(s[i].value);
    k += "}p" + std::to_string(pushBytes) + "b" + std::to_string(bindings) + "s" +
         std::to_string(requiredSubgroupSize) + "f" + (fullSubgroups ? "1" : "0");
    for (size_t i = 0; i < texelFormats.size(); ++i)
        if (texelFormats[i] != VK_FORMAT_UNDEFINED) k += "t" + std::to_string(i) + ":" + std::to_string(texelFormats[i]);
    if (!spirv.empty()) k += "@" + std::to_string(reinterpret_cast<uintptr_t>(spirv.data()));
    return k;
}

namespace {

// Checks `desc` against the module and the device before Vulkan sees it;
// the module's interface.
Result<SpirvInterface> checkDesc(const Device& device, const PipelineDesc& desc, std::span<const uint32_t> words) {
    const DeviceCaps& caps = device.caps();
    const char* n = desc.shader.c_str();
    FACET_ASSIGN(SpirvInterface iface, reflectSpirv(words, desc.shader));

    if (desc.pushBytes != iface.pushBytes)
        return errorf("pipeline %s: %u push-constant bytes given, the shader's push block has %u", n, desc.pushBytes,
                      iface.pushBytes);
    if (desc.pushBytes > caps.maxPushConstantsSize || desc.pushBytes % 4)
        return errorf("pipeline %s: %u push-constant bytes (a multiple of 4, at most maxPushConstantsSize %u)", n,
                      desc.pushBytes, caps.maxPushConstantsSize);
    auto isTexel = [&](uint32_t b) { return desc.texelFormat(b) != VK_FORMAT_UNDEFINED; };
    uint32_t texels = 0;
    for (uint32_t b = 0; b < desc.bindings; ++b) texels += isTexel(b) ? 1 : 0;
    if (desc.texelFormats.size() > desc.bindings)
        return errorf("pipeline %s: texel formats for %zu bindings, the pipeline has %u", n, desc.texelFormats.size(),
                      desc.bindings);
    if (texels && !caps.texelBuffers)
        return errorf("pipeline %s: uses uniform texel buffers, which are switched off on %s", n, caps.name.c_str());
    if (desc.bindings - texels > caps.maxPerStageDescriptorStorageBuffers)
        return errorf("pipeline %s: %u storage buffers, more than the device's %u per stage", n,
                      desc.bindings - texels, caps.maxPerStageDescriptorStorageBuffers);
    for (const auto& b : iface.bindings) {
        if (b.set != 0 || b.binding >= desc.bindings)
            return errorf(
                "pipeline %s: the shader uses set %u binding %u; the pipeline declares bindings 0..%d of set 0", n,
                b.set, b.binding, static_cast<int>(desc.bindings) - 1);
        if (b.texel != isTexel(b.binding))
            return errorf("pipeline %s: binding %u is a %s in the shader, the pipeline declares a %s", n, b.binding,
                          b.texel ? "texel buffer" : "storage buffer", isTexel(b.binding) ? "texel buffer" : "storage buffer");
    }

    for (const SpecConstant& s : desc.spec) {
        if (!std::binary_search(iface.specIds.begin(), iface.specIds.end(), s.id))
            return errorf("pipeline %s: specialization constant %u does not exist in the shader", n, s.id);
        if (std::count_if(desc.spec.begin(), desc.spec.end(), [&](const auto& o) { return o.id == s.id; }) > 1)
            return errorf("pipeline %s: specialization constant %u given twice", n, s.id);
    }
    for (uint32_t id : iface.specIds)
        if (std::none_of(desc.spec.begin(), desc.spec.end(), [&](const auto& s) { return s.id == id; }))
            return errorf("pipeline %s: specialization constant %u is not set (every constant must be explicit)", n,
                          id);

    if (desc.requiredSubgroupSize) {
        const uint32_t s = desc.requiredSubgroupSize;
        if (!caps.requiredSubgroupSizeInCompute)
            return errorf(
                "pipeline %s: requires subgroup size %u, but %s cannot fix it for compute (subgroup size "
                "control off or unsupported)",
                n, s, caps.name.c_str());
        if (!std::has_single_bit(s) || s < caps.minSubgroupSize || s > caps.maxSubgroupSize)
            return errorf("pipeline %s: subgroup size %u outside %s's %u..%u", n, s, caps.name.c_str(),
                          caps.minSubgroupSize, caps.maxSubgroupSize);
    }
    if (desc.fullSubgroups && !caps.computeFullSubgroups)
        return errorf("pipeline %s: needs full subgroups, which %s does not offer (or it is switched off)", n,
                      caps.name.c_str());
    return iface;
}

}  // namespace

Result<std::unique_ptr<Pipeline>> Pipeline::create(Device& device, const PipelineDesc& desc, VkPipelineCache cache) {
    std::span<const uint32_t> words = desc.spirv;
    if (words.empty()) {
        const shaders::ShaderBlob* blob = shaders::findShader(desc.shader);
        if (!blob) return errorf("pipeline %s: no such shader in facet_shaders", desc.shader.c_str());
        words = std::span<const uint32_t>(blob->words, blob->wordCount);
    }
    FACET_ASSIGN(const SpirvInterface iface, checkDesc(device, desc, words));

    const VkDevice d = device.handle();
    std::unique_ptr<Pipeline> p(new Pipeline());
    p->device_ = &device;
    p->bindings_ = desc.bindings;
    p->texelFormats_ = desc.texelFormats;
    p->writes_.assign(desc.bindings, false);
    for (const auto& b : iface.bindings)
        if (b.writable) p->writes_[b.binding] = true;
    p->pushBytes_ = desc.pushBytes;
    p->name_ = desc.shader;

    std::vector<VkDescriptorSetLayoutBinding> bindings(desc.bindings);
    for (uint32_t i = 0; i < desc.bindings; ++i) {
        bindings[i].binding = i;
        bindings[i].descriptorType = desc.texelFormat(i) != VK_FORMAT_UNDEFINED ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER
                                                                                 : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        bindings[i].descriptorCount = 1;
        bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    auto dsl = vkStruct<VkDescriptorSetLayoutCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
    dsl.bindingCount = desc.bindings;
    dsl.pBindings = bindings.data();
    if (VkResult r = vkCreateDescriptorSetLayout(d, &dsl, nullptr, &p->setLayout_); r != VK_SUCCESS)
        return vkError("vkCreateDescriptorSetLayout", desc.shader, r);

    VkPushConstantRange push{VK_SHADER_STAGE_COMPUTE_BIT, 0, desc.pushBytes};
    auto pl = vkStruct<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    pl.setLayoutCount = 1;
    pl.pSetLayouts = &p->setLayout_;
    pl.pushConstantRangeCount = desc.pushBytes ? 1 : 0;
    pl.pPushConstantRanges = &push;
    if (VkResult r = vkCreatePipelineLayout(d, &pl, nullptr, &p->layout_); r != VK_SUCCESS)
        return vkError("vkCreatePipelineLayout", desc.shader, r);

    auto smi = vkStruct<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    smi.codeSize = words.size() * sizeof(uint32_t);
    smi.pCode = words.data();
    VkShaderModule module = VK_NULL_HANDLE;
    if (VkResult r = vkCreateShaderModule(d, &smi, nullptr, &module); r != VK_SUCCESS)
        return vkError("vkCreateShaderModule", desc.shader, r);

    std::vector<VkSpecializationMapEntry> entries(desc.spec.size());
    std::vector<uint32_t> values(desc.spec.size());
    for (size_t i = 0; i < desc.spec.size(); ++i) {
        entries[i] = {desc.spec[i].id, static_cast<uint32_t>(i * sizeof(uint32_t)), sizeof(uint32_t)};
        values[i] = desc.spec[i].value;
    }
    VkSpecializationInfo si{};
    si.mapEntryCount = static_cast<uint32_t>(entries.size());
    si.pMapEntries = entries.data();
    si.dataSize = values.size() * sizeof(uint32_t);
    si.pData = values.data();

    auto rss = vkStruct<VkPipelineShaderStageRequiredSubgroupSizeCreateInfo>(
        VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_REQUIRED_SUBGROUP_SIZE_CREATE_INFO);
    rss.requiredSubgroupSize = desc.requiredSubgroupSize;
    auto cpi = vkStruct<VkComputePipelineCreateInfo>(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    cpi.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    cpi.stage.pNext = desc.requiredSubgroupSize ? &rss : nullptr;
    cpi.stage.flags = desc.fullSubgroups ? VK_PIPELINE_SHADER_STAGE_CREATE_REQUIRE_FULL_SUBGROUPS_BIT : 0;
    cpi.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    cpi.stage.module = module;
    cpi.stage.pName = "main";
    cpi.stage.pSpecializationInfo = entries.empty() ? nullptr : &si;
    cpi.layout = p->layout_;
    const VkResult r = vkCreateComputePipelines(d, cache, 1, &cpi, nullptr, &p->pipeline_);
    vkDestroyShaderModule(d, module, nullptr);
    if (r != VK_SUCCESS) return vkError("vkCreateComputePipelines", desc.key(), r);
    return p;
}

void Pipeline::release() {
    if (!device_) return;
    const VkDevice d = device_->handle();
    if (pipeline_ != VK_NULL_HANDLE) vkDestroyPipeline(d, pipeline_, nullptr);
    if (layout_ != VK_NULL_HANDLE) vkDestroyPipelineLayout(d, layout_, nullptr);
    if (setLayout_ != VK_NULL_HANDLE) vkDestroyDescriptorSetLayout(d, setLayout_, nullptr);
    pipeline_ = VK_NULL_HANDLE;
    layout_ = VK_NULL_HANDLE;
    setLayout_ = VK_NULL_HANDLE;
    device_ = nullptr;
}

Pipeline::~Pipeline() { release(); }

Pipeline::Pipeline(Pipeline&& o) noexcept { *this = std::move(o); }

Pipeline& Pipeline::operator=(Pipeline&& o) noexcept {
    if (this != &o) {
        release();
        std::swap(device_, o.device_);
        std::swap(pipeline_, o.pipeline_);
        std::swap(layout_, o.layout_);
        std::swap(setLayout_, o.setLayout_);
        std::swap(bindings_, o.bindings_);
        std::swap(texelFormats_, o.texelFormats_);
        std::swap(writes_, o.writes_);
        std::swap(pushBytes_, o.pushBytes_);
        std::swap(name_, o.name_);
    }
    return *this;
}

// --- PipelineCache -------------------------------------------------------------

Result<std::unique_ptr<PipelineCache>> PipelineCache::create(Device& device, std::span<const uint8_t> initial) {
    std::unique_ptr<PipelineCache> c(new PipelineCache());
    c->device_ = &device;
    auto ci = vkStruct<VkPipelineCacheCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO);
    ci.initialDataSize = initial.size();  // the driver ignores data from another device or version
    ci.pInitialData = initial.empty() ? nullptr : initial.data();
    if (VkResult r = vkCreatePipelineCache(device.handle(), &ci, nullptr, &c->cache_); r != VK_SUCCESS)
        return vkError("vkCreatePipelineCache", formatBytes(initial.size()) + " initial", r);
    return c;
}

PipelineCache::~PipelineCache() {
    if (device_ && cache_ != VK_NULL_HANDLE) vkDestroyPipelineCache(device_->handle(), cache_, nullptr);
}

PipelineCache::PipelineCache(PipelineCache&& o) noexcept { *this = std::move(o); }

PipelineCache& PipelineCache::operator=(PipelineCache&& o) noexcept {
    if (this != &o) {
        if (device_ && cache_ != VK_NULL_HANDLE) vkDestroyPipelineCache(device_->handle(), cache_, nullptr);
        device_ = std::exchange(o.device_, nullptr);
        cache_ = std::exchange(o.cache_, VK_NULL_HANDLE);
    }
    return *this;
}

Result<std::vector<uint8_t>> PipelineCache::data() const {
    size_t n = 0;
    if (VkResult r = vkGetPipelineCacheData(device_->handle(), cache_, &n, nullptr); r != VK_SUCCESS)
        return vkError("vkGetPipelineCacheData", "size", r);
    std::vector<uint8_t> bytes(n);
    if (VkResult r = vkGetPipelineCacheData(device_->handle(), cache_, &n, bytes.data());
        r != VK_SUCCESS && r != VK_INCOMPLETE)
        return vkError("vkGetPipelineCacheData", formatBytes(n), r);
    bytes.resize(n);
    return bytes;
}

// --- PipelineLibrary -----------------------------------------------------------

Result<const Pipeline*> PipelineLibrary::get(const PipelineDesc& desc) {
    const std::string key = desc.key();
    std::lock_guard lock(mu_);
    if (auto it = pipelines_.find(key); it != pipelines_.end()) return static_cast<const Pipeline*>(it->second.get());
    FACET_ASSIGN(auto p, Pipeline::create(device_, desc, cache_ ? cache_->handle() : VK_NULL_HANDLE));
    const Pipeline* raw = p.get();
    pipelines_.emplace(key, std::move(p));
    return raw;
}

size_t PipelineLibrary::size() const {
    std::lock_guard lock(mu_);
    return pipelines_.size();
}

std::vector<std::string> PipelineLibrary::shaderNames() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> names;
    for (const auto& [key, pipe] : pipelines_) names.push_back(pipe->name());
    return names;
}

Status PipelineLibrary::enableCache(std::span<const uint8_t> initial) {
    FACET_ASSIGN(auto c, PipelineCache::create(device_, initial));
    std::lock_guard lock(mu_);
    cache_ = std::move(c);
    return {};
}

Result<std::vector<uint8_t>> PipelineLibrary::cacheData() const {
    std::lock_guard lock(mu_);
    if (!cache_) return errorf("pipeline cache: enableCache() was not called");
    return cache_->data();
}

}  // namespace facet::vk
