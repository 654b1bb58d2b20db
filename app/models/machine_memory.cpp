#include "machine_memory.h"

#include <unistd.h>

#include <algorithm>

#include "vulkan/vk_device_info.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"

MachineProbe probeMachine(const QString& device) {
    MachineProbe p;
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0) p.memory.ramBytes = uint64_t(pages) * uint64_t(pageSize);
    using namespace facet::vk;
    if (!loadVulkan().ok()) return p;
    auto instance = Instance::create();
    if (!instance.ok()) return p;
    auto devices = listDevices(*instance.value());
    if (!devices.ok()) return p;
    auto pick = chooseDevice(devices.value(), device.toStdString());
    if (!pick.ok()) return p;
    const DeviceCaps& caps = devices.value()[pick.value()].caps;
    if (caps.type == DeviceType::Cpu) return p;  // lavapipe: the model runs in RAM
    for (const MemoryHeapInfo& h : caps.heaps)
        if (h.deviceLocal) p.memory.vramBytes = std::max<uint64_t>(p.memory.vramBytes, h.bytes);
    p.memory.unified = caps.type == DeviceType::Integrated;
    if (p.memory.unified) p.memory.vramBytes = std::max(p.memory.vramBytes, p.memory.ramBytes);
    p.gpuName = QString::fromStdString(caps.name);
    return p;
}
