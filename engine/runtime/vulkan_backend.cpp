#include "runtime/vulkan_backend.h"

#include "vulkan/forward/vk_forward.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"
#include "vulkan/vk_loader.h"
#include "vulkan/vk_profiler.h"
#include "vulkan/vk_weights.h"

namespace facet {

VulkanBackend::~VulkanBackend() {
    // Order matters: the pass and weights hold device objects.
    fwd_.reset();
    profiler_.reset();
    weights_.reset();
    device_.reset();
    instance_.reset();
}

Result<std::unique_ptr<VulkanBackend>> VulkanBackend::create(const Model& model, const VulkanBackendOptions& o) {
    std::unique_ptr<VulkanBackend> b(new VulkanBackend());
    FACET_TRY(vk::loadVulkan());
    FACET_ASSIGN(b->instance_, vk::Instance::create());
    vk::DeviceOptions dopt;
    dopt.select = o.device;
    FACET_ASSIGN(b->device_, vk::Device::create(*b->instance_, dopt));
    vk::WeightUploadOptions wo;
    wo.progress = o.progress;
    FACET_ASSIGN(b->weights_, vk::DeviceWeights::upload(*b->device_, model, wo));
    vk::VkForwardOptions fo;
    fo.maxContext = o.maxContext;
    fo.maxBatch = o.maxBatch;
    FACET_ASSIGN(b->fwd_, vk::VkForward::create(*b->device_, model, *b->weights_, fo));
    return b;
}

Status VulkanBackend::forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) {
    return fwd_->forward(tokens, allLogits, logits);
}
Status VulkanBackend::forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                                  std::vector<float>& values) {
    return fwd_->forwardTopK(tokens, k, ids, values);
}
int VulkanBackend::nPast() const { return fwd_->nPast(); }
int VulkanBackend::maxContext() const { return fwd_->maxContext(); }
bool VulkanBackend::rewind(int pos) { return fwd_->rewind(pos); }
void VulkanBackend::reset() { fwd_->reset(); }
bool VulkanBackend::lost() const { return device_->lost(); }
const std::string& VulkanBackend::deviceName() const { return device_->name(); }
Status VulkanBackend::enableProfiling() {
    if (!profiler_) {
        FACET_ASSIGN(profiler_, vk::DispatchProfiler::create(*device_));
    }
    fwd_->setProfiler(profiler_.get());
    return {};
}

uint64_t VulkanBackend::deviceBytes() const { return weights_->deviceBytes() + fwd_->deviceBytes(); }

bool vulkanDeviceAvailable(std::string* why) {
    auto fail = [&](const std::string& m) {
        if (why) *why = m;
        return false;
    };
    if (Status s = vk::loadVulkan(); !s.ok()) return fail(s.message());
    auto inst = vk::Instance::create();
    if (!inst.ok()) return fail(inst.message());
    auto list = vk::listDevices(*inst.value());
    if (!list.ok()) return fail(list.message());
    for (const vk::DeviceInfo& d : list.value())
        if (d.usable) return true;
    return fail(list.value().empty() ? "no Vulkan device" : "no Vulkan 1.2 device with a compute queue");
}

}  // namespace facet
