#include "vulkan/ops/moe_router_op.h"

#include <algorithm>
#include <bit>

#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {
enum Binding : uint32_t { kLogits, kScale, kIds, kWeights, kBindingCount };
constexpr uint32_t kMaxK = 64;  // chosen[] in moe_router.comp
}  // namespace

Status dispatchMoeRouter(Cmd& cmd, const MoeRouterArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    if (a.nTok == 0 || a.nExperts == 0 || a.k == 0)
        return errorf("moe_router: empty shape (%u tokens, %u experts, k %u)", a.nTok, a.nExperts, a.k);
    if (a.k > a.nExperts || a.k > kMaxK) return errorf("moe_router: k %u must be <= %u experts and <= %u", a.k, a.nExperts, kMaxK);
    // prob[] lives in shared memory next to the 2 × WG reduction arrays.
    const uint64_t shared = uint64_t(a.nExperts) * 4 + 2 * kMaxK * 4;
    if (shared + 2 * 4 * 32 > caps.maxComputeSharedMemorySize)
        return errorf("moe_router: %u experts do not fit %u bytes of shared memory", a.nExperts,
                      caps.maxComputeSharedMemorySize);
    const uint32_t bySharedMem = static_cast<uint32_t>((caps.maxComputeSharedMemorySize - shared) / 8);
    const uint32_t wg = std::bit_floor(std::max(
        std::min({128u, caps.maxComputeWorkGroupInvocations, caps.maxComputeWorkGroupSize[0], bySharedMem}), 1u));
    struct Need {
        const char* name;
        const BufferSlice& s;
        uint64_t bytes;
    };
    const Need needs[] = {{"logits", a.logits, uint64_t(a.nTok) * a.nExperts * 4},
                          {"expert scale", a.expertScale, uint64_t(a.nExperts) * 4},
                          {"ids", a.ids, uint64_t(a.nTok) * a.k * 4},
                          {"weights", a.weights, uint64_t(a.nTok) * a.k * 4}};
    for (const Need& n : needs) {
        if (n.s.empty()) return errorf("moe_router: no %s buffer", n.name);
        if (n.s.size < n.bytes)
            return errorf("moe_router: %s needs %llu bytes, the range has %llu", n.name,
                          static_cast<unsigned long long>(n.bytes), static_cast<unsigned long long>(n.s.size));
    }
    if (a.nTok > caps.maxComputeWorkGroupCount[0]) return errorf("moe_router: %u tokens exceed the dispatch limit", a.nTok);

    PipelineDesc desc;
    desc.shader = "moe_router";
    desc.spec = {SpecConstant::u32(0, wg), SpecConstant::u32(1, a.nExperts)};
    desc.pushBytes = sizeof(MoeRouterPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));
    FACET_TRY(cmd.bind(*pipe, {a.logits, a.expertScale, a.ids, a.weights}));
    MoeRouterPush p{a.nTok, a.k, 0, 0};
    FACET_TRY(cmd.push(p));
    return cmd.dispatch(a.nTok);
}

}  // namespace facet::vk
