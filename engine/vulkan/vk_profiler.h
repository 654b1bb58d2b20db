// GPU time per shader from timestamp queries: where a decode step's time
// goes on a real GPU (facet-bench --profile). A Cmd with a profiler writes a
// timestamp after every dispatch; the time between two stamps is charged to
// the pipeline dispatched between them (barrier waits included). Off unless
// asked for: the stamps serialize a little.
//
//   FACET_ASSIGN(auto prof, DispatchProfiler::create(device));
//   cmd.setProfiler(prof.get());   // stamps from the next begin()
//   ... record, submitAndWait() ...  (Cmd collects after each wait)
//   for (auto& e : prof->totals()) printf("%s %.3f ms\n", e.name.c_str(), e.ms);
#pragma once

#include <volk.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace facet::vk {

class Device;

class DispatchProfiler {
public:
    struct Entry {
        std::string name;     // the pipeline's shader name, e.g. "mat_vec_q4_0_subgroup"
        double ms = 0;        // summed over every collected submission
        uint64_t count = 0;   // dispatches
    };

    // `capacity`: stamps per submission; dispatches past it go unmeasured
    // (counted in overflowed()). Fails where the compute queue has no timestamps.
    static Result<std::unique_ptr<DispatchProfiler>> create(Device& device, uint32_t capacity = 16384);
    ~DispatchProfiler();
    DispatchProfiler(const DispatchProfiler&) = delete;
    DispatchProfiler& operator=(const DispatchProfiler&) = delete;

    // Recording side (Cmd calls these): reset + first stamp, then one stamp
    // per dispatch; `label` (may be empty) names what the dispatch works on,
    // e.g. the weight of a product ("ffn_up"), for totalsByLabel().
    void begin(VkCommandBuffer cmd);
    void mark(VkCommandBuffer cmd, const std::string& name, const std::string& label = {});
    // After the submission's fence: reads the stamps and adds them to the totals.
    Status collect();

    std::vector<Entry> totals() const;         // per shader, most time first
    std::vector<Entry> totalsByLabel() const;  // per label (labelled dispatches only), most time first
    double totalMs() const;
    uint64_t overflowed() const { return overflowed_; }
    void clear();

private:
    DispatchProfiler() = default;
    Device* device_ = nullptr;
    VkQueryPool pool_ = VK_NULL_HANDLE;
    uint32_t capacity_ = 0;
    uint64_t validMask_ = ~0ull;
    double nsPerTick_ = 1.0;
    struct Stamp {
        std::string name, label;
    };
    std::vector<Stamp> pending_;  // the stamped dispatches, in order
    std::unordered_map<std::string, Entry> totals_, labelTotals_;
    uint64_t overflowed_ = 0;
};

}  // namespace facet::vk
