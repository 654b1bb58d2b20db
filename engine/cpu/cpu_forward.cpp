#include "cpu/cpu_forward.h"

#include <algorithm>
#include <cmath>

#include "cpu/cpu_internal.h"
#include "cpu/ops.h"
#include "model/dequantize.h"

namespace facet::cpu {

static std::vector<float> vecOrEmpty(const TensorView* t) { return t ? readVector(*t) : std::vector<float>{}; }

CpuForward::CpuForward(const ModelDesc& desc, const ModelWeights& weights, int maxContext)
    : d_(desc), w_(weights), cache_(desc, maxContext), lv_(desc.nLayers) {
    outputNorm_ = readVector(*w_.global[TensorRole::OutputNorm]);
    pleProjNorm_ = vecOrEmpty(w_.global[TensorRole::PleProjNorm]);
    thetas_.resize(d_.nLayers);
    for (int i = 0; i < d_.nLayers; ++i) {
        const LayerWeights& lw = w_.layers[i];
        LayerVectors& v = lv_[i];
        v.attnNorm = readVector(*lw[TensorRole::AttnNorm]);
        v.qNorm = readVector(*lw[TensorRole::AttnQNorm]);
        v.kNorm = vecOrEmpty(lw[TensorRole::AttnKNorm]);
        v.postAttnNorm = readVector(*lw[TensorRole::PostAttnNorm]);
        v.ffnNorm = readVector(*lw[TensorRole::FfnNorm]);
        v.postFfwNorm = readVector(*lw[TensorRole::PostFfwNorm]);
        v.layerScale = lw[TensorRole::LayerOutputScale] ? readVector(*lw[TensorRole::LayerOutputScale])[0] : 1.0f;
        v.routerScale = vecOrEmpty(lw[TensorRole::RouterScale]);
        v.expertScale = vecOrEmpty(lw[TensorRole::DownExpsScale]);
        v.preFfwNorm2 = vecOrEmpty(lw[TensorRole::PreFfwNorm2]);
        v.postFfwNorm1 = vecOrEmpty(lw[TensorRole::PostFfwNorm1]);
        v.postFfwNorm2 = vecOrEmpty(lw[TensorRole::PostFfwNorm2]);
        v.plePostNorm = vecOrEmpty(lw[TensorRole::PlePostNorm]);
        const int half = d_.layers[i].headDim / 2;
        thetas_[i].resize(half);
        for (int j = 0; j < half; ++j) thetas_[i][j] = ropeTheta(d_, i, j);
    }
}

CpuForward::~CpuForward() = default;

bool CpuForward::rewind(int pos) {
    if (pos >= nPast_) return true;
    // Ring entries older than nPast - window are overwritten; the next token at
    // `pos` needs positions pos-window+1 .. pos-1 (spec §2.4 sliding mask).
    for (int i = 0; i < d_.nLayers; ++i) {
        const LayerDesc& l = d_.layers[i];
        if (l.attn != AttnKind::Sliding || !l.ownsKv(i)) continue;
        const int cap = cache_.capacity(i);
        if (std::max(0, pos - l.window + 1) < nPast_ - cap) {
            nPast_ = 0;
            return false;
        }
    }
    nPast_ = std::max(pos, 0);
    return true;
}

const InjectedRows* CpuForward::injectedAt(const Batch& b, int t) const {
    for (const InjectedRows& r : b.injected)
        if (t >= r.begin && t < r.end) return &r;
    return nullptr;
}

void CpuForward::embed(Batch& b, const std::vector<int>& tokens) {
    const TensorView& E = *w_.global[TensorRole::TokenEmbd];
    const int H = d_.hidden;
    for (int t = 0; t < b.n; ++t) {
        float* x = &b.x[static_cast<size_t>(t) * H];
        if (const InjectedRows* r = injectedAt(b, t)) {
            std::copy_n(r->rows + static_cast<size_t>(t - r->begin) * H, H, x);  // unscaled (vision §7.2)
        } else {
            dequantizeTensorRow(E, tokens[t], x);
            for (int i = 0; i < H; ++i) x[i] *= d_.embedScale;
        }
        record("inp_scaled", -1, t, x, H);
    }
}

// Spec §2.3: ple[l] = (RMSNorm(W_plp·h0/√H)[l] + E_ple[tok][l]·√P) / √2
void CpuForward::perLayerInputs(Batch& b, const std::vector<int>& tokens) {
    const int H = d_.hidden, P = d_.pleDim, L = d_.nLayers;
    const size_t LP = static_cast<size_t>(L) * P;
    b.ple.assign(static_cast<size_t>(b.n) * LP, 0.f);
    std::vector<float> proj(static_cast<size_t>(b.n) * LP);
    matmul(*w_.global[TensorRole::PleModelProj], 0, static_cast<int64_t>(LP), b.x.data(), b.n, H, proj.data(),
           static_cast<int64_t>(LP));
    const TensorView& Eple = *w_.global[TensorRole::PleTokenEmbd];
    std::vector<float> tokRow(LP);
    const float projScale = 1.0f / std::sqrt(static_cast<float>(H));
    const float tokScale = std::sqrt(static_cast<float>(P));
    const float mix = 1.0f / std::sqrt(2.0f);
    for (int t = 0; t < b.n; ++t) {
        dequantizeTensorRow(Eple, injectedAt(b, t) ? 0 : tokens[t], tokRow.data());  // soft tokens: <pad>'s row
        float* pt = &proj[t * LP];
        float* out = &b.ple[t * LP];
        for (size_t i = 0; i < LP; ++i) pt[i] *= projScale;
        for (int l = 0; l < L; ++l) {
            rmsNorm(pt + static_cast<size_t>(l) * P, pleProjNorm_.data(), out + static_cast<size_t>(l) * P, P,
                    d_.rmsEps);
            for (int i = 0; i < P; ++i) {
                const size_t k = static_cast<size_t>(l) * P + i;
                out[k] = (out[k] + tokRow[k] * tokScale) * mix;
            }
        }
        record("inp_per_layer", -1, t, out, static_cast<int>(LP));
    }
}

Status CpuForward::forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) {
    return forward(tokens, {}, allLogits, logits);
}

Status CpuForward::forward(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected, bool allLogits,
                           std::vector<float>& logits) {
    if (tokens.empty()) return errorf("forward: no tokens");
    for (const InjectedRows& r : injected)
        if (r.begin < 0 || r.end > static_cast<int>(tokens.size()) || r.begin >= r.end || !r.rows)
            return errorf("forward: injected rows [%d, %d) do not fit a batch of %zu tokens", r.begin, r.end, tokens.size());
        else if (r.width && r.width != d_.hidden)
            return errorf("forward: injected rows of width %d, but the model's hidden width is %d", r.width, d_.hidden);
    if (nPast_ + static_cast<int64_t>(tokens.size()) > cache_.maxContext())
        return errorf("forward: %d cached + %zu new tokens exceed the context of %d", nPast_, tokens.size(),
                      cache_.maxContext());
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i] < 0 || tokens[i] >= d_.vocab)
            return errorf("forward: token %d at index %zu is outside the vocabulary (0..%d)", tokens[i], i,
                          d_.vocab - 1);

    Batch b;
    b.n = static_cast<int>(tokens.size());
    b.pos0 = nPast_;
    b.x.resize(static_cast<size_t>(b.n) * d_.hidden);
    b.k.resize(d_.nLayers);
    b.v.resize(d_.nLayers);
    b.injected = injected;
    embed(b, tokens);
    if (d_.hasPle()) perLayerInputs(b, tokens);

    for (int il = 0; il < d_.nLayers; ++il) {
        attention(b, il);
        for (int t = 0; t < b.n; ++t) record("attn_out", il, t, &b.x[static_cast<size_t>(t) * d_.hidden], d_.hidden);
        feedForward(b, il);
        if (d_.hasPle()) pleInject(b, il);
        const float s = lv_[il].layerScale;
        for (float& v : b.x) v *= s;
        for (int t = 0; t < b.n; ++t) record("l_out", il, t, &b.x[static_cast<size_t>(t) * d_.hidden], d_.hidden);
    }

    // Commit the batch's K/V only now: shared layers above read it in-batch.
    for (int il = 0; il < d_.nLayers; ++il) {
        if (!d_.layers[il].ownsKv(il)) continue;
        const int width = d_.layers[il].nKvHeads * d_.layers[il].headDim;
        const int first = std::max(0, b.n - cache_.capacity(il));  // older ones would be overwritten anyway
        for (int t = first; t < b.n; ++t) {
            std::copy_n(&b.k[il][static_cast<size_t>(t) * width], width, cache_.k(il, b.pos0 + t));
            std::copy_n(&b.v[il][static_cast<size_t>(t) * width], width, cache_.v(il, b.pos0 + t));
        }
    }
    nPast_ += b.n;

    const int H = d_.hidden, V = d_.vocab;
    const int firstOut = allLogits ? 0 : b.n - 1;
    const int nOut = b.n - firstOut;
    std::vector<float> normed(static_cast<size_t>(nOut) * H);
    for (int t = 0; t < nOut; ++t) {
        rmsNorm(&b.x[static_cast<size_t>(firstOut + t) * H], outputNorm_.data(), &normed[static_cast<size_t>(t) * H],
                H, d_.rmsEps);
        record("result_norm", -1, firstOut + t, &normed[static_cast<size_t>(t) * H], H);
    }
    logits.assign(static_cast<size_t>(nOut) * V, 0.f);
    matmul(*w_.head(), 0, V, normed.data(), nOut, H, logits.data(), V);
    if (d_.finalSoftcap > 0.f) {
        const float c = d_.finalSoftcap;
        for (float& l : logits) l = static_cast<float>(c * std::tanh(static_cast<double>(l) / c));
    }
    return {};
}

}  // namespace facet::cpu
