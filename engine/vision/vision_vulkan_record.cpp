// The dispatches of one picture: the same steps as encodeImageCpu
// (engine/vision/vision_forward.cpp), over all patches at once. Each stage
// ends with one barrier; dispatches inside a stage are independent. As in
// EmbeddingVulkan, a block's closing norm also writes the next block's
// pre-norm (RmsNormThen), and the layer's out_scale rides on the FFN's
// closing norm (RmsNormThen::scale: (x + norm(down))·s, as the CPU).
//
// Clamps (Gemma4ClippableLinear, HF semantics: each linear clamps its own
// copy of the input): inputs that several linears read (q, k, v; gate, up)
// are clamped into a copy, shared by the linears with the same input bounds;
// inputs only one linear reads (attn_out's, ffn_down's) and all outputs are
// clamped in place. Infinite bounds (absent) record nothing.
#include <cmath>

#include "vision/vision_vulkan_internal.h"
#include "vulkan/forward/vk_linear.h"
#include "vulkan/ops/attention_lanes_op.h"
#include "vulkan/ops/bidir_attention_op.h"
#include "vulkan/ops/clamp_op.h"
#include "vulkan/ops/geglu_op.h"
#include "vulkan/ops/rms_norm_op.h"
#include "vulkan/ops/rope_op.h"
#include "vulkan/ops/vision_pool_op.h"
#include "vulkan/vk_device.h"

namespace facet {

using L = VisionLinear;
using vk::recordProduct;
using vk::recordRmsNorm;

namespace {

bool clampsInput(const ClampBounds& b) { return std::isfinite(b.inMin) || std::isfinite(b.inMax); }
bool clampsOutput(const ClampBounds& b) { return std::isfinite(b.outMin) || std::isfinite(b.outMax); }
bool sameInput(const ClampBounds& a, const ClampBounds& b) { return a.inMin == b.inMin && a.inMax == b.inMax; }

}  // namespace

Status VisionVulkan::recordClamp(const vk::BufferSlice& x, const vk::BufferSlice& out, uint32_t n, uint32_t width,
                                 float lo, float hi) {
    vk::ClampArgs c;
    c.x = x;
    c.out = out;
    c.lo = lo;
    c.hi = hi;
    c.nTok = n;
    c.n = width;
    return vk::dispatchClamp(*s_->cmd, c);
}

// The products of linears that read the same input x ([n][E]), each into its
// output; then their output clamps. No barrier after.
Status VisionVulkan::recordShared(int il, const VisionLinear* which, const vk::BufferSlice* outs, int count,
                                  const vk::BufferSlice& x, uint32_t n) {
    vk::Cmd& cmd = *s_->cmd;
    const uint32_t E = static_cast<uint32_t>(d_.width);
    const ClampBounds* copied = nullptr;  // the input bounds s.c holds now
    for (int i = 0; i < count; ++i) {
        const ClampBounds& b = bounds(il, which[i]);
        vk::BufferSlice src = x;
        if (clampsInput(b)) {
            if (!copied || !sameInput(*copied, b)) {
                if (copied) cmd.computeBarrier();  // the products reading the old copy go first
                FACET_TRY(recordClamp(x, s_->c->whole(), n, E, b.inMin, b.inMax));
                cmd.computeBarrier();
                copied = &b;
            }
            src = s_->c->whole();
        }
        FACET_TRY(recordProduct(cmd, linear(il, which[i]), E, src, outs[i], n));
    }
    return recordOutputClamps(il, which, outs, count, n);
}

// The output clamps of `which` in place (after a barrier when there are any).
Status VisionVulkan::recordOutputClamps(int il, const VisionLinear* which, const vk::BufferSlice* outs, int count,
                                        uint32_t n) {
    bool first = true;
    for (int i = 0; i < count; ++i) {
        const ClampBounds& b = bounds(il, which[i]);
        if (!clampsOutput(b)) continue;
        if (first) s_->cmd->computeBarrier();
        first = false;
        const uint32_t rows = static_cast<uint32_t>(linear(il, which[i]).view->rows());
        FACET_TRY(recordClamp(outs[i], outs[i], n, rows, b.outMin, b.outMax));
    }
    return {};
}

Status VisionVulkan::record(const Grid& g) {
    vk::Cmd& cmd = *s_->cmd;
    const Scratch& s = *s_;
    const uint32_t n = static_cast<uint32_t>(g.n()), E = static_cast<uint32_t>(d_.width);
    const uint32_t k = static_cast<uint32_t>(d_.poolKernel);
    FACET_TRY(cmd.begin());

    // x = T[0][col] + T[1][row], then x += K · patch (the CPU's h += pos, one rounding).
    cmd.copy(s.positions, s.x->whole().sub(0, uint64_t(n) * E * 4));
    cmd.transferToComputeBarrier();
    vk::LinearArgs patch;
    patch.weight = &tensor(kernel_);
    patch.cols = static_cast<uint32_t>(kernel_.ne[0]);
    patch.x = s.patches;
    patch.y = s.x->whole();
    patch.nTok = n;
    patch.accumulate = true;
    FACET_TRY(vk::recordLinear(cmd, patch));
    cmd.computeBarrier();
    FACET_TRY(recordRmsNorm(cmd, s.x->whole(), layers_[0].ln1, s.a->whole(), n, E, d_.eps));
    cmd.computeBarrier();

    for (int il = 0; il < d_.layers; ++il) {
        FACET_TRY(recordAttention(il, g));
        FACET_TRY(recordFeedForward(il, g));
    }

    // k×k average ×√E (the CPU's double √E / k²), standardization, weightless norm, projection.
    vk::VisionPoolArgs pool;
    pool.x = s.x->whole();
    pool.out = s.pooled->whole();
    pool.bias = s.stdBias;
    pool.stdScale = s.stdScale;
    pool.gridCols = static_cast<uint32_t>(g.cols);
    pool.gridRows = static_cast<uint32_t>(g.rows);
    pool.k = k;
    pool.width = E;
    pool.scale = static_cast<float>(std::sqrt(double(E)) / (double(k) * k));
    FACET_TRY(vk::dispatchVisionPool(cmd, pool));
    cmd.computeBarrier();
    const uint32_t nt = n / (k * k);
    FACET_TRY(recordRmsNorm(cmd, s.pooled->whole(), {}, s.pooled->whole(), nt, E, d_.eps));
    cmd.computeBarrier();
    FACET_TRY(recordProduct(cmd, tensor(m_.projection()), E, s.pooled->whole(), s.tokens->whole(), nt));
    cmd.computeToTransferBarrier();
    const uint64_t bytes = uint64_t(nt) * d_.textWidth * 4;
    cmd.copy(s.tokens->whole().sub(0, bytes), s.readback->whole().sub(0, bytes));
    cmd.toHostBarrier();
    return cmd.end();
}

// x += attn_post_norm(attn_out(attention(q, k, v))), s.a = ln1(x) on entry, ln2(x) on exit.
Status VisionVulkan::recordAttention(int il, const Grid& g) {
    vk::Cmd& cmd = *s_->cmd;
    const Scratch& s = *s_;
    const Layer& ly = layers_[il];
    const uint32_t n = static_cast<uint32_t>(g.n()), E = static_cast<uint32_t>(d_.width);
    const uint32_t H = static_cast<uint32_t>(d_.heads), hd = static_cast<uint32_t>(d_.headDim), qW = H * hd;

    const VisionLinear qkv[] = {L::Q, L::K, L::V};
    const vk::BufferSlice qkvOut[] = {s.q->whole(), s.k->whole(), s.v->whole()};
    FACET_TRY(recordShared(il, qkv, qkvOut, 3, s.a->whole(), n));
    cmd.computeBarrier();

    // Per-head RMSNorm: q_norm, k_norm, and V without a weight.
    vk::RopeArgs r;
    r.nTok = n;
    r.nHeads = H;
    r.headDim = hd;
    r.eps = d_.eps;
    r.rotate = false;
    const vk::BufferSlice normWeights[] = {ly.qNorm, ly.kNorm, {}};
    for (int i = 0; i < 3; ++i) {
        r.x = qkvOut[i];
        r.weight = normWeights[i];
        FACET_TRY(vk::dispatchRope(cmd, r));
    }
    cmd.computeBarrier();
    // 2-D RoPE (§4.4): each half-head is a NeoX rotation of width hd/2, the
    // first by the patch's column, the second by its row. The two halves'
    // bindings overlap (range level), so a barrier parts them.
    r.norm = false;
    r.rotate = true;
    r.headDim = hd / 2;
    r.headStride = hd;
    r.tokStride = qW;
    r.theta = s.theta;
    for (int half = 0; half < 2; ++half) {
        r.positions = half ? s.rowPos : s.colPos;
        for (int i = 0; i < 2; ++i) {
            r.x = half ? qkvOut[i].sub(uint64_t(hd / 2) * 4, qkvOut[i].size) : qkvOut[i];
            FACET_TRY(vk::dispatchRope(cmd, r));
        }
        cmd.computeBarrier();
    }

    // Every patch attends to every patch, scale 1 (the q/k norms set the
    // temperature): a query per invocation on CPU devices, a workgroup per
    // query elsewhere (attention_lanes.comp says why).
    vk::AttentionLanesArgs lanes;
    lanes.q = s.q->whole();
    lanes.k = s.k->whole();
    lanes.v = s.v->whole();
    lanes.out = s.attn->whole();
    lanes.nTok = lanes.nKeys = n;
    lanes.nHeads = lanes.nKvHeads = H;
    lanes.headDim = hd;
    lanes.scale = 1.0f;
    if (dev_.caps().type == vk::DeviceType::Cpu && !options_.bidirAttention && vk::attentionLanesFits(dev_.caps(), lanes)) {
        FACET_TRY(vk::dispatchAttentionLanes(cmd, lanes));
    } else {
        vk::BidirAttentionArgs at;
        at.q = lanes.q;
        at.k = lanes.k;
        at.v = lanes.v;
        at.bounds = s.bounds;
        at.out = lanes.out;
        at.nTok = n;
        at.nHeads = at.nKvHeads = H;
        at.headDim = hd;
        at.scale = 1.0f;
        at.maxKeys = n;
        FACET_TRY(vk::dispatchBidirAttention(cmd, at));
    }
    cmd.computeBarrier();

    const ClampBounds& ob = bounds(il, L::Out);
    if (clampsInput(ob)) {  // attn is attn_out's alone: in place
        FACET_TRY(recordClamp(s.attn->whole(), s.attn->whole(), n, qW, ob.inMin, ob.inMax));
        cmd.computeBarrier();
    }
    FACET_TRY(recordProduct(cmd, linear(il, L::Out), qW, s.attn->whole(), s.o->whole(), n));
    const VisionLinear out[] = {L::Out};
    const vk::BufferSlice outBuf[] = {s.o->whole()};
    FACET_TRY(recordOutputClamps(il, out, outBuf, 1, n));
    cmd.computeBarrier();
    vk::RmsNormThen ffnInput;
    ffnInput.nextWeight = ly.ln2;
    ffnInput.nextOut = s.a->whole();
    FACET_TRY(recordRmsNorm(cmd, s.o->whole(), ly.attnPostNorm, s.x->whole(), n, E, d_.eps, s.x->whole(), ffnInput));
    cmd.computeBarrier();
    return {};
}

// x = (x + ffn_post_norm(ffn_down(gelu_tanh(ffn_gate f) · ffn_up f))) · out_scale, f = s.a = ln2(x) on entry;
// s.a = the next layer's ln1(x) on exit.
Status VisionVulkan::recordFeedForward(int il, const Grid& g) {
    vk::Cmd& cmd = *s_->cmd;
    const Scratch& s = *s_;
    const uint32_t n = static_cast<uint32_t>(g.n()), E = static_cast<uint32_t>(d_.width);
    const uint32_t F = static_cast<uint32_t>(d_.ffn);
    const vk::DeviceTensor &gate = linear(il, L::Gate), &up = linear(il, L::Up);
    const ClampBounds &gb = bounds(il, L::Gate), &ub = bounds(il, L::Up);
    // One GLU product where nothing sits between the products and the
    // activation (no output clamps) and both read the same input.
    if (sameInput(gb, ub) && !clampsOutput(gb) && !clampsOutput(ub) && vk::canRecordGluLinear(cmd, gate, up, E, n)) {
        vk::BufferSlice src = s.a->whole();
        if (clampsInput(gb)) {
            FACET_TRY(recordClamp(src, s.c->whole(), n, E, gb.inMin, gb.inMax));
            cmd.computeBarrier();
            src = s.c->whole();
        }
        FACET_TRY(vk::recordGluLinear(cmd, gate, up, E, src, s.g->whole(), n));
    } else {
        const VisionLinear gateUp[] = {L::Gate, L::Up};
        const vk::BufferSlice gateUpOut[] = {s.g->whole(), s.u->whole()};
        FACET_TRY(recordShared(il, gateUp, gateUpOut, 2, s.a->whole(), n));
        cmd.computeBarrier();
        vk::GegluArgs gg;
        gg.g = s.g->whole();
        gg.u = s.u->whole();
        gg.out = s.g->whole();
        gg.nTok = n;
        gg.n = F;
        FACET_TRY(vk::dispatchGeglu(cmd, gg));
    }
    cmd.computeBarrier();
    const ClampBounds& db = bounds(il, L::Down);
    if (clampsInput(db)) {  // the activation is ffn_down's alone: in place
        FACET_TRY(recordClamp(s.g->whole(), s.g->whole(), n, F, db.inMin, db.inMax));
        cmd.computeBarrier();
    }
    FACET_TRY(recordProduct(cmd, linear(il, L::Down), F, s.g->whole(), s.o->whole(), n));
    const VisionLinear down[] = {L::Down};
    const vk::BufferSlice downBuf[] = {s.o->whole()};
    FACET_TRY(recordOutputClamps(il, down, downBuf, 1, n));
    cmd.computeBarrier();
    vk::RmsNormThen next;
    next.scale = layers_[il].outScale;
    if (il + 1 < d_.layers) {
        next.nextWeight = layers_[il + 1].ln1;
        next.nextOut = s.a->whole();
    }
    FACET_TRY(recordRmsNorm(cmd, s.o->whole(), layers_[il].ffnPostNorm, s.x->whole(), n, E, d_.eps, s.x->whole(), next));
    cmd.computeBarrier();
    return {};
}

}  // namespace facet
