// Helpers of the vision tower tests: the references' soft tokens
// (tests/data/vision/*.json), comparisons that print the worst element, max
// abs and NMSE (house style rule 17), projector variants with extra scalars,
// and a synthetic encoder input.
#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/gguf_file.h"
#include "model/gguf_writer.h"
#include "support/test_paths.h"

namespace facet::test {

struct VisionReference {
    std::vector<float> numpy, llamacpp;
    int tokens = 0;
};

inline VisionReference loadVisionReference(const QString& name) {
    VisionReference r;
    QFile f(dataFile("vision/" + name));
    if (!f.open(QIODevice::ReadOnly)) return r;
    const QJsonObject json = QJsonDocument::fromJson(f.readAll()).object(), v = json["vision"].toObject();
    for (auto [key, out] : {std::pair{"soft_tokens_numpy_f64", &r.numpy}, std::pair{"soft_tokens_llamacpp", &r.llamacpp}})
        for (const QJsonValue& row : v[key].toArray())
            for (const QJsonValue& x : row.toArray()) out->push_back(float(x.toDouble()));
    r.tokens = json["preprocess"].toObject()["n_tokens"].toInt();
    return r;
}

struct VisionDiff {
    double maxAbs = 0, nmse = 0;
    size_t worst = 0;  // index of maxAbs
};

inline VisionDiff diffOf(const std::vector<float>& ref, const std::vector<float>& got) {
    VisionDiff d;
    double num = 0, den = 0;
    for (size_t i = 0; i < ref.size() && i < got.size(); ++i) {
        const double e = std::abs(double(ref[i]) - got[i]);
        num += e * e;
        den += double(ref[i]) * ref[i];
        if (!(e <= d.maxAbs)) d.maxAbs = e, d.worst = i;  // NaN sticks
    }
    d.nmse = den > 0 ? num / den : 0;
    return d;
}

// Fails unless got is within maxAbs of ref; prints the worst element, max abs and NMSE.
inline void expectClose(const std::vector<float>& ref, const std::vector<float>& got, double maxAbs, const char* what) {
    QVERIFY2(!ref.empty(), what);
    QCOMPARE(got.size(), ref.size());
    const VisionDiff d = diffOf(ref, got);
    const QString line = QString("%1: max abs %2 at [%3] (ref %4, got %5), NMSE %6")
                             .arg(what).arg(d.maxAbs, 0, 'g', 3).arg(d.worst).arg(ref[d.worst], 0, 'g', 9)
                             .arg(got[d.worst], 0, 'g', 9).arg(d.nmse, 0, 'g', 3);
    qInfo("%s", qPrintable(line));
    QVERIFY2(d.maxAbs <= maxAbs, qPrintable(line));
}

// A copy of the projector `from` with the F32 scalars `scalars` added or
// replaced (clamp bounds, out_scale): the variants VisionModel must honour.
inline Status writeWithScalars(const std::string& from, const std::string& to, const std::map<std::string, float>& scalars) {
    FACET_ASSIGN(auto f, GgufFile::open(from));
    GgufWriter w;
    for (const auto& [key, value] : f->metadata()) w.addValue(key, value);
    for (const GgufTensorInfo& t : f->tensors()) {
        if (scalars.count(t.name)) continue;
        FACET_ASSIGN(TensorView v, f->view(t));
        w.addTensorRaw(t.name, t.rawType, std::vector<int64_t>(t.ne.begin(), t.ne.begin() + t.nDims),
                       std::vector<uint8_t>(v.data, v.data + v.nbytes));
    }
    for (const auto& [name, value] : scalars) {
        std::vector<uint8_t> b(4);
        std::memcpy(b.data(), &value, 4);
        w.addTensor(name, GgmlType::F32, {1}, std::move(b));
    }
    return w.write(to);
}

// A deterministic encoder input in [-1, 1] (planar, as encoderInput makes).
inline std::vector<float> syntheticInput(int width, int height) {
    std::vector<float> v(size_t(3) * width * height);
    for (size_t i = 0; i < v.size(); ++i) v[i] = float(int((i * 7919) % 255)) / 127.f - 1.f;
    return v;
}

}  // namespace facet::test
