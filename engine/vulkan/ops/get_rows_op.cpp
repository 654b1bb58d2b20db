#include "vulkan/ops/get_rows_op.h"

#include <algorithm>
#include <bit>
#include <string>

#include "vulkan/ops/mat_vec_op.h"  // shaderTypeStem
#include "vulkan/ops/op_binding.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_pipeline.h"

namespace facet::vk {

namespace {

// Binding order of get_rows.comp.
enum Binding : uint32_t { kIds, kW0, kW1, kW2, kW3, kOut, kBindingCount };
static_assert(kW3 - kW0 + 1 == kGetRowsWindows, "one binding per window");

// Invocations per token: 64 groups of 8 values, so a row of 1536 takes three
// rounds; lowered to the device's limits.
uint32_t workgroupSize(const DeviceCaps& c) {
    const uint32_t limit = std::min({64u, c.maxComputeWorkGroupInvocations, c.maxComputeWorkGroupSize[0]});
    return std::bit_floor(std::max(limit, 1u));
}

// `count` 4-byte values from the start of `t`, bound at an aligned offset at
// or before them, plus the value offset of the first one inside the binding.
struct Window {
    BufferSlice bind;
    uint32_t elemOffset = 0;
};

Window wordWindow(const BufferSlice& t, uint64_t count, uint64_t align) {
    const uint64_t bindStart = t.offset / align * align;
    return {BufferSlice{t.buffer, bindStart, (t.offset - bindStart) + count * 4},
            static_cast<uint32_t>((t.offset - bindStart) / 4)};
}

}  // namespace

Status dispatchGetRows(Cmd& cmd, const GetRowsArgs& a) {
    Device& dev = cmd.device();
    const DeviceCaps& caps = dev.caps();
    const std::string stem = shaderTypeStem(a.type);
    if (stem.empty()) return errorf("get_rows: table type %s has no shader", typeName(a.type).c_str());
    if (a.cols == 0 || a.rows == 0 || a.n == 0)
        return errorf("get_rows: %u ids from a %u x %u table is empty", a.n, a.rows, a.cols);
    const uint64_t rb = rowBytes(a.type, a.cols);
    if (rb == 0)
        return errorf("get_rows: %u columns is not a multiple of the %s block of %u", a.cols,
                      typeName(a.type).c_str(), typeInfo(a.type).blockElems);
    if (a.ids.empty() || a.out.empty()) return errorf("get_rows: missing ids or out");
    const uint32_t oStride = a.outStride ? a.outStride : a.cols;
    if (oStride < a.cols) return errorf("get_rows: out stride %u < %u columns", oStride, a.cols);
    const uint64_t align = std::max<uint64_t>(caps.minStorageBufferOffsetAlignment, 4);
    const uint64_t limit = caps.maxStorageBufferRange;

    if (a.pieces.empty() && a.table.empty()) return errorf("get_rows: missing table");
    if (a.pieces.empty() && a.table.size < uint64_t(a.rows) * rb)
        return errorf("get_rows: table needs %llu bytes for %u rows of %u %s values, the range has %llu",
                      static_cast<unsigned long long>(uint64_t(a.rows) * rb), a.rows, a.cols,
                      typeName(a.type).c_str(), static_cast<unsigned long long>(a.table.size));
    const TensorPiece whole{a.table, 0, a.rows};
    const std::span<const TensorPiece> pieces = a.pieces.empty() ? std::span<const TensorPiece>(&whole, 1) : a.pieces;
    // Row-interleaved rows as stored (Q6_K's blocks padded: get_rows_q6_k_padded),
    // in one tile size (the shader takes one).
    const uint32_t tileRows = pieces.front().tileRows;
    for (const TensorPiece& pc : pieces)
        if (pc.tileRows != tileRows) return errorf("get_rows: pieces in tiles of %u and %u rows", tileRows, pc.tileRows);
    const uint64_t storedRb = matVecTileLayout(a.type, a.cols, 0, tileRows).rowBytes;
    const bool paddedQ6K = tileRows && a.type == GgmlType::Q6_K;
    FACET_ASSIGN(std::vector<opbind::RowWindow> windows, opbind::rowWindows("get_rows", pieces, storedRb, 0, a.rows, caps));
    if (a.ids.offset % 4 || a.out.offset % 4) return errorf("get_rows: ids or out not on a 4-byte boundary");
    if (a.ids.size < uint64_t(a.n) * 4)
        return errorf("get_rows: ids need %llu bytes for %u ids, the range has %llu",
                      static_cast<unsigned long long>(uint64_t(a.n) * 4), a.n,
                      static_cast<unsigned long long>(a.ids.size));
    const uint64_t oFloats = uint64_t(a.n - 1) * oStride + a.cols;
    if (a.out.size < oFloats * 4)
        return errorf("get_rows: out needs %llu bytes for %u x %u (stride %u), the range has %llu",
                      static_cast<unsigned long long>(oFloats * 4), a.n, a.cols, oStride,
                      static_cast<unsigned long long>(a.out.size));
    const Window ids = wordWindow(a.ids, a.n, align);
    const Window out = wordWindow(a.out, oFloats, align);
    if (ids.bind.size > limit || out.bind.size > limit)
        return errorf("get_rows: ids (%llu bytes) or out (%llu bytes) exceeds a %llu-byte storage binding",
                      static_cast<unsigned long long>(ids.bind.size), static_cast<unsigned long long>(out.bind.size),
                      static_cast<unsigned long long>(limit));

    const uint32_t wg = workgroupSize(caps);
    PipelineDesc desc;
    desc.shader = "get_rows_" + stem + (paddedQ6K ? "_padded" : "");
    desc.spec = {SpecConstant::u32(0, wg)};
    desc.pushBytes = sizeof(GetRowsPush);
    desc.bindings = kBindingCount;
    FACET_ASSIGN(const Pipeline* pipe, dev.pipelines().get(desc));

    const uint32_t maxX = caps.maxComputeWorkGroupCount[0];
    const uint32_t gx = std::min(a.n, maxX);
    const uint32_t gy = (a.n + gx - 1) / gx;
    for (size_t w0 = 0; w0 < windows.size(); w0 += kGetRowsWindows) {
        // Each dispatch binds all of out: order the writes of successive
        // ones (they touch different tokens' rows, but the same binding range).
        if (w0 > 0) cmd.computeBarrier();
        GetRowsPush p{};
        p.n = a.n;
        p.cols = a.cols;
        p.idsOffset = ids.elemOffset;
        p.oOffset = out.elemOffset;
        p.oStride = oStride;
        p.rowBytes = static_cast<uint32_t>(storedRb);
        p.rowsTotal = a.rows;
        p.poison = w0 == 0 ? 1u : 0u;  // once per gather
        p.scale = a.scale;
        p.tileRows = tileRows;
        BufferSlice bind[kGetRowsWindows];
        const size_t count = std::min<size_t>(kGetRowsWindows, windows.size() - w0);
        p.winEnd = windows[w0 + count - 1].endRow;
        for (size_t k = 0; k < kGetRowsWindows; ++k) {
            if (k >= count) {  // unused: never selected; window 0 stands in for the descriptor
                p.winFirst[k] = p.winEnd;
                bind[k] = windows[w0].bind;
                continue;
            }
            p.winFirst[k] = windows[w0 + k].firstRow;
            p.winByte[k] = windows[w0 + k].byte;
            bind[k] = windows[w0 + k].bind;
        }
        FACET_TRY(cmd.bind(*pipe, {ids.bind, bind[0], bind[1], bind[2], bind[3], out.bind}));
        FACET_TRY(cmd.push(p));
        FACET_TRY(cmd.dispatch(gx, gy));
    }
    return {};
}

}  // namespace facet::vk
