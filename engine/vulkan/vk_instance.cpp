#include "vulkan/vk_instance.h"

#include <cstdlib>
#include <cstring>

#include "vulkan/vk_error.h"
#include "vulkan/vk_loader.h"

namespace facet::vk {

namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

// volk keeps its function pointers in globals; loading them for two instances
// at once would race.
std::mutex gVolkMutex;

VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                         VkDebugUtilsMessageTypeFlagsEXT /*types*/,
                                         const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
    auto* log = static_cast<ValidationLog*>(user);
    const std::string text = data && data->pMessage ? data->pMessage : "(no text)";
    log->add(severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? ValidationLog::Severity::Error
                                                                       : ValidationLog::Severity::Warning,
             text);
    return VK_FALSE;  // never abort the call: the log is the report
}

VkDebugUtilsMessengerCreateInfoEXT messengerInfo(ValidationLog* log) {
    VkDebugUtilsMessengerCreateInfoEXT info{};
    info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT;
    info.messageSeverity =
        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    info.pfnUserCallback = onMessage;
    info.pUserData = log;
    return info;
}

bool hasLayer(const char* name) {
    uint32_t n = 0;
    if (vkEnumerateInstanceLayerProperties(&n, nullptr) != VK_SUCCESS) return false;
    std::vector<VkLayerProperties> layers(n);
    if (vkEnumerateInstanceLayerProperties(&n, layers.data()) != VK_SUCCESS) return false;
    for (const auto& l : layers)
        if (std::strcmp(l.layerName, name) == 0) return true;
    return false;
}

bool hasInstanceExtension(const char* layer, const char* name) {
    uint32_t n = 0;
    if (vkEnumerateInstanceExtensionProperties(layer, &n, nullptr) != VK_SUCCESS) return false;
    std::vector<VkExtensionProperties> exts(n);
    if (vkEnumerateInstanceExtensionProperties(layer, &n, exts.data()) != VK_SUCCESS) return false;
    for (const auto& e : exts)
        if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
}

}  // namespace

// --- ValidationLog -------------------------------------------------------------

void ValidationLog::add(Severity s, std::string text) {
    std::lock_guard lock(mu_);
    (s == Severity::Error ? errors_ : warnings_)++;
    if (messages_.size() < kKept) messages_.push_back((s == Severity::Error ? "error: " : "warning: ") + text);
}

int ValidationLog::warnings() const {
    std::lock_guard lock(mu_);
    return warnings_;
}

int ValidationLog::errors() const {
    std::lock_guard lock(mu_);
    return errors_;
}

std::vector<std::string> ValidationLog::messages() const {
    std::lock_guard lock(mu_);
    return messages_;
}

std::string ValidationLog::summary(size_t max) const {
    std::lock_guard lock(mu_);
    std::string s;
    for (size_t i = 0; i < messages_.size() && i < max; ++i) s += messages_[i] + "\n";
    if (messages_.size() > max) s += "... " + std::to_string(messages_.size() - max) + " more\n";
    return s;
}

void ValidationLog::clear() {
    std::lock_guard lock(mu_);
    warnings_ = errors_ = 0;
    messages_.clear();
}

// --- Instance ------------------------------------------------------------------

Result<std::unique_ptr<Instance>> Instance::create(const InstanceOptions& options) {
    FACET_TRY(loadVulkan());

    bool validation = options.validation || options.synchronizationValidation;
    bool syncValidation = options.synchronizationValidation;
    if (options.useEnv) {
        if (const char* v = std::getenv("FACET_VK_VALIDATION")) {
            const std::string s = v;
            if (s == "sync")
                validation = syncValidation = true;
            else if (!s.empty() && s != "0")
                validation = true;
        }
    }

    std::unique_ptr<Instance> inst(new Instance());
    inst->apiVersion_ = loaderApiVersion() >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : VK_API_VERSION_1_2;

    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    if (validation) {
        if (!hasLayer(kValidationLayer))
            return errorf("Vulkan validation was requested but %s is not installed (Debian: vulkan-validationlayers)",
                          kValidationLayer);
        layers.push_back(kValidationLayer);
        if (!hasInstanceExtension(nullptr, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) &&
            !hasInstanceExtension(kValidationLayer, VK_EXT_DEBUG_UTILS_EXTENSION_NAME))
            return errorf("Vulkan validation was requested but %s is missing", VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
        if (syncValidation) {
            if (!hasInstanceExtension(kValidationLayer, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME))
                return errorf("synchronization validation needs %s from %s", VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME,
                              kValidationLayer);
            extensions.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
        }
    }

    VkApplicationInfo app{};
    app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
    app.pApplicationName = options.appName.c_str();
    app.applicationVersion = VK_MAKE_API_VERSION(0, 0, 1, 0);
    app.pEngineName = "Facet";
    app.engineVersion = VK_MAKE_API_VERSION(0, 0, 1, 0);
    app.apiVersion = inst->apiVersion_;

    // Chained so that messages from vkCreateInstance/vkDestroyInstance are caught too.
    VkDebugUtilsMessengerCreateInfoEXT dbg = messengerInfo(inst->log_.get());
    const VkValidationFeatureEnableEXT syncFeature = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
    VkValidationFeaturesEXT features{};
    features.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT;
    features.enabledValidationFeatureCount = 1;
    features.pEnabledValidationFeatures = &syncFeature;
    if (syncValidation) dbg.pNext = &features;

    VkInstanceCreateInfo ci{};
    ci.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
    ci.pNext = validation ? &dbg : nullptr;
    ci.pApplicationInfo = &app;
    ci.enabledLayerCount = static_cast<uint32_t>(layers.size());
    ci.ppEnabledLayerNames = layers.data();
    ci.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    ci.ppEnabledExtensionNames = extensions.data();
    if (VkResult r = vkCreateInstance(&ci, nullptr, &inst->instance_); r != VK_SUCCESS) {
        Error e = vkError("vkCreateInstance",
                          "Vulkan " + apiVersionText(inst->apiVersion_) + (validation ? ", validation" : ""), r);
        if (r == VK_ERROR_INCOMPATIBLE_DRIVER)
            e.message +=
                " (Vulkan is not available: the loader found no driver; install one, e.g. mesa-vulkan-drivers)";
        return e;
    }
    {
        std::lock_guard lock(gVolkMutex);
        volkLoadInstance(inst->instance_);
    }

    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(inst->instance_, "vkCreateDebugUtilsMessengerEXT"));
        inst->destroyMessenger_ = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(inst->instance_, "vkDestroyDebugUtilsMessengerEXT"));
        if (!create || !inst->destroyMessenger_)
            return errorf("vkGetInstanceProcAddr(vkCreateDebugUtilsMessengerEXT): not found");
        VkDebugUtilsMessengerCreateInfoEXT mi = messengerInfo(inst->log_.get());
        if (VkResult r = create(inst->instance_, &mi, nullptr, &inst->messenger_); r != VK_SUCCESS)
            return vkError("vkCreateDebugUtilsMessengerEXT", "validation log", r);
    }
    return inst;
}

Instance::~Instance() {
    if (messenger_ != VK_NULL_HANDLE) destroyMessenger_(instance_, messenger_, nullptr);
    if (instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
}

}  // namespace facet::vk
