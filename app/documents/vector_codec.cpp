#include "vector_codec.h"

#include <cmath>
#include <cstdint>

namespace facet::docs {

Int8Vector quantizeInt8(std::span<const float> v) {
    float maxAbs = 0;
    for (float x : v) maxAbs = std::max(maxAbs, std::fabs(x));
    Int8Vector out;
    out.scale = maxAbs > 0 ? maxAbs / 127.0f : 0.0f;
    out.codes.resize(qsizetype(v.size()));
    for (size_t i = 0; i < v.size(); ++i)
        out.codes[qsizetype(i)] = char(out.scale > 0 ? std::lround(std::clamp(v[i] / out.scale, -127.0f, 127.0f)) : 0);
    return out;
}

std::vector<float> dequantizeInt8(const Int8Vector& v) {
    std::vector<float> out(size_t(v.codes.size()));
    for (size_t i = 0; i < out.size(); ++i) out[i] = float(static_cast<signed char>(v.codes[qsizetype(i)])) * v.scale;
    return out;
}

float dotInt8(std::span<const float> query, const char* codes, float scale) {
    float sum = 0;
    for (size_t i = 0; i < query.size(); ++i) sum += query[i] * float(static_cast<signed char>(codes[i]));
    return sum * scale;
}

float dotInt8(const Int8Vector& query, const char* codes, float scale) {
    const auto* a = reinterpret_cast<const signed char*>(query.codes.constData());
    const auto* b = reinterpret_cast<const signed char*>(codes);
    int32_t sum = 0;  // |sum| <= 127 * 127 * n: no overflow below n = 133k dimensions
    for (qsizetype i = 0; i < query.codes.size(); ++i) sum += int32_t(a[i]) * int32_t(b[i]);
    return float(sum) * query.scale * scale;
}

}  // namespace facet::docs
