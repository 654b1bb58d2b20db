// The dispatch sequence of one chunk (spec §2.3-§2.5), the same steps as the
// CPU reference (engine/cpu/cpu_forward.cpp, cpu_layer.cpp). Each stage ends
// with one barrier; dispatches inside a stage are independent.
#include <cmath>

#include "vulkan/forward/vk_forward_internal.h"
#include "vulkan/forward/vk_linear.h"
#include "vulkan/ops/binary_op.h"
#include "vulkan/ops/geglu_op.h"
#include "vulkan/ops/get_rows_op.h"
#include "vulkan/ops/logits_op.h"
#include "vulkan/ops/moe_mat_vec_op.h"
#include "vulkan/ops/moe_route_op.h"
#include "vulkan/ops/moe_router_op.h"
#include "vulkan/ops/rms_norm_op.h"

namespace facet::vk {

namespace {

Status scaleInPlace(Cmd& cmd, const BufferSlice& x, const BufferSlice& scalar, uint32_t nTok, uint32_t n) {
    BinaryArgs a;
    a.op = BinaryOp::Scale;
    a.a = x;
    a.out = x;
    a.scalar = scalar;
    a.nTok = nTok;
    a.n = n;
    return dispatchBinary(cmd, a);
}

}  // namespace

Status VkForward::recordEmbedding(int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const DeviceTensor& E = tensor(model_.weights().global[TensorRole::TokenEmbd]);
    GetRowsArgs g;
    g.pieces = E.pieces;
    g.type = E.view->type;
    g.cols = static_cast<uint32_t>(d_.hidden);
    g.rows = static_cast<uint32_t>(E.view->rows());
    g.ids = s.ids;
    g.out = s.x;
    g.n = static_cast<uint32_t>(n);
    g.scale = d_.embedScale;
    FACET_TRY(dispatchGetRows(cmd, g));
    if (!images_.empty()) {  // soft tokens over their placeholders' rows, unscaled (vision spec §7.2)
        cmd.computeToTransferBarrier();
        const uint64_t row = uint64_t(d_.hidden) * 4;
        for (const InjectedRows& r : images_) {
            const uint64_t at = r.begin * row, bytes = uint64_t(r.end - r.begin) * row;
            cmd.copy(s.imageRows.sub(at, bytes), s.x.sub(at, bytes));
        }
        cmd.transferToComputeBarrier();
    } else {
        cmd.computeBarrier();
    }
    if (!d_.hasPle()) return {};

    // ple[t][l] = (RMSNorm(W_plp·x0 / √H)[l] + E_ple[tok][l]·√P) / √2
    const uint32_t LP = static_cast<uint32_t>(d_.nLayers * d_.pleDim);
    FACET_TRY(recordProduct(cmd, tensor(model_.weights().global[TensorRole::PleModelProj]), d_.hidden, s.x, s.ple, n));
    cmd.computeBarrier();
    FACET_TRY(scaleInPlace(cmd, s.ple, s.pleProjScale, n, LP));
    cmd.computeBarrier();
    FACET_TRY(recordRmsNorm(cmd, s.ple, s.pleProjNorm, s.ple, n * d_.nLayers, d_.pleDim, d_.rmsEps));
    cmd.computeBarrier();
    BinaryArgs mix;
    mix.op = BinaryOp::AddScale;
    mix.a = s.ple;
    mix.b = s.pleTok;
    mix.scalar = s.pleMix;
    mix.out = s.ple;
    mix.nTok = n;
    mix.n = LP;
    FACET_TRY(dispatchBinary(cmd, mix));
    cmd.computeBarrier();
    return {};
}

// Pre-norms are fused into the norm that closes the block before them: the
// attention's post-norm writes the FFN input, and a layer's last norm (FFN or
// PLE) applies the layer scalar and writes the next layer's attention input,
// or the output norm's after the last layer. Only layer 0 norms on its own.
Status VkForward::recordLayer(int il, int n) {
    FACET_TRY(recordAttention(il, n));
    FACET_TRY(recordFeedForward(il, n));
    if (d_.hasPle()) FACET_TRY(recordPle(il, n));
    return {};
}

RmsNormThen VkForward::layerEnd(int il) const {
    RmsNormThen t;
    t.scale = layers_[il].layerScale;
    t.nextWeight = il + 1 < d_.nLayers ? layers_[il + 1].attnNorm : s_->outputNorm;
    t.nextOut = s_->a;
    return t;
}

Status VkForward::recordFeedForward(int il, int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const LayerDesc& l = d_.layers[il];
    const LayerWeights& lw = model_.weights().layers[il];
    const Layer& ly = layers_[il];
    const uint32_t H = d_.hidden, I = l.ffnWidth;

    // (s.a = ffnNorm(x): written by the attention's post-norm)
    const DeviceTensor &gate = tensor(lw[TensorRole::FfnGate]), &up = tensor(lw[TensorRole::FfnUp]);
    if (canRecordGluLinear(cmd, gate, up, H, n)) {  // one dispatch, no geglu stage
        FACET_TRY(recordGluLinear(cmd, gate, up, H, s.a, s.g, n));
    } else {
        FACET_TRY(recordProduct(cmd, gate, H, s.a, s.g, n));
        FACET_TRY(recordProduct(cmd, up, H, s.a, s.u, n));
        cmd.computeBarrier();
        GegluArgs gg;
        gg.g = s.g;
        gg.u = s.u;
        gg.out = s.g;
        gg.nTok = n;
        gg.n = I;
        FACET_TRY(dispatchGeglu(cmd, gg));
    }
    cmd.computeBarrier();
    const RmsNormThen then = d_.hasPle() ? RmsNormThen{} : layerEnd(il);
    if (!l.moe)
        return recordClosedProduct(il, kTailFfnDown, tensor(lw[TensorRole::FfnDown]), I, s.g, n, ly.postFfwNorm, then);
    FACET_TRY(recordProduct(cmd, tensor(lw[TensorRole::FfnDown]), I, s.g, s.o, n));
    cmd.computeBarrier();
    FACET_TRY(recordMoe(il, n));
    FACET_TRY(recordRmsNorm(cmd, s.o, ly.postFfwNorm, s.x, n, H, d_.rmsEps, s.x, then));
    cmd.computeBarrier();
    return {};
}

Status VkForward::recordClosedProduct(int il, TailSite site, const DeviceTensor& w, uint32_t cols,
                                      const BufferSlice& in, int n, const BufferSlice& postWeight,
                                      const RmsNormThen& then) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    LinearArgs a;
    a.weight = &w;
    a.cols = cols;
    a.x = in;
    a.y = s.o;
    a.nTok = static_cast<uint32_t>(n);
    a.tail.counter = s.tailCounters.sub((uint64_t(il) * kTailSites + site) * 4, 4);
    a.tail.weight = postWeight;
    a.tail.residual = s.x;
    a.tail.scale = then.scale;
    a.tail.nextWeight = then.nextWeight;
    a.tail.nextOut = then.nextOut;
    a.tail.nextOutStride = then.nextOutStride;
    a.tail.eps = d_.rmsEps;
    if (linearCanTail(cmd, a)) {
        FACET_TRY(recordLinear(cmd, a));
        cmd.computeBarrier();
        return {};
    }
    a.tail = {};
    FACET_TRY(recordLinear(cmd, a));
    cmd.computeBarrier();
    FACET_TRY(recordRmsNorm(cmd, s.o, postWeight, s.x, n, d_.hidden, d_.rmsEps, s.x, then));
    cmd.computeBarrier();
    return {};
}

// 26B-A4B: o = post1(MLP) + post2(Σ_k w_k · expert_k(pre2(x))), experts chosen
// on the GPU (router: softmax, top-k, renormalise, per-expert scale). A
// chunk of several tokens runs the experts batched (moe_route: its slots
// grouped by expert, each expert's weights read once per 8 of its slots);
// a decode step slot by slot.
Status VkForward::recordMoe(int il, int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const LayerWeights& lw = model_.weights().layers[il];
    const Layer& ly = layers_[il];
    const uint32_t H = d_.hidden, E = d_.nExperts, K = d_.nExpertsUsed, F = d_.expertFfn;

    FACET_TRY(recordRmsNorm(cmd, s.x, ly.routerScale, s.rn, n, H, d_.rmsEps));
    FACET_TRY(recordRmsNorm(cmd, s.x, ly.preFfwNorm2, s.u2, n, H, d_.rmsEps));
    FACET_TRY(recordRmsNorm(cmd, s.o, ly.postFfwNorm1, s.o, n, H, d_.rmsEps));
    cmd.computeBarrier();
    FACET_TRY(recordProduct(cmd, tensor(lw[TensorRole::RouterW]), H, s.rn, s.z, n));
    cmd.computeBarrier();
    MoeRouterArgs ra;
    ra.logits = s.z;
    ra.expertScale = ly.expertScale;
    ra.ids = s.moeIds;
    ra.weights = s.moeW;
    ra.nTok = n;
    ra.nExperts = E;
    ra.k = K;
    FACET_TRY(dispatchMoeRouter(cmd, ra));
    cmd.computeBarrier();
    const bool batched = n > 1;
    if (batched) {
        MoeRouteArgs rt;
        rt.ids = s.moeIds;
        rt.table = s.moeTable;
        rt.nSlots = n * K;
        rt.nExperts = E;
        FACET_TRY(dispatchMoeRoute(cmd, rt));
        cmd.computeBarrier();
    }

    MoeMatVecArgs mv;
    mv.cols = H;
    mv.nExperts = E;
    mv.ids = s.moeIds;
    mv.x = s.u2;
    mv.nOut = n * K;
    mv.group = 1;
    mv.xDiv = K;
    if (batched) mv.table = s.moeTable;
    GegluArgs gg;
    gg.g = gg.u = s.gu;
    gg.out = s.h;
    gg.nTok = n * K;
    gg.n = F;
    if (lw[TensorRole::GateUpExps]) {
        const DeviceTensor& gateUp = tensor(lw[TensorRole::GateUpExps]);
        mv.weight = gateUp.pieces;
        mv.type = gateUp.view->type;
        mv.rowsPerExpert = 2 * F;
        mv.y = s.gu;
        FACET_TRY(dispatchMoeMatVec(cmd, mv));
        gg.uFirst = F;  // gate_up rows of an expert: [0, F) gate, [F, 2F) up
        gg.gStride = gg.uStride = 2 * F;
    } else {
        // Split form: all slots' gate rows, then all their up rows, in
        // disjoint ranges of gu, so the two products need no barrier between
        // them (and the halves may differ in type).
        const uint32_t upFirst = n * K * F;
        for (TensorRole role : {TensorRole::GateExps, TensorRole::UpExps}) {
            const DeviceTensor& half = tensor(lw[role]);
            mv.weight = half.pieces;
            mv.type = half.view->type;
            mv.rowsPerExpert = F;
            mv.y = role == TensorRole::GateExps ? s.gu.sub(0, uint64_t(upFirst) * 4)
                                                : s.gu.sub(uint64_t(upFirst) * 4, uint64_t(upFirst) * 4);
            FACET_TRY(dispatchMoeMatVec(cmd, mv));
        }
        gg.uFirst = upFirst;
    }
    cmd.computeBarrier();
    FACET_TRY(dispatchGeglu(cmd, gg));
    cmd.computeBarrier();
    const DeviceTensor& down = tensor(lw[TensorRole::DownExps]);
    mv.weight = down.pieces;
    mv.type = down.view->type;
    mv.cols = F;
    mv.rowsPerExpert = H;
    mv.weights = s.moeW;
    mv.x = s.h;
    mv.xDiv = 1;
    if (batched) {  // a row per slot, then each token's sum
        mv.y = s.ys;
        mv.nOut = n * K;
        mv.group = 1;
        FACET_TRY(dispatchMoeMatVec(cmd, mv));
        cmd.computeBarrier();
        MoeSlotSumArgs sum;
        sum.ys = s.ys;
        sum.y = s.m;
        sum.nTok = n;
        sum.k = K;
        sum.rows = H;
        FACET_TRY(dispatchMoeSlotSum(cmd, sum));
    } else {
        mv.y = s.m;
        mv.nOut = n;
        mv.group = K;
        FACET_TRY(dispatchMoeMatVec(cmd, mv));
    }
    cmd.computeBarrier();
    FACET_TRY(recordRmsNorm(cmd, s.m, ly.postFfwNorm2, s.m, n, H, d_.rmsEps));
    cmd.computeBarrier();
    BinaryArgs add;
    add.op = BinaryOp::Add;
    add.a = s.o;
    add.b = s.m;
    add.out = s.o;
    add.nTok = n;
    add.n = H;
    FACET_TRY(dispatchBinary(cmd, add));
    cmd.computeBarrier();
    return {};
}

// x += post_norm(W_proj · (gelu(W_gate · x) ⊙ ple[l]))
Status VkForward::recordPle(int il, int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const LayerWeights& lw = model_.weights().layers[il];
    const uint32_t H = d_.hidden, P = d_.pleDim, LP = d_.nLayers * d_.pleDim;
    if (linearTakesUpValues(cmd, static_cast<uint32_t>(n))) {  // the GeGLU in the gate's product: no geglu stage
        LinearArgs gate;
        gate.weight = &tensor(lw[TensorRole::PleInpGate]);
        gate.cols = H;
        gate.x = s.x;
        gate.y = s.pg;
        gate.nTok = n;
        gate.upValues = s.ple.sub(uint64_t(il) * P * 4, s.ple.size);
        gate.upStride = LP;
        FACET_TRY(recordLinear(cmd, gate));
    } else {
        FACET_TRY(recordProduct(cmd, tensor(lw[TensorRole::PleInpGate]), H, s.x, s.pg, n));
        cmd.computeBarrier();
        GegluArgs gg;
        gg.g = s.pg;
        gg.u = s.ple;
        gg.uFirst = static_cast<uint32_t>(il) * P;
        gg.uStride = LP;
        gg.out = s.pg;
        gg.nTok = n;
        gg.n = P;
        FACET_TRY(dispatchGeglu(cmd, gg));
    }
    cmd.computeBarrier();
    return recordClosedProduct(il, kTailPleProj, tensor(lw[TensorRole::PleProj]), P, s.pg, n, layers_[il].plePostNorm,
                               layerEnd(il));
}

Status VkForward::recordOutput(int n, int firstOut, uint32_t topK) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const uint32_t H = d_.hidden, V = d_.vocab, nOut = n - firstOut;
    // The last layer's closing norm wrote outputNorm(x) for every row into s.a.
    const BufferSlice xs = s.a.sub(uint64_t(firstOut) * H * 4, uint64_t(nOut) * H * 4);
    FACET_TRY(recordProduct(cmd, tensor(model_.weights().head()), H, xs, s.logits, nOut));
    cmd.computeBarrier();
    LogitsArgs lg;
    lg.logits = s.logits;
    lg.nTok = nOut;
    lg.vocab = V;
    lg.cap = d_.finalSoftcap;
    lg.k = topK;
    if (topK) {
        lg.scratch = s.topScratch;
        lg.ids = s.topIds;
        lg.values = s.topVals;
    }
    if (topK || lg.cap > 0.0f) {
        FACET_TRY(dispatchLogits(cmd, lg));
        cmd.computeBarrier();
    }
    cmd.computeToTransferBarrier();
    if (topK) {
        cmd.copy(s.topIds.sub(0, uint64_t(topK) * 4), readback_->slice(0, uint64_t(topK) * 4));
        cmd.copy(s.topVals.sub(0, uint64_t(topK) * 4), readback_->slice(uint64_t(topK) * 4, uint64_t(topK) * 4));
    } else {
        cmd.copy(s.logits.sub(0, uint64_t(nOut) * V * 4), readback_->whole());
    }
    cmd.toHostBarrier();
    return {};
}

}  // namespace facet::vk
