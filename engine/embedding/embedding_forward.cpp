#include "embedding/embedding_forward.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "cpu/attention.h"
#include "cpu/ops.h"
#include "model/dequantize.h"

namespace facet {

using namespace facet::cpu;
using R = EmbeddingRole;

struct EmbeddingForward::Batch {
    int n = 0;                   // tokens of all sequences
    std::vector<int> start;      // first token of each sequence, plus n at the end
    std::vector<int> seqOf;      // sequence of each token
    std::vector<float> x;        // residual stream [n][H]
};

EmbeddingForward::EmbeddingForward(const EmbeddingModel& model) : m_(model), d_(model.desc()) {
    outputNorm_ = readVector(*m_.global(R::OutputNorm));
    norms_.resize(d_.nLayers);
    thetas_.resize(d_.nLayers);
    for (int il = 0; il < d_.nLayers; ++il) {
        LayerNorms& n = norms_[il];
        n.attn = readVector(m_.layer(il, R::AttnNorm));
        n.q = readVector(m_.layer(il, R::AttnQNorm));
        n.k = readVector(m_.layer(il, R::AttnKNorm));
        n.postAttn = readVector(m_.layer(il, R::PostAttnNorm));
        n.ffn = readVector(m_.layer(il, R::FfnNorm));
        n.postFfw = readVector(m_.layer(il, R::PostFfwNorm));
        // θ_j = base^(-2j/d), base by layer kind (rope.freq_base_swa on sliding layers).
        thetas_[il].resize(d_.headDim / 2);
        for (int j = 0; j < d_.headDim / 2; ++j)
            thetas_[il][j] = std::pow(static_cast<double>(d_.ropeBaseOf(il)), -2.0 * j / d_.headDim);
    }
}

Result<std::vector<std::vector<float>>> EmbeddingForward::embed(const std::vector<std::vector<int>>& sequences,
                                                                int dim, std::vector<EmbeddingTrace>* trace) const {
    const int H = d_.hidden;
    if (dim < 0 || dim > d_.outputDim())
        return errorf("%s: output dimension %d is outside 1..%d", m_.path().c_str(), dim, d_.outputDim());
    Batch b;
    b.start.push_back(0);
    for (size_t s = 0; s < sequences.size(); ++s) {
        const std::vector<int>& ids = sequences[s];
        if (ids.empty()) return errorf("%s: sequence %zu has no tokens", m_.path().c_str(), s);
        if (static_cast<int64_t>(ids.size()) > d_.contextLength)
            return errorf("%s: sequence %zu has %zu tokens, more than the context length %d", m_.path().c_str(), s,
                          ids.size(), d_.contextLength);
        for (int id : ids)
            if (id < 0 || id >= d_.vocab)
                return errorf("%s: token %d is outside the vocabulary of %d", m_.path().c_str(), id, d_.vocab);
        b.n += static_cast<int>(ids.size());
        b.start.push_back(b.n);
        b.seqOf.insert(b.seqOf.end(), ids.size(), static_cast<int>(s));
    }

    const TensorView& embd = *m_.global(R::TokenEmbd);
    const float scale = std::sqrt(static_cast<float>(H));
    b.x.resize(static_cast<size_t>(b.n) * H);
    size_t t = 0;
    for (const std::vector<int>& ids : sequences)
        for (int id : ids) {
            float* row = &b.x[t++ * H];
            dequantizeTensorRow(embd, id, row);
            for (int i = 0; i < H; ++i) row[i] *= scale;
        }

    for (int il = 0; il < d_.nLayers; ++il) {
        attention(b, il);
        feedForward(b, il);
    }

    std::vector<std::vector<float>> out(sequences.size());
    if (trace) trace->assign(sequences.size(), {});
    for (size_t s = 0; s < sequences.size(); ++s) {
        pool(b, s, dim, out[s], trace ? &(*trace)[s] : nullptr);
    }
    return out;
}

void EmbeddingForward::attention(Batch& b, int il) const {
    const LayerNorms& nw = norms_[il];
    const int H = d_.hidden, hd = d_.headDim, nH = d_.nHeads, nKv = d_.nKvHeads, n = b.n;
    const int qW = nH * hd, kvW = nKv * hd;

    std::vector<float> a(static_cast<size_t>(n) * H);
    for (int t = 0; t < n; ++t) rmsNorm(&b.x[t * H], nw.attn.data(), &a[t * H], H, d_.rmsEps);

    std::vector<float> q(static_cast<size_t>(n) * qW), k(static_cast<size_t>(n) * kvW), v(k.size());
    matmul(m_.layer(il, R::AttnQ), 0, qW, a.data(), n, H, q.data(), qW);
    matmul(m_.layer(il, R::AttnK), 0, kvW, a.data(), n, H, k.data(), kvW);
    matmul(m_.layer(il, R::AttnV), 0, kvW, a.data(), n, H, v.data(), kvW);

    const float qScale = 1.0f / std::sqrt(static_cast<float>(hd));
    for (int t = 0; t < n; ++t) {
        const int pos = t - b.start[b.seqOf[t]];  // RoPE position: index within its sequence
        for (int h = 0; h < nH; ++h) {
            float* qh = &q[static_cast<size_t>(t) * qW + h * hd];
            rmsNorm(qh, nw.q.data(), qh, hd, d_.rmsEps);
            rope(qh, hd, pos, thetas_[il].data());
            for (int c = 0; c < hd; ++c) qh[c] *= qScale;
        }
        for (int h = 0; h < nKv; ++h) {
            float* kh = &k[static_cast<size_t>(t) * kvW + h * hd];
            rmsNorm(kh, nw.k.data(), kh, hd, d_.rmsEps);
            rope(kh, hd, pos, thetas_[il].data());
        }
    }

    // No causal mask: a token sees its whole sequence, or on sliding layers
    // the tokens at most window/2 away on either side.
    std::vector<float> attn(static_cast<size_t>(n) * qW);
    const bool sliding = d_.isSliding(il);
    const int group = nH / nKv;
    parallelFor(n, 8, [&](int64_t t0, int64_t t1) {
        for (int t = static_cast<int>(t0); t < t1; ++t) {
            const int s0 = b.start[b.seqOf[t]], s1 = b.start[b.seqOf[t] + 1] - 1;
            const int first = sliding ? std::max(s0, t - d_.halfWindow()) : s0;
            const int last = sliding ? std::min(s1, t + d_.halfWindow()) : s1;
            for (int h = 0; h < nH; ++h) {
                const int off = (h / group) * hd;  // GQA: query head h reads KV head h / group
                attendHead(&q[static_cast<size_t>(t) * qW + h * hd], hd, first, last,
                           [&](int j) { return &k[static_cast<size_t>(j) * kvW + off]; },
                           [&](int j) { return &v[static_cast<size_t>(j) * kvW + off]; },
                           &attn[static_cast<size_t>(t) * qW + h * hd]);
            }
        }
    });

    std::vector<float> o(static_cast<size_t>(n) * H), on(H);
    matmul(m_.layer(il, R::AttnOutput), 0, H, attn.data(), n, qW, o.data(), H);
    for (int t = 0; t < n; ++t) {
        rmsNorm(&o[static_cast<size_t>(t) * H], nw.postAttn.data(), on.data(), H, d_.rmsEps);
        for (int i = 0; i < H; ++i) b.x[static_cast<size_t>(t) * H + i] += on[i];
    }
}

void EmbeddingForward::feedForward(Batch& b, int il) const {
    const LayerNorms& nw = norms_[il];
    const int H = d_.hidden, F = d_.ffnWidth, n = b.n;
    std::vector<float> h(static_cast<size_t>(n) * H);
    for (int t = 0; t < n; ++t) rmsNorm(&b.x[static_cast<size_t>(t) * H], nw.ffn.data(), &h[t * H], H, d_.rmsEps);
    std::vector<float> g(static_cast<size_t>(n) * F), u(g.size());
    matmul(m_.layer(il, R::FfnGate), 0, F, h.data(), n, H, g.data(), F);
    matmul(m_.layer(il, R::FfnUp), 0, F, h.data(), n, H, u.data(), F);
    for (size_t i = 0; i < g.size(); ++i) g[i] = geluTanh(g[i]) * u[i];
    std::vector<float> y(static_cast<size_t>(n) * H), yn(H);
    matmul(m_.layer(il, R::FfnDown), 0, H, g.data(), n, F, y.data(), H);
    for (int t = 0; t < n; ++t) {
        rmsNorm(&y[static_cast<size_t>(t) * H], nw.postFfw.data(), yn.data(), H, d_.rmsEps);
        for (int i = 0; i < H; ++i) b.x[static_cast<size_t>(t) * H + i] += yn[i];
    }
}

void EmbeddingForward::pool(const Batch& b, size_t seq, int dim, std::vector<float>& out, EmbeddingTrace* trace) const {
    const int H = d_.hidden, t0 = b.start[seq], t1 = b.start[seq + 1];
    std::vector<double> sum(H, 0.0);
    std::vector<float> normed(H);
    for (int t = t0; t < t1; ++t) {
        rmsNorm(&b.x[static_cast<size_t>(t) * H], outputNorm_.data(), normed.data(), H, d_.rmsEps);
        for (int i = 0; i < H; ++i) sum[i] += normed[i];
    }
    finishEmbedding(m_, sum, t1 - t0, dim, out, trace);
}

void finishEmbedding(const EmbeddingModel& m, const std::vector<double>& sum, int tokens, int dim, std::vector<float>& out,
                     EmbeddingTrace* trace) {
    const EmbeddingDesc& d = m.desc();
    const int H = d.hidden;
    std::vector<float> pooled(H);
    for (int i = 0; i < H; ++i) pooled[i] = static_cast<float>(sum[i] / tokens);

    std::vector<float> dense2, head = pooled;
    if (m.hasDense()) {
        dense2.resize(d.dense2Out);
        head.resize(d.dense3Out);
        matmul(*m.global(R::Dense2), 0, d.dense2Out, pooled.data(), 1, H, dense2.data(), d.dense2Out);
        matmul(*m.global(R::Dense3), 0, d.dense3Out, dense2.data(), 1, d.dense2Out, head.data(), d.dense3Out);
    }
    if (trace) {
        trace->pooled = pooled;
        trace->dense2 = dense2;
        trace->beforeL2 = head;
    }
    out = truncateAndNormalize(head, dim > 0 ? dim : static_cast<int>(head.size()));
}

std::vector<float> truncateAndNormalize(const std::vector<float>& v, int dim) {
    std::vector<float> out(v.begin(), v.begin() + std::min<size_t>(std::max(dim, 0), v.size()));
    double ss = 0.0;
    for (float x : out) ss += static_cast<double>(x) * x;
    // A zero vector stays zero (llama.cpp's common_embd_normalize does the same).
    const double inv = ss > 0.0 ? 1.0 / std::sqrt(ss) : 0.0;
    for (float& x : out) x = static_cast<float>(x * inv);
    return out;
}

}  // namespace facet
