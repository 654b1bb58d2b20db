#include "vulkan/ops/mat_vec_op.h"

#include <algorithm>
#include <bit>
#include <string>

#include "vulkan/ops/product_args.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

// Binding order of mat_vec.comp.
enum Binding : uint32_t { kWeight, kX, kY, kBindingCount };


}  // namespace

uint32_t matVecRowsPerGroup(const DeviceCaps& c, uint64_t matrixRows) {
    if (c.type == DeviceType::Cpu) return 8;
    return matrixRows >= 4096 ? 4 : 2;
}

// Invocations per workgroup by default: 64 (a row of 1536 Q4_0 values is 192
// groups of 8, three per invocation), lowered to the device's limits and to a
// power of two (the shared-memory tree needs one) whose reduction array fits
// shared memory.
Result<MatVecShape> matVecShape(const DeviceCaps& c, uint32_t nTok, MatVecShape s, uint64_t matrixRows) {
    nTok = std::max(nTok, 1u);
    if (s.rows == 0) s.rows = matVecRowsPerGroup(c, matrixRows);
    if (s.unroll == 0) s.unroll = 1;
    const uint32_t sharedLimit = c.maxComputeSharedMemorySize / (4u * nTok * s.rows);
    const uint32_t limit = std::min({c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0], sharedLimit});
    if (s.wgSize == 0) s.wgSize = std::bit_floor(std::max(std::min(64u, limit), 1u));
    if (s.wgSize > limit || !std::has_single_bit(s.wgSize) || s.rows > 16 || s.unroll > 8)
        return errorf("mat_vec: workgroup shape %u invocations x %u rows x %u unroll does not fit %s (at most %u "
                      "invocations for %u tokens, a power of two; rows <= 16, unroll <= 8)",
                      s.wgSize, s.rows, s.unroll, c.name.c_str(), limit, nTok);
    return s;
}

const char* shaderTypeStem(GgmlType t) {
    switch (t) {
        case GgmlType::F32: return "f32";
        case GgmlType::F16: return "f16";
        case GgmlType::BF16: return "bf16";
        case GgmlType::Q8_0: return "q8_0";
        case GgmlType::Q4_0: return "q4_0";
        case GgmlType::Q4_1: return "q4_1";
        case GgmlType::Q5_0: return "q5_0";
        case GgmlType::Q5_1: return "q5_1";
        case GgmlType::Q4_K: return "q4_k";
        case GgmlType::Q5_K: return "q5_k";
        case GgmlType::Q6_K: return "q6_k";
        default: return "";
    }
}

Status dispatchMatVec(Cmd& cmd, const MatVecArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    const std::string stem = shaderTypeStem(a.type);
    if (stem.empty()) return errorf("mat_vec: weight type %s has no shader", typeName(a.type).c_str());
    if (a.cols == 0 || a.rowEnd <= a.rowBegin)
        return errorf("mat_vec: %u columns, rows [%u, %u) is empty", a.cols, a.rowBegin, a.rowEnd);
    if (a.nTok == 0 || a.nTok > kMatVecMaxTokens)
        return errorf("mat_vec: %u vectors, expected 1..%u", a.nTok, kMatVecMaxTokens);
    FACET_ASSIGN(const ProductShape ps, checkProductArgs("mat_vec", a.weight, a.type, a.cols, a.rowBegin, a.rowEnd, a.x, a.y,
                                                       a.xStride, a.yStride, a.nTok));
    const uint64_t rb = ps.rowBytes, xFloats = ps.xFloats, yFloats = ps.yFloats;
    const uint32_t rows = ps.rows, xStride = ps.xStride, yStride = ps.yStride;
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t limit = caps.maxStorageBufferRange;
    const FloatWindow x = floatWindow(a.x, a.x.offset, xFloats, align);
    const FloatWindow y = floatWindow(a.y, a.y.offset, yFloats, align);
    if (x.bind.size > limit || y.bind.size > limit)
        return errorf("mat_vec: x (%llu bytes) or y (%llu bytes) exceeds a %llu-byte storage binding",
                      static_cast<unsigned long long>(x.bind.size), static_cast<unsigned long long>(y.bind.size),
                      static_cast<unsigned long long>(limit));

    FACET_ASSIGN(const uint64_t windowRows, weightWindowRows("mat_vec", rb, limit, align));

    FACET_ASSIGN(const MatVecShape shape, matVecShape(caps, a.nTok, a.shape, rows));
    const uint32_t kRowsPerGroup = shape.rows;
    PipelineDesc desc;
    desc.shader = "mat_vec_" + stem + (caps.subgroupReduce() ? "_subgroup" : "");
    desc.spec = {SpecConstant::u32(0, shape.wgSize), SpecConstant::u32(1, shape.rows), SpecConstant::u32(2, a.nTok),
                 SpecConstant::u32(3, shape.unroll)};
    desc.pushBytes = sizeof(MatVecPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    const uint32_t maxX = caps.maxComputeWorkGroupCount[0];
    for (uint64_t r0 = 0; r0 < rows; r0 += windowRows) {
        const uint64_t k = std::min<uint64_t>(windowRows, rows - r0);
        // Every window binds all of y (its rows interleave with the other
        // windows' per token): order the writes, which the synchronization
        // validation rightly flags at binding-range level otherwise. Only
        // tensors beyond maxStorageBufferRange split (LM heads on small-limit devices).
        if (r0 > 0) cmd.computeBarrier();
        const WeightWindow w = weightWindow(a.weight, a.rowBegin + r0, k, rb, align);
        FACET_TRY(cmd.bind(*pipe, {w.bind, x.bind, y.bind}));
        MatVecPush p{};
        p.rows = static_cast<uint32_t>(k);
        p.cols = a.cols;
        p.rowBytes = static_cast<uint32_t>(rb);
        p.wByteOffset = w.byteOffset;
        p.xOffset = x.elemOffset;
        p.xStride = xStride;
        p.yOffset = y.elemOffset + static_cast<uint32_t>(r0);
        p.yStride = yStride;
        p.accumulate = a.accumulate ? 1u : 0u;
        FACET_TRY(cmd.push(p));
        const uint64_t groups = (k + kRowsPerGroup - 1) / kRowsPerGroup;
        const uint32_t gx = static_cast<uint32_t>(std::min<uint64_t>(groups, maxX));
        FACET_TRY(cmd.dispatch(gx, static_cast<uint32_t>((groups + gx - 1) / gx)));
    }
    return {};
}

}  // namespace facet::vk
