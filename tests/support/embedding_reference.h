// The EmbeddingGemma reference files in tests/data/embedding (copied from the
// shared reference set; see tests/data/embedding/README.md): each GGUF has a JSON
// whose cases hold the text, llama.cpp's ids and the float64 embedding.
// Header-only so the embedding tests share it without a library change.
#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cmath>
#include <string>
#include <vector>

#include "support/test_paths.h"

namespace facet::test {

struct EmbeddingCase {
    std::string text;
    std::vector<int> ids;
    std::vector<float> exact;  // exact_embedding (float64 NumPy, rounded to float)
    std::vector<float> pooled, dense2, beforeL2;  // exact_intermediates, when present
};

struct EmbeddingReference {
    QString gguf;  // absolute path
    bool quantized = false;
    bool dense = false;
    std::vector<bool> layerIsSliding;
    std::vector<EmbeddingCase> cases;
};

// Stems of every reference file.
inline QStringList embeddingReferenceStems() {
    return {"embgemma-like.s11", "embgemma-like.s12", "embgemma-like.s11.q8_0", "embgemma-like.s12.q8_0",
            "embgemma-nodense.s13", "embgemma-gemmavocab.s14.q8_0"};
}

inline std::vector<float> toFloats(const QJsonValue& v) {
    std::vector<float> out;
    for (const QJsonValue& x : v.toArray()) out.push_back(static_cast<float>(x.toDouble()));
    return out;
}

// An empty `cases` means the JSON could not be read.
inline EmbeddingReference loadEmbeddingReference(const QString& stem) {
    EmbeddingReference r;
    r.gguf = dataFile("embedding/" + stem + ".gguf");
    QFile f(dataFile("embedding/" + stem + ".json"));
    if (!f.open(QIODevice::ReadOnly)) return r;
    const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject config = j["config"].toObject();
    r.quantized = config["weight_type"].toString() != "f32";
    r.dense = config["dense"].isArray();
    for (const QJsonValue& s : config["layer_is_sliding"].toArray()) r.layerIsSliding.push_back(s.toBool());
    for (const QJsonValue& cv : j["cases"].toArray()) {
        const QJsonObject c = cv.toObject();
        EmbeddingCase e;
        e.text = c["text"].toString().toStdString();
        for (const QJsonValue& id : c["ids"].toArray()) e.ids.push_back(id.toInt());
        e.exact = toFloats(c["exact_embedding"]);
        const QJsonObject in = c["exact_intermediates"].toObject();
        e.pooled = toFloats(in["pooled"]);
        e.dense2 = toFloats(in["dense_2"]);
        e.beforeL2 = toFloats(in["before_l2"]);
        r.cases.push_back(std::move(e));
    }
    return r;
}

struct VectorDiff {
    double maxAbs = 0.0;
    double cosine = 0.0;
    size_t worst = 0;  // index of maxAbs
};

inline VectorDiff compareVectors(const std::vector<float>& ref, const std::vector<float>& got) {
    VectorDiff d;
    double dot = 0.0, rr = 0.0, gg = 0.0;
    for (size_t i = 0; i < ref.size() && i < got.size(); ++i) {
        const double e = std::fabs(static_cast<double>(ref[i]) - got[i]);
        if (e > d.maxAbs) {
            d.maxAbs = e;
            d.worst = i;
        }
        dot += static_cast<double>(ref[i]) * got[i];
        rr += static_cast<double>(ref[i]) * ref[i];
        gg += static_cast<double>(got[i]) * got[i];
    }
    d.cosine = rr > 0 && gg > 0 ? dot / std::sqrt(rr * gg) : 0.0;
    return d;
}

// Truncated to n values and renormalized: the reference for --dim n.
inline std::vector<float> truncatedReference(const std::vector<float>& v, size_t n) {
    std::vector<float> out(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n, v.size())));
    double ss = 0.0;
    for (float x : out) ss += static_cast<double>(x) * x;
    for (float& x : out) x = static_cast<float>(x / std::sqrt(ss));
    return out;
}

}  // namespace facet::test
