// Kernel shapes measured on this device, per problem: what the kernel tuner
// (ops/mat_vec_tuner.h) found fastest for, say, a Q4_0 product of 6144 rows
// of 1536 columns, which the ops then use instead of their built-in
// defaults. A GPU we never measured picks its own shapes this way.
//
// The choices persist in one text file shared by every device of the
// machine, one line per (device, problem):
//   <device id> <problem key> = <numbers>
// The device id names the device, its driver version, the switched-off
// features and a hash of the embedded SPIR-V, so a driver update or a new
// build measures again. Lines of other devices are kept on save; a line
// that does not parse is dropped (counted), never trusted: the ops also
// re-check every shape against the device before using it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "vulkan/vk_device_info.h"

namespace facet::vk {

// "<vendor>:<device>:<driver version>:<subgroup size>:<switched off>:<spirv hash>:<name>",
// with no white space (spaces in the name become '_').
std::string kernelDeviceId(const DeviceCaps& caps);

// $XDG_CACHE_HOME/facet/kernel-choices.txt, else ~/.cache/facet/...; "" when
// neither variable is set.
std::string defaultKernelChoicesPath();

class KernelChoices {
public:
    explicit KernelChoices(std::string deviceId) : deviceId_(std::move(deviceId)) {}

    const std::string& deviceId() const { return deviceId_; }

    // This device's numbers for `key`, if measured or loaded.
    std::optional<std::vector<uint32_t>> find(const std::string& key) const;
    void set(const std::string& key, std::vector<uint32_t> numbers);
    size_t size() const;
    // No choices (the ops then skip the key formatting: decode records ~500 products per step).
    bool empty() const { return count_.load(std::memory_order_relaxed) == 0; }

    struct LoadReport {
        size_t loaded = 0;     // this device's lines taken
        size_t otherDevices = 0;
        size_t malformed = 0;  // lines dropped
    };
    // Merges the file's lines for this device (a missing file loads nothing;
    // an unreadable one is an error).
    Result<LoadReport> load(const std::string& path);
    // Writes this device's choices, after the other devices' lines read
    // from the file now, through a temporary file renamed over it (a
    // crash leaves the old file or the new one, never half of one); creates
    // the directory.
    Status save(const std::string& path) const;

private:
    std::string deviceId_;
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<uint32_t>> choices_;
    std::atomic<size_t> count_{0};
};

}  // namespace facet::vk
