// The Vulkan instance (API 1.2 or newer), optionally with the Khronos
// validation layer and a VK_EXT_debug_utils messenger whose messages are kept
// in a ValidationLog so tests can assert that none arrived.
#pragma once

#include <volk.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet::vk {

struct InstanceOptions {
    // VK_LAYER_KHRONOS_validation + messenger. Also on when FACET_VK_VALIDATION
    // is "1" (or "sync") and useEnv is set. Asking for it without the layer
    // installed is an error, not a silent downgrade.
    bool validation = false;
    // Adds the layer's synchronization validation (missing barriers, hazards);
    // implies validation. Also on with FACET_VK_VALIDATION=sync.
    bool synchronizationValidation = false;
    bool useEnv = true;
    std::string appName = "Facet";
};

// Messages of warning or error severity from the validation layer (and the
// loader), counted and kept. Thread-safe: the layer calls from any thread.
class ValidationLog {
public:
    enum class Severity { Warning, Error };
    void add(Severity s, std::string text);
    int warnings() const;
    int errors() const;
    int count() const { return warnings() + errors(); }
    // At most the first kKept messages, each "error: <text>" / "warning: <text>".
    std::vector<std::string> messages() const;
    // The first `max` messages on separate lines; "" when there are none.
    std::string summary(size_t max = 5) const;
    void clear();

    static constexpr size_t kKept = 256;

private:
    mutable std::mutex mu_;
    int warnings_ = 0;
    int errors_ = 0;
    std::vector<std::string> messages_;
};

// An anchor object: devices keep a reference to it, so it is neither copied
// nor moved; it lives behind the unique_ptr its factory returns and must
// outlive every Device made from it.
class Instance {
public:
    static Result<std::unique_ptr<Instance>> create(const InstanceOptions& options = {});
    ~Instance();
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    VkInstance handle() const { return instance_; }
    // The version passed as VkApplicationInfo::apiVersion (1.2 or 1.3).
    uint32_t apiVersion() const { return apiVersion_; }
    bool validationEnabled() const { return messenger_ != VK_NULL_HANDLE; }
    // Empty (and stays empty) when validation is off.
    ValidationLog& validation() { return *log_; }
    const ValidationLog& validation() const { return *log_; }

private:
    Instance() = default;

    VkInstance instance_ = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
    // Per-instance: volk's globals follow the last instance loaded, which may
    // not have enabled debug utils.
    PFN_vkDestroyDebugUtilsMessengerEXT destroyMessenger_ = nullptr;
    uint32_t apiVersion_ = 0;
    std::unique_ptr<ValidationLog> log_ = std::make_unique<ValidationLog>();
};

}  // namespace facet::vk
