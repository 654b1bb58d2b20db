// The attention block of one chunk (spec §2.4, §2.6): q, k and v from one
// product where the weights are joined, their norms, RoPE and the KV-ring
// store in one dispatch, attention, the output product and the post-norm.
#include "vulkan/forward/vk_forward_internal.h"
#include "vulkan/forward/vk_linear.h"
#include "vulkan/ops/attention_op.h"
#include "vulkan/ops/rms_norm_op.h"
#include "vulkan/ops/rope_op.h"
#include "vulkan/vk_device.h"

namespace facet::vk {

Status VkForward::recordAttention(int il, int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const LayerDesc& l = d_.layers[il];
    const LayerWeights& lw = model_.weights().layers[il];
    const Layer& ly = layers_[il];
    const uint32_t H = d_.hidden, qW = l.nHeads * l.headDim;

    if (il == 0) {  // later layers: the previous layer's last norm wrote s.a
        FACET_TRY(recordRmsNorm(cmd, s.x, ly.attnNorm, s.a, n, H, d_.rmsEps));
        cmd.computeBarrier();
    }
    FACET_TRY(recordQkv(il, n));
    cmd.computeBarrier();
    FACET_TRY(recordRopes(il, n));
    cmd.computeBarrier();

    const Layer& src = layers_[l.kvSource];
    AttentionArgs at;
    at.q = s.qkv;
    at.qStride = qkvStride(il);
    at.kCache = src.kCache;
    at.vCache = src.vCache;
    at.out = s.attn;
    at.nTok = n;
    at.nHeads = l.nHeads;
    at.nKvHeads = l.nKvHeads;
    at.headDim = l.headDim;
    at.pos0 = pos0_;
    at.window = l.attn == AttnKind::Sliding ? l.window : 0;
    at.capacity = src.capacity;
    if (n <= splitTokens_) at.scratch = s.attnScratch;  // the op decides whether to split
    for (const InjectedRows& r : images_)
        if (r.bidirectional) {  // (a chunk holds at most one: VkForward::chunkLength)
            at.imageBegin = static_cast<uint32_t>(r.begin);
            at.imageEnd = static_cast<uint32_t>(r.end);
        }
    FACET_TRY(dispatchAttention(cmd, at));
    cmd.computeBarrier();

    RmsNormThen ffnInput;
    ffnInput.nextWeight = ly.ffnNorm;
    ffnInput.nextOut = s.a;
    return recordClosedProduct(il, kTailAttnOut, tensor(lw[TensorRole::AttnOutput]), qW, s.attn, n, ly.postAttnNorm,
                               ffnInput);
}

uint32_t VkForward::qkvStride(int il) const {
    const LayerDesc& l = d_.layers[il];
    return uint32_t(l.nHeads + 2 * l.nKvHeads) * l.headDim;
}

// q, k and v side by side in s.qkv: one product over the layer's joined
// slab (DeviceWeights::joined), else one each. A layer that reads another's
// cache needs only q.
Status VkForward::recordQkv(int il, int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const LayerDesc& l = d_.layers[il];
    const LayerWeights& lw = model_.weights().layers[il];
    const uint32_t H = d_.hidden, qW = l.nHeads * l.headDim, kvW = l.nKvHeads * l.headDim, stride = qkvStride(il);
    const bool owns = l.ownsKv(il);
    LinearArgs a;
    a.cols = H;
    a.x = s.a;
    a.nTok = static_cast<uint32_t>(n);
    a.yStride = stride;
    if (const DeviceTensor* slab = owns ? w_.joined(lw[TensorRole::AttnQ]) : nullptr) {
        a.weight = slab;
        a.y = s.qkv;
        FACET_TRY(recordLinear(cmd, a));
    } else {
        for (TensorRole role : {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV}) {
            if (role != TensorRole::AttnQ && (!owns || (role == TensorRole::AttnV && l.kEqV))) continue;
            const uint64_t first = role == TensorRole::AttnQ ? 0 : role == TensorRole::AttnK ? qW : qW + kvW;
            // Several tokens' y bindings span the other parts' rows too.
            if (first && n > 1) cmd.computeBarrier();
            a.weight = &tensor(lw[role]);
            a.y = s.qkv.sub(first * 4, s.qkv.size);
            FACET_TRY(recordLinear(cmd, a));
        }
    }
    if (owns && l.kEqV && dev_.ropeFusionOff()) {
        // V is the raw K projection, before k_norm and RoPE: the separate
        // ropes rotate K in place, so V takes a copy first.
        cmd.computeToTransferBarrier();
        for (int t = 0; t < n; ++t)
            cmd.copy(s.qkv.sub((uint64_t(t) * stride + qW) * 4, uint64_t(kvW) * 4),
                     s.qkv.sub((uint64_t(t) * stride + qW + kvW) * 4, uint64_t(kvW) * 4));
        cmd.transferToComputeBarrier();
    }
    return {};
}

// q's norm and RoPE in place; k's and v's into the cache rings (layers that
// own theirs). One dispatch for all three, else one each
// (FACET_VK_NO_ROPE_FUSION).
Status VkForward::recordRopes(int il, int n) {
    Cmd& cmd = *cmd_;
    const Scratch& s = *s_;
    const LayerDesc& l = d_.layers[il];
    const Layer& ly = layers_[il];
    const uint32_t qW = l.nHeads * l.headDim, kvW = l.nKvHeads * l.headDim;
    const bool owns = l.ownsKv(il);
    RopeArgs r;
    r.theta = ly.theta;
    r.pos0 = pos0_;
    r.nTok = n;
    r.headDim = l.headDim;
    r.eps = d_.rmsEps;
    r.tokStride = qkvStride(il);
    r.x = s.qkv;
    r.weight = ly.qNorm;
    r.nHeads = l.nHeads;
    if (owns && !dev_.ropeFusionOff()) {
        r.nKvHeads = l.nKvHeads;
        r.kWeight = ly.kNorm;
        r.cache = ly.kCache;
        r.vCache = ly.vCache;
        r.capacity = ly.capacity;
        r.vFromK = l.kEqV;
        return dispatchRope(cmd, r);
    }
    FACET_TRY(dispatchRope(cmd, r));
    if (!owns) return {};
    // Several tokens' x bindings span the other parts' rows too.
    if (n > 1) cmd.computeBarrier();
    r.x = s.qkv.sub(uint64_t(qW) * 4, s.qkv.size);
    r.weight = ly.kNorm;
    r.nHeads = l.nKvHeads;
    r.cache = ly.kCache;
    r.capacity = ly.capacity;
    FACET_TRY(dispatchRope(cmd, r));
    if (n > 1) cmd.computeBarrier();
    r.x = s.qkv.sub(uint64_t(qW + kvW) * 4, s.qkv.size);
    r.weight = {};
    r.rotate = false;
    r.cache = ly.vCache;
    return dispatchRope(cmd, r);
}

}  // namespace facet::vk
