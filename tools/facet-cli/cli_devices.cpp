// facet-cli devices: every Vulkan device with the capabilities the engine
// uses, as it would see them (FACET_VK_* switches applied), and which one it
// picks by default ("*").
#include <cstdio>

#include "cli_common.h"
#include "vulkan/vk_device_info.h"
#include "vulkan/vk_error.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"

namespace facet::cli {

namespace {

const char* yes(bool b) { return b ? "yes" : "no"; }

void printDevice(const vk::DeviceInfo& d, const vk::DeviceCaps& c, bool chosen) {
    using vk::formatBytes;
    std::printf("%s device %u: %s (%s)\n", chosen ? "*" : " ", d.index, c.name.c_str(), vk::deviceTypeName(c.type));
    std::printf("    vendor 0x%04x, device 0x%04x, driver %s (%s), Vulkan %s\n", c.vendorId, c.deviceId,
                c.driverName.c_str(), c.driverInfo.c_str(), vk::apiVersionText(c.apiVersion).c_str());
    if (!d.usable) {
        std::printf("    not usable: %s\n", d.unusableReason.c_str());
        return;
    }
    std::printf("    memory: %s device-local", formatBytes(c.deviceLocalBytes).c_str());
    for (size_t h = 0; h < c.heaps.size(); ++h)
        std::printf("; heap %zu %s%s%s", h, formatBytes(c.heaps[h].bytes).c_str(),
                    c.heaps[h].deviceLocal ? " device-local" : "", c.heaps[h].hostVisible ? " host-visible" : "");
    std::printf("\n    host-visible device-local memory: %s", yes(c.hostVisibleDeviceLocal));
    if (c.hostVisibleDeviceLocal) std::printf(" (%s heap)", formatBytes(c.hostVisibleDeviceLocalBytes).c_str());
    std::printf(", memory budget: %s\n", yes(c.memoryBudget));
    std::printf("    arithmetic: fp16 %s, int8 %s, int16 %s, int64 %s, int dot %s\n", yes(c.fp16), yes(c.int8),
                yes(c.int16), yes(c.int64), yes(c.integerDotProduct));
    std::printf("    storage: 16-bit %s (uniform+storage %s), 8-bit %s (uniform+storage %s)\n", yes(c.storage16),
                yes(c.uniformAndStorage16), yes(c.storage8), yes(c.uniformAndStorage8));
    std::printf("    subgroups: size %u (%u..%u), compute %s, ops: %s\n", c.subgroupSize, c.minSubgroupSize,
                c.maxSubgroupSize, yes(c.subgroupsInCompute), vk::subgroupOpsText(c.subgroupOps).c_str());
    std::printf("    subgroup size control: %s, required size in compute %s, full subgroups %s\n",
                yes(c.subgroupSizeControl), yes(c.requiredSubgroupSizeInCompute), yes(c.computeFullSubgroups));
    std::printf("    uniform texel buffers: %s (%llu elements, offset alignment %llu)\n", yes(c.texelBuffers),
                static_cast<unsigned long long>(c.maxTexelBufferElements),
                static_cast<unsigned long long>(c.minTexelBufferOffsetAlignment));
    std::printf("    limits: storage binding %s, allocation %s, buffer %s, shared memory %s, push constants %u B\n",
                formatBytes(c.maxStorageBufferRange).c_str(), formatBytes(c.maxMemoryAllocationSize).c_str(),
                c.maxBufferSize ? formatBytes(c.maxBufferSize).c_str() : "unknown",
                formatBytes(c.maxComputeSharedMemorySize).c_str(), c.maxPushConstantsSize);
    std::printf(
        "    workgroups: %u invocations, size %u x %u x %u, count %u x %u x %u; storage offset alignment %llu\n",
        c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0], c.maxComputeWorkGroupSize[1],
        c.maxComputeWorkGroupSize[2], c.maxComputeWorkGroupCount[0], c.maxComputeWorkGroupCount[1],
        c.maxComputeWorkGroupCount[2], static_cast<unsigned long long>(c.minStorageBufferOffsetAlignment));
    if (!c.switchedOff.empty()) {
        std::string off;
        for (const auto& s : c.switchedOff) off += (off.empty() ? "" : ", ") + s;
        std::printf("    switched off: %s\n", off.c_str());
    }
}

}  // namespace

int commandDevices(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {}, {"--validation"});
    if (!args.ok()) return fail(args.message());
    vk::InstanceOptions io;
    io.validation = args->has("--validation");
    auto instance = vk::Instance::create(io);
    if (!instance.ok()) return fail(instance.message());
    auto devices = vk::listDevices(*instance.value());
    if (!devices.ok()) return fail(devices.message());
    if (devices->empty()) return fail("Vulkan is not usable: the loader found no devices (is a driver installed?)");
    auto options = vk::DeviceOptions{}.withEnv();
    if (!options.ok()) return fail(options.message());
    auto chosen = vk::chooseDevice(devices.value(), options->select);

    std::printf("Vulkan loader %s\n", vk::apiVersionText(vk::loaderApiVersion()).c_str());
    for (size_t i = 0; i < devices->size(); ++i) {
        const vk::DeviceInfo& d = devices.value()[i];
        printDevice(d, vk::applyOptions(d.caps, options.value()), chosen.ok() && chosen.value() == i);
    }
    if (!chosen.ok()) return fail(chosen.message());
    return 0;
}

}  // namespace facet::cli
