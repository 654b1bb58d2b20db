// One decoder layer of the reference forward (spec §2.4): attention block,
// dense or MoE feed-forward block, PLE injection.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "cpu/attention.h"
#include "cpu/cpu_internal.h"
#include "cpu/moe_router.h"
#include "cpu/ops.h"
#include "model/ggml_type.h"

namespace facet::cpu {

void CpuForward::attention(Batch& b, int il) {
    const LayerDesc& l = d_.layers[il];
    const LayerWeights& lw = w_.layers[il];
    const LayerVectors& v = lv_[il];
    const int H = d_.hidden, hd = l.headDim, nH = l.nHeads, nKv = l.nKvHeads, n = b.n;
    const int qW = nH * hd, kvW = nKv * hd;

    std::vector<float> a(static_cast<size_t>(n) * H);
    for (int t = 0; t < n; ++t) rmsNorm(&b.x[t * H], v.attnNorm.data(), &a[t * H], H, d_.rmsEps);

    std::vector<float> q(static_cast<size_t>(n) * qW);
    matmul(*lw[TensorRole::AttnQ], 0, qW, a.data(), n, H, q.data(), qW);
    for (int t = 0; t < n; ++t)
        for (int h = 0; h < nH; ++h) {
            float* qh = &q[static_cast<size_t>(t) * qW + h * hd];
            rmsNorm(qh, v.qNorm.data(), qh, hd, d_.rmsEps);
            rope(qh, hd, b.pos0 + t, thetas_[il].data());
        }

    if (l.ownsKv(il)) {
        std::vector<float>& K = b.k[il];
        std::vector<float>& V = b.v[il];
        K.resize(static_cast<size_t>(n) * kvW);
        matmul(*lw[TensorRole::AttnK], 0, kvW, a.data(), n, H, K.data(), kvW);
        if (l.kEqV) {
            V = K;  // V is the raw K projection, before k_norm and RoPE
        } else {
            V.resize(K.size());
            matmul(*lw[TensorRole::AttnV], 0, kvW, a.data(), n, H, V.data(), kvW);
        }
        for (int t = 0; t < n; ++t)
            for (int h = 0; h < nKv; ++h) {
                float* kh = &K[static_cast<size_t>(t) * kvW + h * hd];
                rmsNorm(kh, v.kNorm.data(), kh, hd, d_.rmsEps);
                rope(kh, hd, b.pos0 + t, thetas_[il].data());
                float* vh = &V[static_cast<size_t>(t) * kvW + h * hd];
                rmsNorm(vh, nullptr, vh, hd, d_.rmsEps);
            }
        if (halfKv_) {
            for (float& x : K) x = halfToFloat(floatToHalf(x));
            for (float& x : V) x = halfToFloat(floatToHalf(x));
        }
    }

    // Keys before the batch come from the (source layer's) cache, the batch's
    // own keys from its in-flight K/V.
    const int src = l.kvSource;
    const std::vector<float>& BK = b.k[src];
    const std::vector<float>& BV = b.v[src];
    auto keyRow = [&](int pos) -> const float* {
        return pos < b.pos0 ? cache_.k(src, pos) : &BK[static_cast<size_t>(pos - b.pos0) * kvW];
    };
    auto valRow = [&](int pos) -> const float* {
        return pos < b.pos0 ? cache_.v(src, pos) : &BV[static_cast<size_t>(pos - b.pos0) * kvW];
    };

    std::vector<float> attn(static_cast<size_t>(n) * qW, 0.f);
    const int group = nH / nKv;
    for (int t = 0; t < n; ++t) {
        const int p = b.pos0 + t;
        // Sliding: p - W < k <= p; full: k <= p (spec §2.4 masks).
        const int first = l.attn == AttnKind::Sliding ? std::max(0, p - l.window + 1) : 0;
        // A bidirectional image block also sees its own later soft tokens.
        const InjectedRows* img = injectedAt(b, t);
        const int last = img && img->bidirectional ? b.pos0 + img->end - 1 : p;
        for (int h = 0; h < nH; ++h) {
            const int off = (h / group) * hd;  // GQA: q head h reads kv head h / group
            attendHead(&q[static_cast<size_t>(t) * qW + h * hd], hd, first, last,
                       [&](int pos) { return keyRow(pos) + off; }, [&](int pos) { return valRow(pos) + off; },
                       &attn[static_cast<size_t>(t) * qW + h * hd]);
        }
    }

    std::vector<float> o(static_cast<size_t>(n) * H), on(H);
    matmul(*lw[TensorRole::AttnOutput], 0, H, attn.data(), n, qW, o.data(), H);
    for (int t = 0; t < n; ++t) {
        rmsNorm(&o[t * H], v.postAttnNorm.data(), on.data(), H, d_.rmsEps);
        for (int i = 0; i < H; ++i) b.x[t * H + i] += on[i];
    }
}

// out = Wdown·(gelu(Wgate·in) ⊙ Wup·in) for every token of the batch.
void CpuForward::denseFfn(Batch& b, int il, const std::vector<float>& in, std::vector<float>& out) {
    const LayerWeights& lw = w_.layers[il];
    const int H = d_.hidden, I = d_.layers[il].ffnWidth, n = b.n;
    std::vector<float> g(static_cast<size_t>(n) * I), u(static_cast<size_t>(n) * I);
    matmul(*lw[TensorRole::FfnGate], 0, I, in.data(), n, H, g.data(), I);
    matmul(*lw[TensorRole::FfnUp], 0, I, in.data(), n, H, u.data(), I);
    for (size_t i = 0; i < g.size(); ++i) g[i] = geluTanh(g[i]) * u[i];
    out.assign(static_cast<size_t>(n) * H, 0.f);
    matmul(*lw[TensorRole::FfnDown], 0, H, g.data(), n, I, out.data(), H);
}

void CpuForward::feedForward(Batch& b, int il) {
    const LayerVectors& v = lv_[il];
    const int H = d_.hidden, n = b.n;
    std::vector<float> f(static_cast<size_t>(n) * H), dense, tmp(H);
    for (int t = 0; t < n; ++t) rmsNorm(&b.x[t * H], v.ffnNorm.data(), &f[t * H], H, d_.rmsEps);
    denseFfn(b, il, f, dense);
    for (int t = 0; t < n; ++t) {
        float* dt = &dense[static_cast<size_t>(t) * H];
        if (d_.layers[il].moe) {
            // 26B-A4B: x = r + post(post1(MLP) + post2(experts)) (spec §2.4)
            rmsNorm(dt, v.postFfwNorm1.data(), dt, H, d_.rmsEps);
            std::vector<float> m(H);
            moe(b, il, t, &b.x[t * H], m.data());
            for (int i = 0; i < H; ++i) dt[i] += m[i];
        }
        rmsNorm(dt, v.postFfwNorm.data(), tmp.data(), H, d_.rmsEps);
        for (int i = 0; i < H; ++i) b.x[t * H + i] += tmp[i];
    }
}

// Router (softmax over all experts, top-k, renormalise, per-expert scale) and
// the weighted sum of the chosen experts, post-normed with post_ffw_norm_2.
void CpuForward::moe(Batch& b, int il, int t, const float* r, float* out) {
    const LayerWeights& lw = w_.layers[il];
    const LayerVectors& v = lv_[il];
    const int H = d_.hidden, E = d_.nExperts, K = d_.nExpertsUsed, F = d_.expertFfn;

    std::vector<float> rn(H), z(E);
    rmsNorm(r, nullptr, rn.data(), H, d_.rmsEps);
    const float s = 1.0f / std::sqrt(static_cast<float>(H));
    for (int i = 0; i < H; ++i) rn[i] *= v.routerScale[i] * s;
    matmul(*lw[TensorRole::RouterW], 0, E, rn.data(), 1, H, z.data(), E);
    std::vector<int> ids(K);
    std::vector<float> wk(K);
    moeRoute(z.data(), E, K, v.expertScale.data(), ids.data(), wk.data());

    std::vector<float> u(H), gu(2 * F), h(F), y(H);
    rmsNorm(r, v.preFfwNorm2.data(), u.data(), H, d_.rmsEps);
    std::vector<double> m(H, 0.0);
    for (int k = 0; k < K; ++k) {
        const int e = ids[k];
        if (const TensorView* fused = lw[TensorRole::GateUpExps]) {
            // gate_up rows of expert e: [e*2F, e*2F+F) gate, [e*2F+F, (e+1)*2F) up.
            matmul(*fused, static_cast<int64_t>(e) * 2 * F, static_cast<int64_t>(e + 1) * 2 * F, u.data(), 1, H,
                   gu.data(), 2 * F);
        } else {  // split form: the same rows from two tensors, [e*F, (e+1)*F) each
            const int64_t r0 = static_cast<int64_t>(e) * F, r1 = r0 + F;
            matmul(*lw[TensorRole::GateExps], r0, r1, u.data(), 1, H, gu.data(), F);
            matmul(*lw[TensorRole::UpExps], r0, r1, u.data(), 1, H, gu.data() + F, F);
        }
        for (int i = 0; i < F; ++i) h[i] = geluTanh(gu[i]) * gu[F + i];
        matmul(*lw[TensorRole::DownExps], static_cast<int64_t>(e) * H, static_cast<int64_t>(e + 1) * H, h.data(), 1,
               F, y.data(), H);
        for (int i = 0; i < H; ++i) m[i] += static_cast<double>(wk[k]) * y[i];
    }
    std::vector<float> mf(m.begin(), m.end());
    rmsNorm(mf.data(), v.postFfwNorm2.data(), out, H, d_.rmsEps);
}

// x += post_norm(W_proj · (gelu(W_gate · x) ⊙ ple[l]))   (spec §2.4, after the FFN)
void CpuForward::pleInject(Batch& b, int il) {
    const LayerWeights& lw = w_.layers[il];
    const int H = d_.hidden, P = d_.pleDim, L = d_.nLayers, n = b.n;
    std::vector<float> g(static_cast<size_t>(n) * P), y(static_cast<size_t>(n) * H), yn(H);
    matmul(*lw[TensorRole::PleInpGate], 0, P, b.x.data(), n, H, g.data(), P);
    for (int t = 0; t < n; ++t)
        for (int i = 0; i < P; ++i) {
            const size_t k = static_cast<size_t>(t) * P + i;
            g[k] = geluTanh(g[k]) * b.ple[(static_cast<size_t>(t) * L + il) * P + i];
        }
    matmul(*lw[TensorRole::PleProj], 0, H, g.data(), n, P, y.data(), H);
    for (int t = 0; t < n; ++t) {
        rmsNorm(&y[static_cast<size_t>(t) * H], lv_[il].plePostNorm.data(), yn.data(), H, d_.rmsEps);
        for (int i = 0; i < H; ++i) b.x[static_cast<size_t>(t) * H + i] += yn[i];
    }
}

}  // namespace facet::cpu
