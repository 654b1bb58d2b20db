#include "vulkan/vk_device_info.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "vulkan/vk_error.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"

namespace facet::vk {

namespace {

DeviceType typeOf(VkPhysicalDeviceType t) {
    switch (t) {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return DeviceType::Discrete;
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return DeviceType::Integrated;
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return DeviceType::Virtual;
        case VK_PHYSICAL_DEVICE_TYPE_CPU: return DeviceType::Cpu;
        case VK_PHYSICAL_DEVICE_TYPE_OTHER:
        case VK_PHYSICAL_DEVICE_TYPE_MAX_ENUM: break;
    }
    return DeviceType::Other;
}

bool hasDeviceExtension(VkPhysicalDevice pd, const char* name) {
    uint32_t n = 0;
    if (vkEnumerateDeviceExtensionProperties(pd, nullptr, &n, nullptr) != VK_SUCCESS) return false;
    std::vector<VkExtensionProperties> exts(n);
    if (vkEnumerateDeviceExtensionProperties(pd, nullptr, &n, exts.data()) != VK_SUCCESS) return false;
    for (const auto& e : exts)
        if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
}

// A compute family without graphics if there is one (what llama.cpp prefers
// too), else any family with compute; -1 when none.
int computeFamily(VkPhysicalDevice pd) {
    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, nullptr);
    std::vector<VkQueueFamilyProperties> fams(n);
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, fams.data());
    int any = -1;
    for (uint32_t i = 0; i < n; ++i) {
        if (!(fams[i].queueFlags & VK_QUEUE_COMPUTE_BIT) || fams[i].queueCount == 0) continue;
        if (!(fams[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) return static_cast<int>(i);
        if (any < 0) any = static_cast<int>(i);
    }
    return any;
}

void probeMemory(VkPhysicalDevice pd, DeviceCaps& c) {
    VkPhysicalDeviceMemoryProperties mp{};
    vkGetPhysicalDeviceMemoryProperties(pd, &mp);
    c.heaps.resize(mp.memoryHeapCount);
    for (uint32_t h = 0; h < mp.memoryHeapCount; ++h) {
        c.heaps[h].bytes = mp.memoryHeaps[h].size;
        c.heaps[h].deviceLocal = (mp.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
        if (c.heaps[h].deviceLocal) c.deviceLocalBytes += mp.memoryHeaps[h].size;
    }
    for (uint32_t t = 0; t < mp.memoryTypeCount; ++t) {
        const VkMemoryType& mt = mp.memoryTypes[t];
        const bool hv = (mt.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) != 0;
        const bool dl = (mt.propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) != 0;
        if (hv) c.heaps[mt.heapIndex].hostVisible = true;
        if (hv && dl) {
            c.hostVisibleDeviceLocal = true;
            c.hostVisibleDeviceLocalBytes = std::max(c.hostVisibleDeviceLocalBytes, mp.memoryHeaps[mt.heapIndex].size);
        }
    }
}

SubgroupOps subgroupOpsOf(VkSubgroupFeatureFlags f) {
    SubgroupOps o;
    o.basic = f & VK_SUBGROUP_FEATURE_BASIC_BIT;
    o.vote = f & VK_SUBGROUP_FEATURE_VOTE_BIT;
    o.arithmetic = f & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT;
    o.ballot = f & VK_SUBGROUP_FEATURE_BALLOT_BIT;
    o.shuffle = f & VK_SUBGROUP_FEATURE_SHUFFLE_BIT;
    o.shuffleRelative = f & VK_SUBGROUP_FEATURE_SHUFFLE_RELATIVE_BIT;
    o.clustered = f & VK_SUBGROUP_FEATURE_CLUSTERED_BIT;
    o.quad = f & VK_SUBGROUP_FEATURE_QUAD_BIT;
    return o;
}

DeviceInfo probe(const Instance& inst, VkPhysicalDevice pd, uint32_t index) {
    DeviceInfo info;
    info.index = index;
    info.physical = pd;
    DeviceCaps& c = info.caps;

    VkPhysicalDeviceProperties base{};
    vkGetPhysicalDeviceProperties(pd, &base);
    c.name = base.deviceName;
    c.type = typeOf(base.deviceType);
    c.vendorId = base.vendorID;
    c.deviceId = base.deviceID;
    c.apiVersion = base.apiVersion;
    c.driverVersion = base.driverVersion;
    probeMemory(pd, c);

    const uint32_t effective = std::min(inst.apiVersion(), base.apiVersion);
    if (effective < VK_API_VERSION_1_2) {
        info.unusableReason = "Vulkan " + apiVersionText(base.apiVersion) + " (Facet needs 1.2)";
        return info;
    }
    const int family = computeFamily(pd);
    if (family < 0) {
        info.unusableReason = "no compute queue";
        return info;
    }
    c.computeQueueFamily = static_cast<uint32_t>(family);

    const bool v13 = effective >= VK_API_VERSION_1_3;
    const bool sscExt = !v13 && hasDeviceExtension(pd, VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
    const bool haveSsc = v13 || sscExt;
    const bool haveMaint4 = v13 || hasDeviceExtension(pd, VK_KHR_MAINTENANCE_4_EXTENSION_NAME);
    c.memoryBudget = hasDeviceExtension(pd, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    info.needsSubgroupSizeControlExtension = sscExt;
    const bool idotExt = !v13 && hasDeviceExtension(pd, VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
    info.needsIntegerDotProductExtension = idotExt;

    // Properties.
    auto driver = vkStruct<VkPhysicalDeviceDriverProperties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES);
    auto subgroup = vkStruct<VkPhysicalDeviceSubgroupProperties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES);
    auto maint3 =
        vkStruct<VkPhysicalDeviceMaintenance3Properties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES);
    auto maint4 =
        vkStruct<VkPhysicalDeviceMaintenance4Properties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_PROPERTIES);
    auto sscProps = vkStruct<VkPhysicalDeviceSubgroupSizeControlProperties>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES);
    auto props = vkStruct<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
    props.pNext = &driver;
    driver.pNext = &subgroup;
    subgroup.pNext = &maint3;
    void** tail = &maint3.pNext;
    if (haveMaint4) {
        *tail = &maint4;
        tail = &maint4.pNext;
    }
    if (haveSsc) *tail = &sscProps;
    vkGetPhysicalDeviceProperties2(pd, &props);

    c.driverName = driver.driverName;
    c.driverInfo = driver.driverInfo;
    c.subgroupSize = subgroup.subgroupSize;
    c.subgroupsInCompute = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) != 0;
    c.subgroupOps = c.subgroupsInCompute ? subgroupOpsOf(subgroup.supportedOperations) : SubgroupOps{};
    c.maxMemoryAllocationSize = maint3.maxMemoryAllocationSize;
    c.maxBufferSize = haveMaint4 ? maint4.maxBufferSize : 0;
    if (haveSsc) {
        c.minSubgroupSize = sscProps.minSubgroupSize;
        c.maxSubgroupSize = sscProps.maxSubgroupSize;
        c.requiredSubgroupSizeInCompute = (sscProps.requiredSubgroupSizeStages & VK_SHADER_STAGE_COMPUTE_BIT) != 0;
    } else {
        c.minSubgroupSize = c.maxSubgroupSize = c.subgroupSize;
    }

    const VkPhysicalDeviceLimits& L = base.limits;
    c.maxStorageBufferRange = L.maxStorageBufferRange;
    c.minStorageBufferOffsetAlignment = L.minStorageBufferOffsetAlignment;
    c.nonCoherentAtomSize = L.nonCoherentAtomSize;
    c.maxComputeSharedMemorySize = L.maxComputeSharedMemorySize;
    c.maxComputeWorkGroupInvocations = L.maxComputeWorkGroupInvocations;
    for (int i = 0; i < 3; ++i) {
        c.maxComputeWorkGroupSize[i] = L.maxComputeWorkGroupSize[i];
        c.maxComputeWorkGroupCount[i] = L.maxComputeWorkGroupCount[i];
    }
    c.maxPushConstantsSize = L.maxPushConstantsSize;
    c.maxPerStageDescriptorStorageBuffers = L.maxPerStageDescriptorStorageBuffers;
    c.maxTexelBufferElements = L.maxTexelBufferElements;
    c.minTexelBufferOffsetAlignment = L.minTexelBufferOffsetAlignment;
    c.texelBuffers = true;
    for (VkFormat f : {VK_FORMAT_R32_UINT, VK_FORMAT_R32G32B32A32_UINT, VK_FORMAT_R32G32B32A32_SFLOAT}) {
        VkFormatProperties fp{};
        vkGetPhysicalDeviceFormatProperties(pd, f, &fp);
        c.texelBuffers = c.texelBuffers && (fp.bufferFeatures & VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT);
    }
    c.timestampPeriod = L.timestampPeriod;

    // Features.
    auto f11 = vkStruct<VkPhysicalDeviceVulkan11Features>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES);
    auto f12 = vkStruct<VkPhysicalDeviceVulkan12Features>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
    auto sscFeat = vkStruct<VkPhysicalDeviceSubgroupSizeControlFeatures>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_FEATURES);
    auto feats = vkStruct<VkPhysicalDeviceFeatures2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
    auto idot = vkStruct<VkPhysicalDeviceShaderIntegerDotProductFeatures>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES);
    feats.pNext = &f11;
    f11.pNext = &f12;
    if (haveSsc) f12.pNext = &sscFeat;
    if (v13 || idotExt) {  // (core in 1.3; the same struct serves the 1.2 extension)
        idot.pNext = feats.pNext;
        feats.pNext = &idot;
    }
    vkGetPhysicalDeviceFeatures2(pd, &feats);

    c.fp16 = f12.shaderFloat16;
    c.int8 = f12.shaderInt8;
    c.int16 = feats.features.shaderInt16;
    c.int64 = feats.features.shaderInt64;
    c.storage16 = f11.storageBuffer16BitAccess;
    c.uniformAndStorage16 = f11.uniformAndStorageBuffer16BitAccess;
    c.storage8 = f12.storageBuffer8BitAccess;
    c.uniformAndStorage8 = f12.uniformAndStorageBuffer8BitAccess;
    c.integerDotProduct = (v13 || idotExt) && idot.shaderIntegerDotProduct;
    c.subgroupSizeControl = haveSsc && sscFeat.subgroupSizeControl;
    c.computeFullSubgroups = haveSsc && sscFeat.computeFullSubgroups;
    if (!c.subgroupSizeControl) c.requiredSubgroupSizeInCompute = false;

    info.usable = true;
    return info;
}

bool envOn(const char* name) {
    const char* v = std::getenv(name);
    return v && *v && std::strcmp(v, "0") != 0;
}

// "4096", "64K", "128M", "1G" (binary multiples).
Result<uint64_t> parseBytes(const char* name, const std::string& s) {
    const auto bad = [&] {
        return errorf("%s='%s': expected a positive byte count such as 65536, 64K, 128M or 1G", name, s.c_str());
    };
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return bad();
    size_t pos = 0;
    uint64_t v = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        if (v > (UINT64_MAX - 9) / 10) return bad();
        v = v * 10 + static_cast<uint64_t>(s[pos++] - '0');
    }
    int shift = 0;
    if (pos < s.size()) {
        const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(s[pos++])));
        shift = u == 'K' ? 10 : u == 'M' ? 20 : u == 'G' ? 30 : -1;
        if (shift < 0 || pos != s.size()) return bad();
    }
    if (v == 0 || v > (UINT64_MAX >> shift)) return bad();
    return v << shift;
}

// "128x64x16x8x4": exactly N positive numbers joined by 'x'.
template <size_t N>
Result<std::array<uint32_t, N>> parseDims(const char* name, const std::string& s, const char* example) {
    std::array<uint32_t, N> v{};
    size_t pos = 0;
    for (size_t i = 0; i < N; ++i) {
        if (i > 0 && (pos >= s.size() || s[pos++] != 'x')) break;
        uint64_t n = 0;
        const size_t start = pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && n <= 65536)
            n = n * 10 + static_cast<uint64_t>(s[pos++] - '0');
        if (pos == start || n == 0 || n > 65536) break;
        v[i] = static_cast<uint32_t>(n);
        if (i + 1 == N && pos == s.size()) return v;
    }
    return errorf("%s='%s': expected %zu positive numbers joined by x, such as %s", name, s.c_str(), N, example);
}

std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

}  // namespace

const char* deviceTypeName(DeviceType t) {
    switch (t) {
        case DeviceType::Discrete: return "discrete GPU";
        case DeviceType::Integrated: return "integrated GPU";
        case DeviceType::Virtual: return "virtual GPU";
        case DeviceType::Cpu: return "CPU";
        case DeviceType::Other: return "other";
        case DeviceType::Count: break;
    }
    return "?";
}

std::string subgroupOpsText(const SubgroupOps& o) {
    std::string s;
    const auto add = [&](bool on, const char* n) {
        if (!on) return;
        if (!s.empty()) s += ' ';
        s += n;
    };
    add(o.basic, "basic");
    add(o.vote, "vote");
    add(o.arithmetic, "arithmetic");
    add(o.ballot, "ballot");
    add(o.shuffle, "shuffle");
    add(o.shuffleRelative, "shuffle-relative");
    add(o.clustered, "clustered");
    add(o.quad, "quad");
    return s.empty() ? "none" : s;
}

Result<DeviceOptions> DeviceOptions::withEnv() const {
    DeviceOptions o = *this;
    if (!useEnv) return o;
    if (o.select.empty())
        if (const char* v = std::getenv("FACET_DEVICE")) o.select = v;
    o.noFp16 |= envOn("FACET_VK_NO_FP16");
    o.noInt8 |= envOn("FACET_VK_NO_INT8");
    o.noIntDot |= envOn("FACET_VK_NO_INT_DOT");
    o.no16BitStorage |= envOn("FACET_VK_NO_16BIT_STORAGE");
    o.no8BitStorage |= envOn("FACET_VK_NO_8BIT_STORAGE");
    o.noSubgroups |= envOn("FACET_VK_NO_SUBGROUPS");
    o.noSubgroupSizeControl |= envOn("FACET_VK_NO_SUBGROUP_SIZE_CONTROL");
    o.noTexelBuffers |= envOn("FACET_VK_NO_TEXEL_BUFFERS");
    o.noRowTiles |= envOn("FACET_VK_NO_ROW_TILES");
    const bool noFusion = envOn("FACET_VK_NO_FUSION");
    o.noQkvFusion |= noFusion || envOn("FACET_VK_NO_QKV_FUSION");
    o.noRopeFusion |= noFusion || envOn("FACET_VK_NO_ROPE_FUSION");
    o.noTailFusion |= noFusion || envOn("FACET_VK_NO_TAIL_FUSION");
    o.noBarrierTracking |= envOn("FACET_VK_NO_BARRIER_TRACKING");
    if (const char* v = std::getenv("FACET_VK_MAX_BINDING_BYTES"); v && *v) {
        FACET_ASSIGN(uint64_t limit, parseBytes("FACET_VK_MAX_BINDING_BYTES", v));
        o.maxBindingBytes = o.maxBindingBytes ? std::min(o.maxBindingBytes, limit) : limit;
    }
    if (const char* v = std::getenv("FACET_VK_MEMORY_LIMIT"); v && *v) {
        FACET_ASSIGN(uint64_t limit, parseBytes("FACET_VK_MEMORY_LIMIT", v));
        o.memoryLimit = o.memoryLimit ? std::min(o.memoryLimit, limit) : limit;
    }
    if (const char* v = std::getenv("FACET_VK_MATMAT_TILE"); v && *v) {
        FACET_ASSIGN(o.matMatTile, parseDims<5>("FACET_VK_MATMAT_TILE", v, "128x64x16x8x4"));
    }
    if (const char* v = std::getenv("FACET_VK_MATVEC_SHAPE"); v && *v) {
        FACET_ASSIGN(o.matVecShape, parseDims<3>("FACET_VK_MATVEC_SHAPE", v, "64x4x1"));
    }
    if (const char* v = std::getenv("FACET_VK_MATVEC_LAYOUT"); v && *v) {
        const std::string l = lower(v);
        o.matVecLayout = l == "groups" ? 1 : l == "lanes" ? 2 : l == "blocks" ? 3 : 0;
        if (o.matVecLayout == 0)
            return errorf("FACET_VK_MATVEC_LAYOUT='%s': expected groups, lanes or blocks", v);
    }
    if (const char* v = std::getenv("FACET_VK_FAULT_DEVICE_LOST"); v && *v) {
        const std::string s = v;
        const size_t colon = s.rfind(':');
        const std::string count = colon == std::string::npos ? "" : s.substr(colon + 1);
        if (colon == 0 || count.empty() || count.size() > 9 ||
            count.find_first_not_of("0123456789") != std::string::npos || std::stoul(count) == 0)
            return errorf("FACET_VK_FAULT_DEVICE_LOST='%s': expected NAME:N, such as forward:3", v);
        o.loseDeviceOn = s.substr(0, colon);
        o.loseDeviceAtSubmit = static_cast<uint32_t>(std::stoul(count));
    }
    return o;
}

DeviceCaps applyOptions(DeviceCaps c, const DeviceOptions& o) {
    if (o.noFp16 && c.fp16) {
        c.fp16 = false;
        c.switchedOff.push_back("fp16");
    }
    if (o.noInt8 && c.int8) {
        c.int8 = false;
        c.switchedOff.push_back("int8");
    }
    if (o.noIntDot && c.integerDotProduct) {
        c.integerDotProduct = false;
        c.switchedOff.push_back("integer dot product");
    }
    if (o.no16BitStorage && (c.storage16 || c.uniformAndStorage16)) {
        c.storage16 = c.uniformAndStorage16 = false;
        c.switchedOff.push_back("16-bit storage");
    }
    if (o.no8BitStorage && (c.storage8 || c.uniformAndStorage8)) {
        c.storage8 = c.uniformAndStorage8 = false;
        c.switchedOff.push_back("8-bit storage");
    }
    if (o.noSubgroups && c.subgroupsInCompute) {
        c.subgroupsInCompute = false;
        c.subgroupOps = SubgroupOps{};
        c.switchedOff.push_back("subgroups");
    }
    if (o.noSubgroupSizeControl && c.subgroupSizeControl) {
        c.subgroupSizeControl = c.computeFullSubgroups = c.requiredSubgroupSizeInCompute = false;
        c.switchedOff.push_back("subgroup size control");
    }
    if (o.noTexelBuffers && c.texelBuffers) {
        c.texelBuffers = false;
        c.switchedOff.push_back("texel buffers");
    }
    if (o.maxBindingBytes && o.maxBindingBytes < c.maxStorageBufferRange) {
        c.maxStorageBufferRange = o.maxBindingBytes;
        c.maxTexelBufferElements = std::min<uint64_t>(c.maxTexelBufferElements, std::max<uint64_t>(o.maxBindingBytes / 16, 1));
        c.switchedOff.push_back("storage binding range " + formatBytes(o.maxBindingBytes));
    }
    return c;
}

Result<std::vector<DeviceInfo>> listDevices(const Instance& instance) {
    uint32_t n = 0;
    if (VkResult r = vkEnumeratePhysicalDevices(instance.handle(), &n, nullptr); r != VK_SUCCESS)
        return vkError("vkEnumeratePhysicalDevices", "count", r);
    std::vector<VkPhysicalDevice> pds(n);
    if (VkResult r = vkEnumeratePhysicalDevices(instance.handle(), &n, pds.data());
        r != VK_SUCCESS && r != VK_INCOMPLETE)
        return vkError("vkEnumeratePhysicalDevices", std::to_string(n) + " devices", r);
    std::vector<DeviceInfo> out;
    out.reserve(n);
    for (uint32_t i = 0; i < n; ++i) out.push_back(probe(instance, pds[i], i));
    return out;
}

Result<size_t> chooseDevice(const std::vector<DeviceInfo>& devices, const std::string& select) {
    std::string known;
    for (const auto& d : devices) {
        if (!known.empty()) known += ", ";
        known += std::to_string(d.index) + ": " + d.caps.name + (d.usable ? "" : " (" + d.unusableReason + ")");
    }
    if (known.empty()) known = "none";

    if (select.empty()) {
        size_t best = devices.size();
        for (size_t i = 0; i < devices.size(); ++i) {
            if (!devices[i].usable) continue;
            if (best == devices.size() || devices[i].caps.type < devices[best].caps.type) best = i;
        }
        if (best == devices.size()) return errorf("no usable Vulkan device (devices: %s)", known.c_str());
        return best;
    }
    const bool numeric =
        std::all_of(select.begin(), select.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    for (size_t i = 0; i < devices.size(); ++i) {
        const bool match = numeric ? std::to_string(devices[i].index) == select
                                   : lower(devices[i].caps.name).find(lower(select)) != std::string::npos;
        if (!match) continue;
        if (!devices[i].usable)
            return errorf("Vulkan device '%s' (%s) is not usable: %s", select.c_str(), devices[i].caps.name.c_str(),
                          devices[i].unusableReason.c_str());
        return i;
    }
    return errorf("no Vulkan device matches '%s' (devices: %s)", select.c_str(), known.c_str());
}

}  // namespace facet::vk
