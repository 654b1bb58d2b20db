#include "vision/vision_forward.h"

#include <algorithm>
#include <cmath>

#include "cpu/ops.h"
#include "model/dequantize.h"

namespace facet {

namespace {

using cpu::matmul;
using cpu::readVector;
using cpu::rmsNorm;

float clampTo(float x, float lo, float hi) { return std::min(std::max(x, lo), hi); }

// y = clamp(W · clamp(x, in), out) for n rows of width W.ne[0]; x is copied,
// so linears reading the same input clamp it independently (HF semantics).
std::vector<float> linear(const TensorView& W, const ClampBounds& c, const std::vector<float>& x, int n) {
    const int64_t in = W.ne[0], out = W.ne[1];
    std::vector<float> xc(x.begin(), x.begin() + n * in);
    if (std::isfinite(c.inMin) || std::isfinite(c.inMax))
        for (float& v : xc) v = clampTo(v, c.inMin, c.inMax);
    std::vector<float> y(static_cast<size_t>(n * out));
    matmul(W, 0, out, xc.data(), n, in, y.data(), out);
    if (std::isfinite(c.outMin) || std::isfinite(c.outMax))
        for (float& v : y) v = clampTo(v, c.outMin, c.outMax);
    return y;
}

void normRows(std::vector<float>& x, int n, int width, const float* w, float eps) {
    for (int i = 0; i < n; ++i) rmsNorm(&x[size_t(i) * width], w, &x[size_t(i) * width], width, eps);
}

}  // namespace

Result<SoftTokens> encodeImageCpu(const VisionModel& model, const std::vector<float>& input, int width, int height,
                                  const VisionOptions& options) {
    const VisionDesc& d = model.desc();
    const int p = d.patchSize, k = d.poolKernel, E = d.width, hd = d.headDim, H = d.heads;
    const int align = p * k;
    if (width <= 0 || height <= 0 || width % align || height % align)
        return errorf("vision: the picture is %d x %d; both sides must be positive multiples of %d", width, height, align);
    if (input.size() != size_t(3) * width * height)
        return errorf("vision: the encoder input holds %zu values, expected 3 x %d x %d", input.size(), width, height);
    const int cols = width / p, rows = height / p, n = cols * rows;
    if (std::max(cols, rows) > d.positionRows)
        return errorf("vision: %d patches along a side, but the position table has %d rows", std::max(cols, rows), d.positionRows);

    // Patch embedding: each patch flattened as (c, ky, kx), the conv kernel's order.
    const int patchLen = 3 * p * p;
    std::vector<float> patches(size_t(n) * patchLen);
    for (int py = 0; py < rows; ++py)
        for (int px = 0; px < cols; ++px) {
            float* dst = &patches[size_t(py * cols + px) * patchLen];
            for (int c = 0; c < 3; ++c)
                for (int ky = 0; ky < p; ++ky)
                    for (int kx = 0; kx < p; ++kx)
                        *dst++ = input[(size_t(c) * height + py * p + ky) * width + px * p + kx];
        }
    TensorView kernel = model.patchEmbedding();
    kernel.ne = {patchLen, E, 1, 1};
    std::vector<float> h(size_t(n) * E);
    matmul(kernel, 0, E, patches.data(), n, patchLen, h.data(), E);
    const TensorView& table = model.positionTable();
    const float* pos = reinterpret_cast<const float*>(table.data);
    for (int i = 0; i < n; ++i)
        for (int e = 0; e < E; ++e)
            h[size_t(i) * E + e] += pos[size_t(i % cols) * E + e] + pos[(size_t(d.positionRows) + i / cols) * E + e];

    // 2-D RoPE: the first half of each head turns with the column, the second with the row.
    std::vector<double> thetas(hd / 4);
    for (int j = 0; j < hd / 4; ++j) thetas[j] = std::pow(double(d.ropeTheta), -2.0 * j / (hd / 2));
    auto rope2d = [&](std::vector<float>& x) {
        for (int i = 0; i < n; ++i)
            for (int head = 0; head < H; ++head) {
                float* v = &x[(size_t(i) * H + head) * hd];
                cpu::rope(v, hd / 2, i % cols, thetas.data());
                cpu::rope(v + hd / 2, hd / 2, i / cols, thetas.data());
            }
    };
    auto act = [&](float g) { return options.geluQuick ? g / (1.f + std::exp(-1.702f * g)) : cpu::geluTanh(g); };

    std::vector<float> a(h.size()), scores(n);
    for (int il = 0; il < d.layers; ++il) {
        const VisionLayer& L = model.layer(il);
        auto lin = [&](VisionLinear which, const std::vector<float>& x) {
            return linear(*L.linear[size_t(which)], L.clamp[size_t(which)], x, n);
        };
        const std::vector<float> ln1 = readVector(*L.ln1), qn = readVector(*L.qNorm), kn = readVector(*L.kNorm);
        a = h;
        normRows(a, n, E, ln1.data(), d.eps);
        std::vector<float> q = lin(VisionLinear::Q, a), kk = lin(VisionLinear::K, a), v = lin(VisionLinear::V, a);
        normRows(q, n * H, hd, qn.data(), d.eps);
        normRows(kk, n * H, hd, kn.data(), d.eps);
        normRows(v, n * H, hd, nullptr, d.eps);
        rope2d(q);
        rope2d(kk);
        std::vector<float> att(size_t(n) * E, 0.f);
        for (int head = 0; head < H; ++head)
            for (int i = 0; i < n; ++i) {
                const float* qi = &q[(size_t(i) * H + head) * hd];
                for (int j = 0; j < n; ++j) {
                    const float* kj = &kk[(size_t(j) * H + head) * hd];
                    double s = 0;
                    for (int t = 0; t < hd; ++t) s += double(qi[t]) * kj[t];
                    scores[j] = static_cast<float>(s);  // scale 1: the q/k norms set the temperature
                }
                cpu::softmax(scores.data(), n);
                float* o = &att[size_t(i) * E + head * hd];
                for (int t = 0; t < hd; ++t) {
                    double s = 0;
                    for (int j = 0; j < n; ++j) s += double(scores[j]) * v[(size_t(j) * H + head) * hd + t];
                    o[t] = static_cast<float>(s);
                }
            }
        std::vector<float> o = lin(VisionLinear::Out, att);
        normRows(o, n, E, readVector(*L.attnPostNorm).data(), d.eps);
        for (size_t i = 0; i < h.size(); ++i) h[i] += o[i];

        a = h;
        normRows(a, n, E, readVector(*L.ln2).data(), d.eps);
        std::vector<float> gate = lin(VisionLinear::Gate, a), up = lin(VisionLinear::Up, a);
        for (size_t i = 0; i < gate.size(); ++i) gate[i] = act(gate[i]) * up[i];
        std::vector<float> down = lin(VisionLinear::Down, gate);
        normRows(down, n, E, readVector(*L.ffnPostNorm).data(), d.eps);
        for (size_t i = 0; i < h.size(); ++i) h[i] = (h[i] + down[i]) * L.outScale;
    }

    // k×k average pooling, ×√E, standardization, RMSNorm without weight, projection.
    SoftTokens out;
    out.cols = cols / k;
    out.rows = rows / k;
    const int nt = out.count();
    std::vector<float> pooled(size_t(nt) * E, 0.f);
    const double scale = std::sqrt(double(E)) / (k * k);
    for (int oy = 0; oy < out.rows; ++oy)
        for (int ox = 0; ox < out.cols; ++ox)
            for (int e = 0; e < E; ++e) {
                double s = 0;
                for (int dy = 0; dy < k; ++dy)
                    for (int dx = 0; dx < k; ++dx) s += h[(size_t(oy * k + dy) * cols + ox * k + dx) * E + e];
                pooled[(size_t(oy) * out.cols + ox) * E + e] = static_cast<float>(s * scale);
            }
    if (model.stdBias()) {
        const std::vector<float> bias = readVector(*model.stdBias()), sc = readVector(*model.stdScale());
        for (int i = 0; i < nt; ++i)
            for (int e = 0; e < E; ++e) {
                float& x = pooled[size_t(i) * E + e];
                x = (x - bias[e]) * sc[e];
            }
    }
    normRows(pooled, nt, E, nullptr, d.eps);
    out.width = d.textWidth;
    out.values.resize(size_t(nt) * out.width);
    matmul(model.projection(), 0, out.width, pooled.data(), nt, E, out.values.data(), out.width);
    return out;
}

}  // namespace facet
