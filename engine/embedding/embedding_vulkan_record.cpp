// The dispatches of one chunk: the same steps as EmbeddingForward::embed,
// attention() and feedForward() (engine/embedding/embedding_forward.cpp), over
// all tokens of the chunk at once. Each stage ends with one barrier;
// dispatches inside a stage are independent. As in the decoder
// (vulkan/forward/vk_forward_layer.cpp), a block's closing norm also writes
// the next block's pre-norm (RmsNormThen); after the last layer that is
// output_norm, whose rows are copied to the readback buffer.
#include <cmath>

#include "embedding/embedding_vulkan_internal.h"
#include "vulkan/forward/vk_linear.h"
#include "vulkan/ops/bidir_attention_op.h"
#include "vulkan/ops/geglu_op.h"
#include "vulkan/ops/get_rows_op.h"
#include "vulkan/ops/rms_norm_op.h"
#include "vulkan/ops/rope_op.h"

namespace facet {

using R = EmbeddingRole;

using vk::recordProduct;
using vk::recordRmsNorm;

Status EmbeddingVulkan::record(const Chunk& c) {
    vk::Cmd& cmd = *s_->cmd;
    const Scratch& s = *s_;
    const uint32_t n = static_cast<uint32_t>(c.n()), H = static_cast<uint32_t>(d_.hidden);
    FACET_TRY(cmd.begin());

    // x = token_embd[id] · √H (the CPU's float product)
    const vk::DeviceTensor& E = tensor(*m_.global(R::TokenEmbd));
    vk::GetRowsArgs g;
    g.pieces = E.pieces;
    g.type = E.view->type;
    g.cols = H;
    g.rows = static_cast<uint32_t>(E.view->rows());
    g.ids = s.ids;
    g.out = s.x->whole();
    g.n = n;
    g.scale = std::sqrt(static_cast<float>(H));
    FACET_TRY(vk::dispatchGetRows(cmd, g));
    cmd.computeBarrier();
    FACET_TRY(recordRmsNorm(cmd, s.x->whole(), layers_[0].attnNorm, s.a->whole(), n, H, d_.rmsEps));
    cmd.computeBarrier();

    for (int il = 0; il < d_.nLayers; ++il) {
        FACET_TRY(recordAttention(il, c));
        FACET_TRY(recordFeedForward(il, c));
    }
    cmd.computeToTransferBarrier();
    cmd.copy(s.a->whole().sub(0, uint64_t(n) * H * 4), s.readback->whole());
    cmd.toHostBarrier();
    return cmd.end();
}

// x += post_attention_norm(attn_output(attention(q, k, v))), s.a = attn_norm(x) on entry.
Status EmbeddingVulkan::recordAttention(int il, const Chunk& c) {
    vk::Cmd& cmd = *s_->cmd;
    const Scratch& s = *s_;
    const Layer& ly = layers_[il];
    const uint32_t n = static_cast<uint32_t>(c.n()), H = static_cast<uint32_t>(d_.hidden);
    const uint32_t hd = static_cast<uint32_t>(d_.headDim), qW = d_.nHeads * hd;

    FACET_TRY(recordProduct(cmd, tensor(m_.layer(il, R::AttnQ)), H, s.a->whole(), s.q->whole(), n));
    FACET_TRY(recordProduct(cmd, tensor(m_.layer(il, R::AttnK)), H, s.a->whole(), s.k->whole(), n));
    FACET_TRY(recordProduct(cmd, tensor(m_.layer(il, R::AttnV)), H, s.a->whole(), s.v->whole(), n));
    cmd.computeBarrier();

    // Per-head q_norm / k_norm, then RoPE NeoX at each token's position in its sequence.
    vk::RopeArgs r;
    r.theta = ly.theta;
    r.positions = s.positions;
    r.nTok = n;
    r.headDim = hd;
    r.eps = d_.rmsEps;
    r.x = s.q->whole();
    r.weight = ly.qNorm;
    r.nHeads = static_cast<uint32_t>(d_.nHeads);
    FACET_TRY(vk::dispatchRope(cmd, r));
    r.x = s.k->whole();
    r.weight = ly.kNorm;
    r.nHeads = static_cast<uint32_t>(d_.nKvHeads);
    FACET_TRY(vk::dispatchRope(cmd, r));
    cmd.computeBarrier();

    vk::BidirAttentionArgs at;
    at.q = s.q->whole();
    at.k = s.k->whole();
    at.v = s.v->whole();
    at.bounds = s.bounds;
    at.out = s.attn->whole();
    at.nTok = n;
    at.nHeads = static_cast<uint32_t>(d_.nHeads);
    at.nKvHeads = static_cast<uint32_t>(d_.nKvHeads);
    at.headDim = hd;
    at.sliding = d_.isSliding(il);
    at.halfWindow = static_cast<uint32_t>(d_.halfWindow());
    at.scale = 1.0f / std::sqrt(static_cast<float>(hd));
    at.maxKeys = static_cast<uint32_t>(at.sliding ? std::min(c.longest, 2 * d_.halfWindow() + 1) : c.longest);
    FACET_TRY(vk::dispatchBidirAttention(cmd, at));
    cmd.computeBarrier();

    FACET_TRY(recordProduct(cmd, tensor(m_.layer(il, R::AttnOutput)), qW, s.attn->whole(), s.o->whole(), n));
    cmd.computeBarrier();
    vk::RmsNormThen ffnInput;
    ffnInput.nextWeight = ly.ffnNorm;
    ffnInput.nextOut = s.a->whole();
    FACET_TRY(recordRmsNorm(cmd, s.o->whole(), ly.postAttnNorm, s.x->whole(), n, H, d_.rmsEps, s.x->whole(), ffnInput));
    cmd.computeBarrier();
    return {};
}

// x += post_ffw_norm(ffn_down(gelu_tanh(ffn_gate h) · ffn_up h)), h = s.a = ffn_norm(x) on entry.
Status EmbeddingVulkan::recordFeedForward(int il, const Chunk& c) {
    vk::Cmd& cmd = *s_->cmd;
    const Scratch& s = *s_;
    const uint32_t n = static_cast<uint32_t>(c.n()), H = static_cast<uint32_t>(d_.hidden);
    const uint32_t F = static_cast<uint32_t>(d_.ffnWidth);
    const vk::DeviceTensor &gate = tensor(m_.layer(il, R::FfnGate)), &up = tensor(m_.layer(il, R::FfnUp));
    if (vk::canRecordGluLinear(cmd, gate, up, H, n)) {  // one dispatch, no geglu stage
        FACET_TRY(vk::recordGluLinear(cmd, gate, up, H, s.a->whole(), s.g->whole(), n));
    } else {
        FACET_TRY(recordProduct(cmd, gate, H, s.a->whole(), s.g->whole(), n));
        FACET_TRY(recordProduct(cmd, up, H, s.a->whole(), s.u->whole(), n));
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
    FACET_TRY(recordProduct(cmd, tensor(m_.layer(il, R::FfnDown)), F, s.g->whole(), s.o->whole(), n));
    cmd.computeBarrier();
    // The closing norm also writes the next layer's attn_norm(x), or after the
    // last layer output_norm(x), into s.a.
    vk::RmsNormThen next;
    next.nextWeight = il + 1 < d_.nLayers ? layers_[il + 1].attnNorm : s.outputNorm;
    next.nextOut = s.a->whole();
    FACET_TRY(recordRmsNorm(cmd, s.o->whole(), layers_[il].postFfwNorm, s.x->whole(), n, H, d_.rmsEps, s.x->whole(), next));
    cmd.computeBarrier();
    return {};
}

}  // namespace facet
