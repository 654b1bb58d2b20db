// Helpers for the Vulkan op tests (tst_vk_rope, _binary, _logits, _kv_store):
// non-zero random inputs, reference comparison with first mismatch / max abs /
// NMSE (house style rule 17), devices per option set, buffer upload/download.
#pragma once

#include <QtTest>
#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "cpu/ops.h"
#include "model/ggml_type.h"
#include "support/vk_fixture.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_upload.h"

namespace facet::test {

// Every weight type the shaders read (GGUF blocks), for per-type test rows.
inline constexpr GgmlType kShaderTypes[] = {GgmlType::F32,  GgmlType::F16,  GgmlType::BF16, GgmlType::Q8_0,
                                            GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1,
                                            GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K};
// Float types: rows of any length (the shaders' virtual block of 8 has a tail).
inline bool isFloatType(GgmlType t) { return t == GgmlType::F32 || t == GgmlType::F16 || t == GgmlType::BF16; }

// Row widths of the mat_vec tests: `blocks` (1 or 3) blocks of the type, or
// 0: the model width 1536. Float types get odd widths instead (the shaders'
// virtual block is 8 values, so these exercise the tail).
inline int matVecTestCols(GgmlType t, int blocks) {
    if (isFloatType(t)) return blocks == 1 ? 5 : blocks == 3 ? 19 : 1539;
    return blocks == 0 ? 1536 : int(typeInfo(t).blockElems) * blocks;
}

// Uniform in ±[lo, hi]: never zero, both signs.
inline std::vector<float> nonZero(size_t n, float lo, float hi, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> mag(lo, hi);
    std::bernoulli_distribution neg(0.5);
    std::vector<float> v(n);
    for (auto& x : v) x = neg(rng) ? -mag(rng) : mag(rng);
    return v;
}

struct Comparison {
    double nmse = 0, maxAbs = 0;
    QString firstBad;  // first element over the max-abs bound: "index i: ref X, got Y"
};

// ref[i] against got[i] for the listed indices (all when `index` is empty).
inline Comparison compareFloats(const std::vector<float>& ref, const std::vector<float>& got, double maxAbsBound,
                                const std::vector<size_t>& index = {}) {
    Comparison c;
    double num = 0, den = 0;
    const size_t n = index.empty() ? ref.size() : index.size();
    for (size_t k = 0; k < n; ++k) {
        const size_t i = index.empty() ? k : index[k];
        const double a = ref[i], b = got[i];
        const double d = std::abs(a - b);
        num += d * d;
        den += a * a;
        if (!(d <= c.maxAbs)) c.maxAbs = d;  // NaN sticks
        if (!(d <= maxAbsBound) && c.firstBad.isEmpty())
            c.firstBad = QString("index %1: ref %2, got %3").arg(i).arg(a, 0, 'g', 9).arg(b, 0, 'g', 9);
    }
    c.nmse = den > 0 ? num / den : 0;
    return c;
}

// A GEMV's outputs y[t][r] (t < nTok, r < rows, vector t at t * yStride)
// against its CPU twins: ref = g, or in GLU mode gelu_tanh(g) · u, plus y0
// where it accumulates; the gaps between vectors must still hold y0. Each
// product may be off by productAbs; the GLU epilogue's bound follows from
// gelu' in [-0.17, 1.13] and its exp form (~4e-6 relative, tst_vk_binary):
//   |got - ref| <= productAbs · (1.13 |u| + |gelu(g)|) + 4e-6 |ref|.
// worst: the largest error as a fraction of its bound.
struct ProductCheck {
    double nmse = 0, worst = 0;
    QString firstBad;
};

inline ProductCheck checkProducts(const std::vector<float>& got, const std::vector<float>& y0, const std::vector<float>& g,
                                  const std::vector<float>& u, int nTok, int rows, int yStride, bool glu,
                                  bool accumulate, double productAbs) {
    ProductCheck c;
    double num = 0, den = 0;
    for (int t = 0; t < nTok; ++t)
        for (int r = 0; r < yStride; ++r) {
            const size_t i = size_t(t) * yStride + r;
            if (r >= rows) {  // a gap between vectors
                if (got[i] != y0[i] && c.firstBad.isEmpty())
                    c.firstBad = QString("token %1 gap %2 was written").arg(t).arg(r);
                continue;
            }
            double ref = g[i], bound = productAbs;
            if (glu) {
                const double gel = cpu::geluTanh(g[i]);
                ref = gel * u[i];
                bound = productAbs * (1.13 * std::abs(u[i]) + std::abs(gel)) + 4e-6 * std::abs(ref);
            }
            if (accumulate) ref += y0[i];
            const double d = std::abs(got[i] - ref);
            num += d * d;
            den += ref * ref;
            if (!(d / bound <= c.worst)) c.worst = d / bound;  // NaN sticks
            if (!(d <= bound) && c.firstBad.isEmpty())
                c.firstBad = QString("token %1 row %2: ref %3, got %4 (bound %5)")
                                 .arg(t).arg(r).arg(ref, 0, 'g', 9).arg(got[i], 0, 'g', 9).arg(bound, 0, 'g', 3);
        }
    c.nmse = den > 0 ? num / den : 0;
    return c;
}

#define FACET_VERIFY_COMPARISON(c, maxNmse)                                                              \
    do {                                                                                                 \
        qInfo("NMSE %.3g, max abs %.3g", (c).nmse, (c).maxAbs);                                          \
        QVERIFY2((c).firstBad.isEmpty(), qPrintable((c).firstBad));                                      \
        QVERIFY2((c).nmse <= (maxNmse), qPrintable(QString("NMSE %1 > %2").arg((c).nmse).arg(maxNmse))); \
    } while (0)

// One validated instance and devices per (subgroups, binding limit), built on
// first use: pipelines compile per device, slowly on llvmpipe.
class VkOpBench {
public:
    bool init() {
        instance_ = makeValidatedInstance();
        return instance_ && device(true, 0);
    }
    vk::Instance* instance() const { return instance_.get(); }
    void release() { devices_.clear(); }

    vk::Device* device(bool subgroups, quint64 maxBindingBytes) {
        auto& d = devices_[{subgroups, maxBindingBytes}];
        if (!d) {
            vk::DeviceOptions o = plainOptions();
            o.noSubgroups = !subgroups;
            o.maxBindingBytes = maxBindingBytes;
            auto r = vk::Device::create(*instance_, o);
            if (!r.ok()) qWarning("%s", r.message().c_str());
            if (r.ok()) d = std::move(r).value();
        }
        return d.get();
    }

private:
    std::unique_ptr<vk::Instance> instance_;
    std::map<std::pair<bool, quint64>, std::unique_ptr<vk::Device>> devices_;
};

// A device-local buffer holding `bytes` bytes of `data` (nullptr: zero-filled
// is not promised; only sizes). nullptr on failure, with a warning.
inline std::unique_ptr<vk::Buffer> makeBuffer(vk::Device& dev, const void* data, size_t bytes, const char* name) {
    auto b = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, bytes, name);
    if (!b.ok()) {
        qWarning("%s", b.message().c_str());
        return nullptr;
    }
    if (data) {
        vk::UploaderOptions uo;
        uo.forceStaging = true;  // the copy path, as on a discrete GPU
        auto up = vk::Uploader::create(dev, uo);
        const Status st = up.ok() ? up.value()->upload(b.value()->whole(), data, bytes) : Status(up.error());
        if (!st.ok()) {
            qWarning("%s", st.message().c_str());
            return nullptr;
        }
    }
    return std::move(b).value();
}

// A product's buffers for argument checks (contents unset): weights of
// wBytes, x and y of ioBytes each, and a command buffer already recording.
struct ProductScratch {
    std::unique_ptr<vk::Buffer> w, x, y;
    std::unique_ptr<vk::Cmd> cmd;
};

inline bool makeProductScratch(vk::Device& dev, size_t wBytes, size_t ioBytes, ProductScratch& out) {
    auto w = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, wBytes, "w");
    auto x = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, ioBytes, "x");
    auto y = vk::Buffer::create(dev, vk::MemoryKind::DeviceLocal, ioBytes, "y");
    auto cmd = vk::Cmd::create(dev, "argument checks");
    if (!w.ok() || !x.ok() || !y.ok() || !cmd.ok() || !cmd.value()->begin().ok()) {
        qWarning("cannot make the product's buffers");
        return false;
    }
    out = {std::move(w).value(), std::move(x).value(), std::move(y).value(), std::move(cmd).value()};
    return true;
}

// MatVecArgs or MatMatArgs over the whole of `b`: rows [0, rows) of F32
// weights of `cols` columns.
template <typename Args>
Args scratchArgs(const ProductScratch& b, uint32_t cols, uint32_t rows) {
    Args a;
    a.weight = b.w->whole();
    a.type = GgmlType::F32;
    a.cols = cols;
    a.rowEnd = rows;
    a.x = b.x->whole();
    a.y = b.y->whole();
    return a;
}

template <typename T>
inline std::unique_ptr<vk::Buffer> makeBuffer(vk::Device& dev, const std::vector<T>& v, const char* name) {
    return makeBuffer(dev, v.data(), v.size() * sizeof(T), name);
}

template <typename T>
inline bool download(vk::Device& dev, const vk::Buffer& b, std::vector<T>& out) {
    out.resize(b.size() / sizeof(T));
    auto up = vk::Uploader::create(dev);
    const Status st =
        up.ok() ? up.value()->download(b.whole(), out.data(), out.size() * sizeof(T)) : Status(up.error());
    if (!st.ok()) qWarning("%s", st.message().c_str());
    return st.ok();
}

}  // namespace facet::test
