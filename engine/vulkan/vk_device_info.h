// Physical devices: what each can do (DeviceCaps), how options and FACET_VK_*
// environment switches reduce that, and which device to pick.
//
// Environment (each also a DeviceOptions field; tests use the struct):
//   FACET_DEVICE=N|name          device index, or a case-insensitive name substring
//   FACET_VK_NO_FP16=1           no shaderFloat16 arithmetic
//   FACET_VK_NO_INT8=1           no shaderInt8 arithmetic
//   FACET_VK_NO_INT_DOT=1        no integer dot products (shaderIntegerDotProduct: mat_vec_dot)
//   FACET_VK_NO_16BIT_STORAGE=1  no 16-bit storage-buffer access
//   FACET_VK_NO_8BIT_STORAGE=1   no 8-bit storage-buffer access
//   FACET_VK_NO_SUBGROUPS=1      no subgroup operations (shared-memory reductions)
//   FACET_VK_NO_SUBGROUP_SIZE_CONTROL=1
//   FACET_VK_NO_TEXEL_BUFFERS=1  no uniform texel buffers (the CPU-device GEMV reads
//                                weights through them; off, it uses storage buffers)
//   FACET_VK_NO_ROW_TILES=1      store weights row after row where the CPU-device GEMV
//                                would take them row-interleaved (row_interleave.h)
//   FACET_VK_NO_QKV_FUSION=1     a layer's q, k and v weights stored apart, three products
//                                (not one over the q|k|v slab)
//   FACET_VK_NO_ROPE_FUSION=1    q, k and v norms, RoPE and the KV-ring store as three
//                                rope dispatches (not one)
//   FACET_VK_NO_TAIL_FUSION=1    a block's closing norm as its own rms_norm dispatch, not
//                                in the producing GEMV's last workgroup (matVecCanTail)
//   FACET_VK_NO_FUSION=1         all the FACET_VK_NO_*_FUSION switches at once
//   FACET_VK_NO_BARRIER_TRACKING=1  the forward's compute barriers as its code places
//                                them, not derived from what each dispatch binds
//   FACET_VK_MAX_BINDING_BYTES=N lower maxStorageBufferRange to N bytes (K/M/G suffixes,
//                                binary), and maxTexelBufferElements to N/16, so the
//                                paths that split big tensors into several bindings
//                                run on any device
#pragma once

#include <volk.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet::vk {

class Instance;

// Order is the default preference (house style rule 19: ends in Count).
enum class DeviceType { Discrete, Integrated, Virtual, Cpu, Other, Count };
const char* deviceTypeName(DeviceType t);  // "discrete GPU", ..., "CPU"

// Subgroup operations supported in compute shaders.
struct SubgroupOps {
    bool basic = false;
    bool vote = false;
    bool arithmetic = false;
    bool ballot = false;
    bool shuffle = false;
    bool shuffleRelative = false;
    bool clustered = false;
    bool quad = false;
};
std::string subgroupOpsText(const SubgroupOps& ops);  // "basic vote arithmetic ..."; "none"

struct MemoryHeapInfo {
    uint64_t bytes = 0;
    bool deviceLocal = false;
    bool hostVisible = false;  // some memory type of this heap is HOST_VISIBLE
};

struct DeviceCaps {
    // Identity.
    std::string name;
    DeviceType type = DeviceType::Other;
    uint32_t vendorId = 0;
    uint32_t deviceId = 0;
    std::string driverName;  // "llvmpipe"
    std::string driverInfo;  // "Mesa 22.3.6 (LLVM 15.0.6)"
    uint32_t apiVersion = 0;
    uint32_t driverVersion = 0;

    // Memory.
    std::vector<MemoryHeapInfo> heaps;
    uint64_t deviceLocalBytes = 0;             // sum of DEVICE_LOCAL heaps
    bool hostVisibleDeviceLocal = false;       // a DEVICE_LOCAL|HOST_VISIBLE type exists (UMA, ReBAR)
    uint64_t hostVisibleDeviceLocalBytes = 0;  // size of the largest heap with such a type
    bool memoryBudget = false;                 // VK_EXT_memory_budget

    // Arithmetic and storage features.
    bool fp16 = false;                 // shaderFloat16
    bool int8 = false;                 // shaderInt8
    bool int16 = false;                // shaderInt16
    bool int64 = false;                // shaderInt64
    bool storage16 = false;            // storageBuffer16BitAccess
    bool uniformAndStorage16 = false;  // uniformAndStorageBuffer16BitAccess
    bool storage8 = false;             // storageBuffer8BitAccess
    bool uniformAndStorage8 = false;   // uniformAndStorageBuffer8BitAccess
    bool integerDotProduct = false;    // shaderIntegerDotProduct (Vulkan 1.3 or VK_KHR_shader_integer_dot_product)

    // Subgroups (in compute).
    uint32_t subgroupSize = 0;
    bool subgroupsInCompute = false;  // supportedStages includes COMPUTE
    SubgroupOps subgroupOps;
    bool subgroupSizeControl = false;
    uint32_t minSubgroupSize = 0;
    uint32_t maxSubgroupSize = 0;
    bool computeFullSubgroups = false;           // requireFullSubgroups usable
    bool requiredSubgroupSizeInCompute = false;  // requiredSubgroupSizeStages includes COMPUTE

    // Uniform texel buffers of R32_UINT, R32G32B32A32_UINT and _SFLOAT (mandatory
    // formats in Vulkan, so false only when switched off).
    bool texelBuffers = false;
    uint64_t maxTexelBufferElements = 0;
    uint64_t minTexelBufferOffsetAlignment = 0;

    // Limits.
    uint64_t maxStorageBufferRange = 0;  // after any FACET_VK_MAX_BINDING_BYTES override (also on maxTexelBufferElements)
    uint64_t maxMemoryAllocationSize = 0;
    uint64_t maxBufferSize = 0;  // 0 when the device does not report it (no maintenance4)
    uint64_t minStorageBufferOffsetAlignment = 0;
    uint64_t nonCoherentAtomSize = 0;
    uint32_t maxComputeSharedMemorySize = 0;
    uint32_t maxComputeWorkGroupInvocations = 0;
    std::array<uint32_t, 3> maxComputeWorkGroupSize{};
    std::array<uint32_t, 3> maxComputeWorkGroupCount{};
    uint32_t maxPushConstantsSize = 0;
    uint32_t maxPerStageDescriptorStorageBuffers = 0;
    float timestampPeriod = 0.0f;  // ns per tick

    uint32_t computeQueueFamily = 0;

    // What options or environment switched off ("fp16", "subgroups", ...).
    std::vector<std::string> switchedOff;

    // Subgroup arithmetic in compute: what the *_subgroup shader variants need.
    bool subgroupReduce() const { return subgroupsInCompute && subgroupOps.basic && subgroupOps.arithmetic; }
};

struct DeviceOptions {
    std::string select;  // "" = best type; "N" = index; otherwise a name substring
    bool noFp16 = false;
    bool noInt8 = false;
    bool noIntDot = false;
    bool no16BitStorage = false;
    bool no8BitStorage = false;
    bool noSubgroups = false;
    bool noSubgroupSizeControl = false;
    bool noTexelBuffers = false;
    bool noRowTiles = false;
    bool noQkvFusion = false;
    bool noRopeFusion = false;
    bool noTailFusion = false;
    bool noBarrierTracking = false;
    uint64_t maxBindingBytes = 0;  // 0 = the device's maxStorageBufferRange
    // A cap on the device memory Facet may use per heap (0 = what the driver
    // reports free): leaves room for other programs, and lets tests reach the
    // out-of-memory paths on any device. FACET_VK_MEMORY_LIMIT.
    uint64_t memoryLimit = 0;
    // Fault injection for tests: the Nth submission of a command buffer whose
    // name starts with `loseDeviceOn` reports VK_ERROR_DEVICE_LOST as a
    // driver would after a reset. FACET_VK_FAULT_DEVICE_LOST="forward:3".
    std::string loseDeviceOn;
    uint32_t loseDeviceAtSubmit = 0;  // 0 = never
    // Kernel tuning for benchmarks (a GPU session sweeps these without a
    // rebuild): products that do not choose their own take them instead of
    // the device defaults. All zeros = the defaults. The ops check the fit.
    //   matMatTile  BM, BN, BK, TM, TN of mat_mat; FACET_VK_MATMAT_TILE="128x64x16x8x4"
    //   matVecShape invocations, rows, unroll of mat_vec; FACET_VK_MATVEC_SHAPE="64x4x1"
    //   matVecLayout mat_vec's layout: 0 the default, 1 groups, 2 lanes, 3 blocks
    //               (MatVecLayout); FACET_VK_MATVEC_LAYOUT=groups|lanes|blocks
    std::array<uint32_t, 5> matMatTile{};
    std::array<uint32_t, 3> matVecShape{};
    uint32_t matVecLayout = 0;
    bool useEnv = true;               // merge the FACET_DEVICE / FACET_VK_* variables above

    // These options with the environment merged in: switches OR, binding limit
    // the smaller, FACET_DEVICE used when `select` is empty. Unchanged when
    // !useEnv; an error for a malformed FACET_VK_MAX_BINDING_BYTES.
    Result<DeviceOptions> withEnv() const;
};

struct DeviceInfo {
    uint32_t index = 0;  // position in vkEnumeratePhysicalDevices
    VkPhysicalDevice physical = VK_NULL_HANDLE;
    DeviceCaps caps;      // as probed, nothing switched off
    bool usable = false;  // Vulkan 1.2+ with a compute queue
    std::string unusableReason;
    bool needsSubgroupSizeControlExtension = false;  // feature comes from VK_EXT_subgroup_size_control
    bool needsIntegerDotProductExtension = false;    // feature comes from VK_KHR_shader_integer_dot_product
};

// Every physical device with its capabilities. An error only when
// enumeration itself fails; zero devices is an empty list.
Result<std::vector<DeviceInfo>> listDevices(const Instance& instance);

// The capabilities a device created with `options` has: `probed` minus what
// is switched off, with maxStorageBufferRange lowered to maxBindingBytes.
DeviceCaps applyOptions(DeviceCaps probed, const DeviceOptions& options);

// Index into `devices` per `select` (see DeviceOptions). Only usable devices
// are chosen; the error lists what exists.
Result<size_t> chooseDevice(const std::vector<DeviceInfo>& devices, const std::string& select);

}  // namespace facet::vk
