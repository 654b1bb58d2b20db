#include "runtime/vulkan_backend.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "vulkan/ops/product_tuner.h"
#include "vulkan/vk_kernel_choices.h"
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
    fo.minBatch = o.minBatch;
    // FACET_VK_RECORD_AHEAD=0: each decode step records when it comes (an A/B switch for benchmarks).
    if (const char* v = std::getenv("FACET_VK_RECORD_AHEAD"); v && std::strcmp(v, "0") == 0) fo.recordAhead = false;
    FACET_ASSIGN(b->fwd_, vk::VkForward::create(*b->device_, model, *b->weights_, fo));
    b->tuneKernels(o);
    // A tuner failure leaves the defaults, but a lost device is lost for the pass too.
    if (b->device_->lost()) return errorf("%s: %s", b->device_->name().c_str(), b->tuning_.message.c_str());
    return b;
}

// Loads this device's choices, measures the decode products that have none
// and saves them. Never fails the load: a tuner error leaves the defaults
// (and says so in the message).
void VulkanBackend::tuneKernels(const VulkanBackendOptions& o) {
    KernelTuning& t = tuning_;
    int tune = o.tune;
    if (const char* v = std::getenv("FACET_VK_TUNE"); v && *v) tune = std::strcmp(v, "0") == 0 ? 0 : 1;
    if (tune < 0) tune = device_->caps().type == vk::DeviceType::Cpu ? 0 : 1;
    if (tune == 0) {
        t.message = "kernel tuner: off (default shapes)";
        return;
    }
    t.ran = true;
    const std::string path = o.kernelChoicesPath ? *o.kernelChoicesPath : vk::defaultKernelChoicesPath();
    std::string notes;
    if (!path.empty()) {
        if (auto loaded = device_->kernelChoices().load(path); loaded.ok()) {
            t.loaded = loaded->loaded;
            if (loaded->malformed) notes += "; dropped " + std::to_string(loaded->malformed) + " unreadable line(s)";
        } else {
            notes += "; " + loaded.message();
        }
    }
    vk::ProductLog log;
    auto report = [&]() -> Result<vk::ProductTuneReport> {
        FACET_TRY(fwd_->logProducts(log));
        vk::ProductTuneOptions to;
        to.onMeasure = o.tuning;
        to.budgetSeconds = o.tuneBudgetSeconds;
        if (const char* v = std::getenv("FACET_VK_TUNE_BUDGET"); v && *v) to.budgetSeconds = std::max(0.0, std::atof(v));
        to.maxCandidates = o.tuneMaxCandidates;
        if (const char* v = std::getenv("FACET_VK_TUNE_CANDIDATES"); v && *v)
            to.maxCandidates = static_cast<uint32_t>(std::max(0, std::atoi(v)));
        return vk::tuneProducts(*device_, log, to);
    }();
    if (!report.ok()) {
        t.message = "kernel tuner failed, default shapes kept: " + report.message() + notes;
        return;
    }
    const vk::ProductTuneReport& r = report.value();
    t.problems = r.problems;
    t.measured = r.tuned;
    t.changed = r.changed;
    t.defaultMs = r.defaultMs;
    t.chosenMs = r.chosenMs;
    t.seconds = r.seconds;
    if (r.tuned && !path.empty())
        if (Status s = device_->kernelChoices().save(path); !s.ok()) notes += "; not saved: " + s.message();
    char line[256];
    if (r.tuned)
        std::snprintf(line, sizeof line,
                      "kernel tuner: %zu products, %zu measured in %.1f s (%zu left the default: %.3f -> %.3f ms "
                      "per prefill chunk and decode step), %zu known%s",
                      r.problems, r.tuned, r.seconds, r.changed, r.defaultMs, r.chosenMs, r.known,
                      r.trimmed ? ", fewer candidates for the time budget" : "");
    else
        std::snprintf(line, sizeof line, "kernel tuner: %zu products, all known", r.problems);
    t.message = line + (path.empty() ? std::string() : " (" + path + ")") + notes;
}

Status VulkanBackend::forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) {
    return fwd_->forward(tokens, allLogits, logits);
}
Status VulkanBackend::forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                                  std::vector<float>& values) {
    return fwd_->forwardTopK(tokens, k, ids, values);
}
Status VulkanBackend::forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected,
                                      bool allLogits, std::vector<float>& logits) {
    return fwd_->forwardInjected(tokens, injected, allLogits, logits);
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

DecodeRecordStats VulkanBackend::decodeRecordStats() const { return fwd_->decodeRecordStats(); }
void VulkanBackend::resetDecodeRecordStats() { fwd_->resetDecodeRecordStats(); }

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
