#include "vulkan/vk_profiler.h"

#include <algorithm>

#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"

namespace facet::vk {

Result<std::unique_ptr<DispatchProfiler>> DispatchProfiler::create(Device& device, uint32_t capacity) {
    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device.physical(), &n, nullptr);
    std::vector<VkQueueFamilyProperties> families(n);
    vkGetPhysicalDeviceQueueFamilyProperties(device.physical(), &n, families.data());
    const uint32_t q = device.queueFamily();
    if (q >= n || families[q].timestampValidBits == 0 || device.caps().timestampPeriod <= 0.f)
        return errorf("%s: its compute queue has no timestamps to profile with", device.name().c_str());

    std::unique_ptr<DispatchProfiler> p(new DispatchProfiler());
    p->device_ = &device;
    p->capacity_ = std::max(capacity, 2u);
    const uint32_t bits = families[q].timestampValidBits;
    p->validMask_ = bits >= 64 ? ~0ull : (1ull << bits) - 1;
    p->nsPerTick_ = device.caps().timestampPeriod;
    auto ci = vkStruct<VkQueryPoolCreateInfo>(VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO);
    ci.queryType = VK_QUERY_TYPE_TIMESTAMP;
    ci.queryCount = p->capacity_;
    if (VkResult r = vkCreateQueryPool(device.handle(), &ci, nullptr, &p->pool_); r != VK_SUCCESS)
        return vkError("vkCreateQueryPool", "dispatch profiler", r);
    return p;
}

DispatchProfiler::~DispatchProfiler() {
    if (pool_ != VK_NULL_HANDLE) vkDestroyQueryPool(device_->handle(), pool_, nullptr);
}

void DispatchProfiler::begin(VkCommandBuffer cmd) {
    pending_.clear();
    vkCmdResetQueryPool(cmd, pool_, 0, capacity_);
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, pool_, 0);
}

void DispatchProfiler::mark(VkCommandBuffer cmd, const std::string& name, const std::string& label) {
    if (pending_.size() + 1 >= capacity_) {
        ++overflowed_;
        return;
    }
    pending_.push_back({name, label});
    vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, pool_, static_cast<uint32_t>(pending_.size()));
}

Status DispatchProfiler::collect() {
    if (pending_.empty()) return {};
    const uint32_t n = static_cast<uint32_t>(pending_.size()) + 1;
    std::vector<uint64_t> stamps(n);
    const VkResult r = vkGetQueryPoolResults(device_->handle(), pool_, 0, n, n * sizeof(uint64_t), stamps.data(),
                                             sizeof(uint64_t), VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
    if (r != VK_SUCCESS) return vkError("vkGetQueryPoolResults", "dispatch profiler", r);
    for (uint32_t i = 1; i < n; ++i) {
        const uint64_t ticks = (stamps[i] - stamps[i - 1]) & validMask_;
        const double ms = static_cast<double>(ticks) * nsPerTick_ * 1e-6;
        const Stamp& st = pending_[i - 1];
        auto add = [ms](Entry& e, const std::string& name) {
            e.name = name;
            e.ms += ms;
            ++e.count;
        };
        add(totals_[st.name], st.name);
        if (!st.label.empty()) add(labelTotals_[st.label], st.label);
    }
    pending_.clear();
    return {};
}

static std::vector<DispatchProfiler::Entry> sorted(const std::unordered_map<std::string, DispatchProfiler::Entry>& m) {
    std::vector<DispatchProfiler::Entry> v;
    v.reserve(m.size());
    for (const auto& [name, e] : m) v.push_back(e);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.ms > b.ms; });
    return v;
}

std::vector<DispatchProfiler::Entry> DispatchProfiler::totals() const { return sorted(totals_); }
std::vector<DispatchProfiler::Entry> DispatchProfiler::totalsByLabel() const { return sorted(labelTotals_); }

double DispatchProfiler::totalMs() const {
    double s = 0;
    for (const auto& [name, e] : totals_) s += e.ms;
    return s;
}

void DispatchProfiler::clear() {
    totals_.clear();
    labelTotals_.clear();
    overflowed_ = 0;
}

}  // namespace facet::vk
