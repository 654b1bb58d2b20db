#include "vulkan/ops/mat_vec_op.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <optional>
#include <string>

#include "vulkan/ops/product_args.h"
#include "vulkan/ops/product_log.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_kernel_choices.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

// Binding order of mat_vec.comp and mat_vec_lanes.comp (kUp: GLU 2's
// values, bound to y's range when unused; then the tail's six, TailBinding).
enum Binding : uint32_t { kWeight, kX, kY, kUp, kTail, kBindingCount = kTail + 6 };

std::array<BufferSlice, kBindingCount> bindings(const BufferSlice& w, const BufferSlice& x, const BufferSlice& y,
                                                const BufferSlice& u, const TailBinding& tail) {
    std::array<BufferSlice, kBindingCount> b{w, x, y, u};
    std::copy(tail.binds.begin(), tail.binds.end(), b.begin() + kTail);
    return b;
}

// The spec constant TAIL (common/mat_vec_tail.glsl).
constexpr uint32_t kTailSpecId = 8;

// The GLU spec constant: 0 plain, 1 pair rows, 2 up values.
uint32_t gluMode(const MatVecArgs& a) { return !a.pair.empty() ? 1u : !a.upValues.empty() ? 2u : 0u; }

// Floats between vectors of the up values (0 = the rows).
uint32_t upStrideOf(const MatVecArgs& a, const ProductShape& ps) { return a.upStride ? a.upStride : ps.rows; }

// The up values' binding and float offset, checked (long enough, not
// overlapping y, one binding, no accumulate), or y's range when there are none.
Result<FloatWindow> upWindow(const MatVecArgs& a, const ProductShape& ps, const FloatWindow& y, uint64_t align,
                             uint64_t limit) {
    if (a.upValues.empty()) return y;
    if (!a.pair.empty()) return errorf("mat_vec: GLU mode takes up rows or up values, not both");
    const uint32_t stride = upStrideOf(a, ps);
    const uint64_t floats = uint64_t(a.nTok - 1) * stride + ps.rows;
    if (stride < ps.rows || a.upValues.size < floats * 4 || a.accumulate)
        return errorf("mat_vec: up values need a stride of at least %u floats, %llu bytes (have stride %u, %llu "
                      "bytes) and no accumulate",
                      ps.rows, static_cast<unsigned long long>(floats * 4), stride,
                      static_cast<unsigned long long>(a.upValues.size));
    if (slicesOverlap(BufferSlice{a.upValues.buffer, a.upValues.offset, floats * 4},
                      BufferSlice{a.y.buffer, a.y.offset, ps.yFloats * 4}))
        return errorf("mat_vec: the up values overlap y");
    const FloatWindow u = floatWindow(a.upValues, a.upValues.offset, floats, align);
    if (u.bind.size > limit)
        return errorf("mat_vec: the up values (%llu bytes) exceed a %llu-byte storage binding",
                      static_cast<unsigned long long>(u.bind.size), static_cast<unsigned long long>(limit));
    return u;
}

MatVecPush makePush(const MatVecArgs& a, const ProductShape& ps, const WeightWindow& w, uint32_t xOffset,
                    uint32_t yOffset, uint64_t rows, uint32_t uOffset) {
    MatVecPush p{};
    p.rows = static_cast<uint32_t>(rows);
    p.cols = a.cols;
    p.rowBytes = static_cast<uint32_t>(ps.rowBytes);
    p.wByteOffset = w.byteOffset;
    p.xOffset = xOffset;
    p.xStride = ps.xStride;
    p.yOffset = yOffset;
    p.yStride = ps.yStride;
    p.accumulate = a.accumulate ? 1u : 0u;
    p.pairBytes = a.pair.empty() ? 0u : static_cast<uint32_t>(a.pair.offset - a.weight.offset);
    p.uOffset = uOffset;
    p.uStride = upStrideOf(a, ps);
    return p;
}

// GLU mode: `w` (the window of W's rows) extended to the end of P's rows.
WeightWindow withPair(WeightWindow w, const MatVecArgs& a, uint64_t rowBytes) {
    if (a.pair.empty()) return w;
    const uint64_t end = a.pair.offset + uint64_t(a.rowEnd) * rowBytes;
    w.bind.size = (end - w.bind.offset + 3) / 4 * 4;
    return w;
}

// `groups` workgroups as a 2-D grid within maxComputeWorkGroupCount[0]
// columns (the shaders flatten y * numX + x).
Status dispatchGroups(Cmd& cmd, uint64_t groups) {
    const uint32_t maxX = cmd.device().caps().maxComputeWorkGroupCount[0];
    const uint32_t gx = static_cast<uint32_t>(std::min<uint64_t>(groups, maxX));
    return cmd.dispatch(gx, static_cast<uint32_t>((groups + gx - 1) / gx));
}

// The SIMD width the lanes layout assumes: the subgroup size llvmpipe
// reports (8 with AVX2, 4 without), 8 where none is reported.
uint32_t lanesWidth(const DeviceCaps& c) { return c.subgroupSize >= 4 && c.subgroupSize <= 64 ? c.subgroupSize : 8; }

// The lanes dispatches' weight views, in runs of whole tiles (rows one
// after another count as tiles of one row): each from the tile holding its
// first row, bound at an aligned start, to the end of the tile holding its
// last (GLU: P's last), in whole texels, plus `pastEnd` bytes. Empty when a
// view would reach past the buffer.
struct LaneWindow {
    WeightWindow w;
    uint32_t first = 0, rows = 0;  // rows [first, first + rows) of the dispatch's rows
    uint32_t rowShift = 0;         // row-interleaved: the first row's place in its tile
};

Result<std::vector<LaneWindow>> laneWindows(const MatVecArgs& a, const ProductShape& ps, uint64_t texel,
                                            uint64_t pastEnd, uint64_t align, uint64_t limit) {
    const uint64_t R = std::max(a.tileRows, 1u), rb = ps.rowBytes, tileBytes = R * rb;
    const uint64_t pairBytes = a.pair.empty() ? 0 : a.pair.offset - a.weight.offset;
    if (a.tileRows && (rb % 16 || a.weight.offset % 16 || pairBytes % 16))
        return errorf("mat_vec: row-interleaved weights need 16-byte rows and starts (rows of %llu bytes)",
                      static_cast<unsigned long long>(rb));
    const uint64_t slack = (align - 1) + (texel - 1) + pastEnd;
    const uint64_t tilesPerWindow = limit > slack ? (limit - slack) / tileBytes : 0;
    if (tilesPerWindow == 0)
        return errorf("mat_vec: %llu row(s) of %llu bytes do not fit a %llu-byte texel view",
                      static_cast<unsigned long long>(R), static_cast<unsigned long long>(rb),
                      static_cast<unsigned long long>(limit));
    std::vector<LaneWindow> out;
    const uint64_t end = uint64_t(a.rowBegin) + ps.rows;
    for (uint64_t f = a.rowBegin; f < end;) {
        const uint64_t tile0 = f / R * R;
        const uint64_t e = std::min(end, tile0 + tilesPerWindow * R);
        const uint64_t start = a.weight.offset + tile0 * rb;
        const uint64_t bindStart = start / align * align;
        const uint64_t last = a.weight.offset + pairBytes + (e + R - 1) / R * R * rb;  // past the last row's tile
        const uint64_t size = (last - bindStart + texel - 1) / texel * texel + pastEnd;
        if (bindStart + size > a.weight.buffer->size()) return std::vector<LaneWindow>{};
        if (size > limit)  // (GLU: matVecCanPair keeps W and P in one view)
            return errorf("mat_vec: rows [%llu, %llu) with their up rows exceed a %llu-byte texel view",
                          static_cast<unsigned long long>(f), static_cast<unsigned long long>(e),
                          static_cast<unsigned long long>(limit));
        out.push_back({{BufferSlice{a.weight.buffer, bindStart, size}, static_cast<uint32_t>(start - bindStart)},
                       static_cast<uint32_t>(f - a.rowBegin), static_cast<uint32_t>(e - f),
                       static_cast<uint32_t>(f - tile0)});
        f = e;
    }
    return out;
}

// mat_vec_lanes.comp (y bound as in the groups layout), or nothing when x
// cannot be read as vec4 texels (an offset off a 16-byte boundary, several
// vectors whose stride is not a multiple of 4 floats) or a view would reach
// past its buffer (x rounded up to a texel, the weights one word past their rows).
std::optional<Status> dispatchLanes(Cmd& cmd, const MatVecArgs& a, const ProductShape& shape0, const MatVecShape& shape,
                                    const FloatWindow& y, const FloatWindow& u, const TailBinding& tail) {
    const DeviceCaps& caps = cmd.device().caps();
    const bool tiled = a.tileRows != 0;
    if (tiled && !matVecCanInterleave(a.type, a.cols))
        return errorf("mat_vec: %s rows of %u values cannot be row-interleaved", typeName(a.type).c_str(), a.cols);
    // Row-interleaved rows may be padded (Q6_K): the stored row's bytes.
    ProductShape ps = shape0;
    ps.rowBytes = matVecTileLayout(a.type, a.cols, 0, a.tileRows).rowBytes;
    if (a.x.offset % 16 || (a.nTok > 1 && ps.xStride % 4)) {
        if (!tiled) return std::nullopt;
        return errorf("mat_vec: row-interleaved weights need x on 16 bytes and a stride of 4 floats (offset %llu, "
                      "stride %u)", static_cast<unsigned long long>(a.x.offset), ps.xStride);
    }
    const uint64_t texelAlign = std::max<uint64_t>(caps.minTexelBufferOffsetAlignment, 16);
    const FloatWindow x = floatWindow(a.x, a.x.offset, ps.xFloats, texelAlign);
    const BufferSlice xView{x.bind.buffer, x.bind.offset, (x.bind.size + 15) / 16 * 16};
    // (x's offset is on 16 bytes and the window start on a multiple of 16: whole texels)
    if (xView.offset + xView.size > a.x.buffer->size() || xView.size / 16 > caps.maxTexelBufferElements) {
        if (!tiled) return std::nullopt;
        return errorf("mat_vec: x does not fit a texel view (%llu bytes)", static_cast<unsigned long long>(xView.size));
    }

    // Q4_0, Q8_0, Q4_K and Q5_K rows of whole 256-value groups, starting on
    // 16 bytes, and row-interleaved Q6_K (padded blocks) read their blocks as
    // 16-byte texels (mat_vec_lanes_q4_0.comp, _q8_0.comp, _q4_k.comp,
    // _q5_k.comp, _q6_k_tiled.comp); other weights as words (mat_vec_lanes.comp),
    // with a word more than the rows need bound (the shader reads one past a
    // value; DeviceWeights leaves room).
    const bool x16 = tiled || (matVecCanInterleave(a.type, a.cols) && a.type != GgmlType::Q6_K &&
                               (a.weight.offset + uint64_t(a.rowBegin) * ps.rowBytes) % 16 == 0 &&
                               (a.pair.empty() || (a.pair.offset - a.weight.offset) % 16 == 0));
    const uint64_t texel = x16 ? 16 : 4, pastEnd = x16 ? 0 : 4;
    const uint64_t wAlign = std::max<uint64_t>(caps.minTexelBufferOffsetAlignment, texel);
    const uint64_t wLimit = std::min<uint64_t>(caps.maxTexelBufferElements * texel, UINT32_MAX);
    auto windows = laneWindows(a, ps, texel, pastEnd, wAlign, wLimit);
    if (!windows.ok()) return Status(windows.error());
    if (windows.value().empty()) {
        if (!tiled) return std::nullopt;
        return errorf("mat_vec: row-interleaved rows [%u, %u) reach past their buffer", a.rowBegin, a.rowEnd);
    }
    if (tail.spec) {
        const auto n = static_cast<uint32_t>(windows.value().size());
        if (Status s = matVecTailFits(caps, shape, a.nTok, n); !s.ok()) return s;
    }

    PipelineDesc desc;
    desc.shader = std::string("mat_vec_lanes_") + shaderTypeStem(a.type) + (x16 ? "_x16" : "");
    const uint32_t lanes = shape.wgSize % lanesWidth(caps) == 0 ? lanesWidth(caps) : 1u;
    desc.spec = {SpecConstant::u32(0, shape.wgSize), SpecConstant::u32(1, shape.rows), SpecConstant::u32(2, a.nTok),
                 SpecConstant::u32(3, gluMode(a)),   SpecConstant::u32(4, lanes), SpecConstant::u32(5, a.tileRows),
                 SpecConstant::u32(kTailSpecId, tail.spec)};
    desc.pushBytes = sizeof(MatVecPush);
    desc.bindings = kBindingCount;
    desc.texelFormats = {x16 ? VK_FORMAT_R32G32B32A32_UINT : VK_FORMAT_R32_UINT, VK_FORMAT_R32G32B32A32_SFLOAT};
    auto pipe = cmd.device().pipelines().get(desc);
    if (!pipe.ok()) return Status(pipe.error());

    const uint64_t rowsPerGroup = uint64_t(shape.wgSize) * shape.rows;
    for (const LaneWindow& t : windows.value()) {
        if (t.first > 0) cmd.computeBarrier();  // as in the groups layout: every window binds all of y
        if (Status s = cmd.bind(*pipe.value(), bindings(t.w.bind, xView, y.bind, u.bind, tail)); !s.ok()) return s;
        MatVecPush push = makePush(a, ps, t.w, x.elemOffset, y.elemOffset + t.first, t.rows, u.elemOffset + t.first);
        push.rowShift = t.rowShift;
        push.tail = tail.push;
        if (Status s = cmd.push(push); !s.ok()) return s;
        if (Status s = dispatchGroups(cmd, (t.rows + rowsPerGroup - 1) / rowsPerGroup); !s.ok()) return s;
    }
    return Status{};
}

// The kernel tuner's shape for this product (Device::kernelChoices), if it
// has one that still fits the device and the weight's storage; else the
// defaults decide (a stale or edited choice is never an error).
std::optional<MatVecShape> tunedShape(const Device& dev, const MatVecArgs& a, uint32_t rows, bool glu) {
    if (dev.kernelChoices().empty()) return std::nullopt;
    const auto n = dev.kernelChoices().find(matVecChoiceKey(a));
    if (!n || n->size() != 4 || (*n)[0] == 0 || (*n)[1] == 0 || (*n)[2] == 0) return std::nullopt;
    const MatVecShape s{(*n)[0], (*n)[1], (*n)[2], MatVecLayout((*n)[3])};
    if (s.layout != MatVecLayout::Groups && s.layout != MatVecLayout::Lanes && s.layout != MatVecLayout::Blocks)
        return std::nullopt;
    if (a.tileRows && s.layout != MatVecLayout::Lanes) return std::nullopt;
    if (!matVecShape(dev.caps(), a.nTok, s, rows, glu, a.tileRows ? std::optional(a.type) : std::nullopt).ok())
        return std::nullopt;
    return s;
}

}  // namespace

std::string matVecChoiceKey(const MatVecArgs& a) {
    char k[96];
    std::snprintf(k, sizeof k, "mat_vec %s %ux%u glu%u n%u tiles%u", shaderTypeStem(a.type), a.cols,
                  a.rowEnd - a.rowBegin, gluMode(a), a.nTok, a.tileRows);
    return k;
}

Result<MatVecShape> matVecDefaultShape(const DeviceCaps& caps, const MatVecArgs& a) {
    return matVecShape(caps, a.nTok, {}, a.rowEnd - a.rowBegin, !a.pair.empty(),
                       a.tileRows ? std::optional(a.type) : std::nullopt);
}

std::vector<uint32_t> matVecChoiceNumbers(const MatVecShape& s) {
    return {s.wgSize, s.rows, s.unroll, static_cast<uint32_t>(s.layout)};
}

uint32_t matVecRowsPerGroup(const DeviceCaps& c, uint64_t matrixRows) {
    if (c.type == DeviceType::Cpu) return 8;
    return matrixRows >= 4096 ? 4 : 2;
}

static_assert(int(MatVecLayout::Groups) == 1 && int(MatVecLayout::Lanes) == 2 && int(MatVecLayout::Blocks) == 3,
              "FACET_VK_MATVEC_LAYOUT's values (DeviceOptions::matVecLayout)");

MatVecLayout defaultMatVecLayout(const DeviceCaps& c) {
    return c.type == DeviceType::Cpu && c.texelBuffers ? MatVecLayout::Lanes : MatVecLayout::Groups;
}

bool matVecCanInterleave(GgmlType type, uint64_t cols) {
    return (type == GgmlType::Q4_0 || type == GgmlType::Q8_0 || type == GgmlType::Q4_K || type == GgmlType::Q5_K ||
            type == GgmlType::Q6_K) &&
           cols > 0 && cols % 256 == 0;
}

// Q6_K blocks of 210 bytes padded to 224 (14 texels; mat_vec_lanes_q6_k_tiled.comp).
constexpr uint32_t kQ6KBlockBytes = 210, kQ6KPaddedBytes = 224;

RowInterleave matVecTileLayout(GgmlType type, uint64_t cols, uint64_t rows, uint32_t tileRows) {
    RowInterleave l{tileRows, rows, rowBytes(type, cols)};
    if (tileRows && type == GgmlType::Q6_K) {
        l.srcBlockBytes = kQ6KBlockBytes;
        l.blockBytes = kQ6KPaddedBytes;
        l.rowBytes = cols / 256 * kQ6KPaddedBytes;
    }
    return l;
}

// Rows per invocation of the lanes shaders on row-interleaved weights in
// decode, as many as their registers allow (E2B ffn_up from DRAM, 2 cores,
// facet-bench --kernels --rotate 10): Q4_0 8 rows 4.8 GB/s (2 rows 4.0);
// Q8_0 8 rows 7.5 (2: 5.0); Q4_K 4 rows 3.8 (8: 2.7); Q5_K 4 rows 3.5 (8:
// 2.7); Q6_K 2 rows 2.4 (8: 2.3, 4: 2.1). A GLU product reads two rows per
// output row: half as many. (Prefill takes 8, GLU 4: there the x fetches for
// 4..8 tokens dominate and more rows share them; E2B Q5_K pp8 4.0 -> 5.3..5.9 t/s.)
static uint32_t lanesTiledRows(GgmlType type, bool glu) {
    const uint32_t rows = type == GgmlType::Q6_K ? 2 : type == GgmlType::Q4_K || type == GgmlType::Q5_K ? 4 : 8;
    return glu ? std::max(rows / 2, 1u) : rows;
}

// Tiles of 4 rows per lane: one SIMD batch of a GLU product (4 gate and 4
// up rows per lane) reads one tile of each (E2B Q4_0 decode: ffn_gate+ffn_up
// 141 ms with tiles of 64, 112 ms with 32).
// Only where Lanes is the default: elsewhere prefill takes the GEMM, which
// reads rows in file order (FACET_VK_MATVEC_LAYOUT=lanes on a GPU keeps them so).
uint32_t matVecTileRows(const Device& device) {
    const DeviceCaps& c = device.caps();
    const MatVecLayout l = MatVecLayout(device.matVecLayoutOverride());
    if (device.rowTilesOff() || defaultMatVecLayout(c) != MatVecLayout::Lanes ||
        (l != MatVecLayout::Default && l != MatVecLayout::Lanes))
        return 0;
    return lanesWidth(c) * 4;
}

// Groups: invocations per workgroup by default 64 (a row of 1536 Q4_0 values
// is 192 groups of 8, three per invocation), lowered to the device's limits
// and to a power of two (the shared-memory tree needs one) whose reduction
// array fits shared memory. Lanes: 32 invocations (4 SIMD batches of 8 on
// llvmpipe) of 2 rows each for decode, measured best of 8..64 x 1..4 on 2
// cores; 8 rows for 4+ vectors (prefill), where the x fetches for every
// token outnumber the weight fetches and more rows share them (E2B Q4_0
// pp64 on lavapipe 4.8 -> 5.3..6.1 t/s); fewer invocations where a product
// would leave under 4 workgroups to share among the threads.
Result<MatVecShape> matVecShape(const DeviceCaps& c, uint32_t nTok, MatVecShape s, uint64_t matrixRows, bool glu,
                                std::optional<GgmlType> tiled) {
    nTok = std::max(nTok, 1u);
    if (s.layout == MatVecLayout::Default) s.layout = defaultMatVecLayout(c);
    if (s.layout == MatVecLayout::Lanes) {
        if (!c.texelBuffers) return errorf("mat_vec: the lanes layout needs texel buffers, which %s lacks", c.name.c_str());
        if (s.rows == 0) s.rows = nTok >= 4 ? (tiled && glu ? 4 : 8) : tiled ? lanesTiledRows(*tiled, glu) : 2;
        if (s.unroll == 0) s.unroll = 1;
        const uint32_t limit = std::min(c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0]);
        if (s.wgSize == 0) {
            s.wgSize = std::min(32u, limit);
            while (s.wgSize > 8 && matrixRows && matrixRows < uint64_t(s.wgSize) * s.rows * 4) s.wgSize /= 2;
        }
        if (s.wgSize == 0 || s.wgSize > limit || s.rows > 8 || s.unroll != 1)
            return errorf("mat_vec: lanes shape %u invocations x %u rows (unroll %u) does not fit %s (1..%u "
                          "invocations, rows <= 8, unroll 1)",
                          s.wgSize, s.rows, s.unroll, c.name.c_str(), limit);
        return s;
    }
    if (s.rows == 0) s.rows = matVecRowsPerGroup(c, matrixRows);
    if (s.unroll == 0) s.unroll = 1;
    if (s.layout == MatVecLayout::Blocks && s.unroll != 1)
        return errorf("mat_vec: the blocks layout takes unroll 1, not %u", s.unroll);
    // Shared memory: the product's sums per invocation, plus what every
    // module declares for a closing norm (mat_vec_tail.glsl: reduce.glsl's
    // float per invocation and a flag), specialized in or not.
    const uint32_t sharedLimit =
        (c.maxComputeSharedMemorySize - 4u) / (4u * (nTok * s.rows * (glu ? 2u : 1u) + 1u));
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

bool matVecCanPair(const DeviceCaps& caps, const MatVecArgs& a) {
    if (a.pair.empty() || a.accumulate || a.pair.buffer != a.weight.buffer || a.rowEnd <= a.rowBegin) return false;
    const uint64_t rb = matVecTileLayout(a.type, a.cols, 0, a.tileRows).rowBytes;  // (padded when tiled)
    // Row-interleaved: P's rows reach to the end of the tile holding the last.
    const uint64_t need = (a.tileRows ? (uint64_t(a.rowEnd) + a.tileRows - 1) / a.tileRows * a.tileRows : a.rowEnd) * rb;
    if (rb == 0 || a.pair.size < need || a.pair.offset < a.weight.offset + need) return false;
    if (a.pair.offset - a.weight.offset > UINT32_MAX) return false;
    // The one window: W's first row (bound from an aligned start) to P's last
    // row and a spare word, inside one storage binding and one texel view.
    const uint64_t align = std::max<uint64_t>({caps.minStorageBufferOffsetAlignment, caps.minTexelBufferOffsetAlignment, 16});
    const uint64_t start = (a.weight.offset + uint64_t(a.rowBegin) * rb) / align * align;
    const uint64_t span = a.pair.offset + need + 4 - start;
    uint64_t limit = caps.maxStorageBufferRange;
    if (caps.texelBuffers) limit = std::min(limit, caps.maxTexelBufferElements * 4);
    return span <= limit && a.pair.offset + need + 4 <= a.weight.buffer->size();
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
    const uint32_t rows = ps.rows;
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t limit = caps.maxStorageBufferRange;
    const FloatWindow x = floatWindow(a.x, a.x.offset, xFloats, align);
    const FloatWindow y = floatWindow(a.y, a.y.offset, yFloats, align);
    if (x.bind.size > limit || y.bind.size > limit)
        return errorf("mat_vec: x (%llu bytes) or y (%llu bytes) exceeds a %llu-byte storage binding",
                      static_cast<unsigned long long>(x.bind.size), static_cast<unsigned long long>(y.bind.size),
                      static_cast<unsigned long long>(limit));

    const bool glu = !a.pair.empty();
    FACET_ASSIGN(const FloatWindow u, upWindow(a, ps, y, align, limit));
    FACET_ASSIGN(const TailBinding tail, matVecTailBinding(caps, a, y.bind));
    if (glu) {
        auto up = checkProductArgs("mat_vec (up rows)", a.pair, a.type, a.cols, a.rowBegin, a.rowEnd, a.x, a.y,
                                   a.xStride, a.yStride, a.nTok);
        if (!up.ok()) return up.error();
    }
    if (glu && !matVecCanPair(caps, a))
        return errorf("mat_vec: GLU mode needs the up rows after the gate rows in the same buffer, both within one "
                      "binding of %s, and no accumulate (up at byte %llu, gate at %llu)",
                      caps.name.c_str(), static_cast<unsigned long long>(a.pair.offset),
                      static_cast<unsigned long long>(a.weight.offset));
    MatVecShape want = a.shape;
    const bool ownShape = want.wgSize || want.rows || want.unroll || want.layout != MatVecLayout::Default;
    // A benchmark's FACET_VK_MATVEC_SHAPE and _LAYOUT (DeviceOptions).
    if (const auto& o = dev.matVecShapeOverride(); o[0] != 0 && want.wgSize == 0 && want.rows == 0 && want.unroll == 0)
        want = {o[0], o[1], o[2], want.layout};
    if (want.layout == MatVecLayout::Default) want.layout = MatVecLayout(dev.matVecLayoutOverride());
    if (!ownShape && dev.matVecShapeOverride()[0] == 0 && dev.matVecLayoutOverride() == 0) {
        if (ProductLog* log = cmd.productLog()) {
            log->matVec.push_back(a);
            log->matVec.back().tail = {};  // the tuner times the product alone (and never twice on one counter)
        }
        if (auto tuned = tunedShape(dev, a, rows, glu)) want = *tuned;
    }
    // Blocks serves the quantized types; float rows take Groups.
    if (want.layout == MatVecLayout::Blocks && typeInfo(a.type).blockElems == 1) want.layout = MatVecLayout::Groups;
    FACET_ASSIGN(MatVecShape shape,
                 matVecShape(caps, a.nTok, want, rows, glu, a.tileRows ? std::optional(a.type) : std::nullopt));
    if (a.tileRows && shape.layout != MatVecLayout::Lanes)
        return errorf("mat_vec: row-interleaved weights are read by the lanes layout only, not on %s in this layout",
                      caps.name.c_str());
    // The tail's tree reduction (reduce.glsl) needs a power of two; Groups has one.
    if (tail.spec) shape.wgSize = std::bit_floor(shape.wgSize);
    if (shape.layout == MatVecLayout::Lanes) {
        if (auto lanes = dispatchLanes(cmd, a, ps, shape, y, u, tail)) return *lanes;
        // x not on a vec4 boundary: the groups layout at its own defaults.
        FACET_ASSIGN(shape, matVecShape(caps, a.nTok, MatVecShape{0, 0, 0, MatVecLayout::Groups}, rows, glu));
    }

    // Blocks reads a word past the rows (its last group's second word), so
    // the buffer must hold one (DeviceWeights leaves one); else Groups.
    const uint64_t wEnd = (a.pair.empty() ? a.weight.offset : a.pair.offset) + uint64_t(a.rowEnd) * rb;
    if (shape.layout == MatVecLayout::Blocks && (wEnd + 3) / 4 * 4 + 4 > a.weight.buffer->size())
        shape.layout = MatVecLayout::Groups;
    const bool blocks = shape.layout == MatVecLayout::Blocks;
    const uint64_t pastEnd = blocks ? 4 : 0;
    FACET_ASSIGN(const uint64_t windowRows, weightWindowRows("mat_vec", rb, limit - pastEnd, align));
    const uint32_t kRowsPerGroup = shape.rows;
    if (tail.spec) {
        FACET_TRY(matVecTailFits(caps, shape, a.nTok, static_cast<uint32_t>((rows + windowRows - 1) / windowRows)));
    }
    PipelineDesc desc;
    desc.shader = "mat_vec_" + stem + (blocks ? "_blocks" : "") + (caps.subgroupReduce() ? "_subgroup" : "");
    desc.spec = {SpecConstant::u32(0, shape.wgSize), SpecConstant::u32(1, shape.rows), SpecConstant::u32(2, a.nTok),
                 SpecConstant::u32(3, shape.unroll), SpecConstant::u32(4, gluMode(a)),
                 SpecConstant::u32(kTailSpecId, tail.spec)};
    desc.pushBytes = sizeof(MatVecPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    for (uint64_t r0 = 0; r0 < rows; r0 += windowRows) {
        const uint64_t k = std::min<uint64_t>(windowRows, rows - r0);
        // Every window binds all of y (its rows interleave with the other
        // windows' per token): order the writes, which the synchronization
        // validation rightly flags at binding-range level otherwise. Only
        // tensors beyond maxStorageBufferRange split (LM heads on small-limit devices).
        if (r0 > 0) cmd.computeBarrier();
        const WeightWindow w = withPair(weightWindow(a.weight, a.rowBegin + r0, k, rb, align), a, rb);
        const BufferSlice wBind{w.bind.buffer, w.bind.offset, w.bind.size + pastEnd};
        FACET_TRY(cmd.bind(*pipe, bindings(wBind, x.bind, y.bind, u.bind, tail)));
        const uint32_t rows0 = static_cast<uint32_t>(r0);
        MatVecPush push = makePush(a, ps, w, x.elemOffset, y.elemOffset + rows0, k, u.elemOffset + rows0);
        push.tail = tail.push;
        FACET_TRY(cmd.push(push));
        FACET_TRY(dispatchGroups(cmd, (k + kRowsPerGroup - 1) / kRowsPerGroup));
    }
    return {};
}

}  // namespace facet::vk
