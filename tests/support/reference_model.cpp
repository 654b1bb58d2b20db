#include "support/reference_model.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

#include "support/test_paths.h"

namespace facet::test {

static std::vector<int> ints(const QJsonArray& a) {
    std::vector<int> v;
    for (const auto& x : a) v.push_back(x.toInt());
    return v;
}

static std::vector<double> doubles(const QJsonArray& a) {
    std::vector<double> v;
    for (const auto& x : a) v.push_back(x.toDouble());
    return v;
}

static ReferenceRun readRun(const QJsonObject& o) {
    ReferenceRun r;
    for (const auto& pl : o.value("prompt_logits").toArray()) {
        const QJsonObject p = pl.toObject();
        r.promptLogits.push_back({p.value("pos").toInt(), doubles(p.value("logits").toArray())});
    }
    r.generated = ints(o.value("generated_ids").toArray());
    for (const auto& s : o.value("gen_steps").toArray()) {
        const QJsonObject st = s.toObject();
        r.steps.push_back({st.value("pos").toInt(), st.value("token").toInt(), st.value("margin").toDouble()});
    }
    return r;
}

bool loadReferenceModel(const QString& jsonName, ReferenceModel& out, QString& error) {
    QFile f(dataFile(jsonName));
    if (!f.open(QIODevice::ReadOnly)) {
        error = f.fileName() + ": " + f.errorString();
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (doc.isNull()) {
        error = f.fileName() + ": " + pe.errorString();
        return false;
    }
    const QJsonObject root = doc.object();
    const QJsonObject ref = root.value("reference").toObject();
    out.name = root.value("name").toString();
    out.ggufPath = dataFile(ref.value("model").toString());
    out.promptIds = ints(ref.value("prompt_ids").toArray());
    out.promptArgmax = ints(ref.value("prompt_argmax").toArray());
    out.promptMargin = doubles(ref.value("prompt_margin").toArray());
    out.llama = readRun(ref);
    out.exact = readRun(root.value("exact_reference").toObject());
    out.captures = ref.value("captures").toObject().value("tensors").toObject();
    out.capturePositions = ints(ref.value("captures").toObject().value("positions").toArray());
    if (out.promptIds.empty() || out.llama.generated.empty() || out.exact.promptLogits.empty()) {
        error = f.fileName() + ": missing reference fields";
        return false;
    }
    return true;
}

double maxAbsDiff(const float* a, const std::vector<double>& b) {
    double m = 0;
    for (size_t i = 0; i < b.size(); ++i) m = std::max(m, std::abs(static_cast<double>(a[i]) - b[i]));
    return m;
}

}  // namespace facet::test
