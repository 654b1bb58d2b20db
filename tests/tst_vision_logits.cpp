// An image in the prompt, on the CPU reference: the references' soft tokens
// path (tests/data/vision, the
// vision reference data copied into the repository) end to end. Soft
// tokens from our tower go in place of the placeholder ids, unscaled, with
// <pad>'s per-layer row; logits must match llama.cpp's (bidirectional image
// block) and the float64 model's causal-mask logits within 0.05, greedy steps
// must equal llama.cpp's, and the mask each model uses (causal for the
// E2B/E4B family, bidirectional for 26B/31B, as Hugging Face) must be the one
// that matches — the other is 2-6 logits away.
#include <QtTest>

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "cpu/cpu_forward.h"
#include "model/model.h"
#include "support/test_paths.h"
#include "support/vision_input.h"
#include "vision/vision_forward.h"

using namespace facet;

namespace {

QJsonObject loadJson(const QString& name) {
    QFile f(test::dataFile("vision/" + name));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

float maxDiffAt(const std::vector<float>& logits, int vocab, int pos, const QJsonArray& expected) {
    float m = 0;
    for (int i = 0; i < vocab; ++i) m = std::max(m, std::abs(logits[size_t(pos) * vocab + i] - float(expected[i].toDouble())));
    return m;
}

int argmax(const float* row, int n) {
    int best = 0;
    for (int i = 1; i < n; ++i)
        if (row[i] > row[best]) best = i;
    return best;
}

}  // namespace

class TstVisionLogits : public QObject {
    Q_OBJECT
private slots:
    void imagePromptMatchesTheReferences_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mmproj");
        QTest::addColumn<QString>("picture");
        QTest::addColumn<bool>("bidirectional");  // what Hugging Face does for this family
        QTest::newRow("e2b-like gradient") << "e2b-like-vis.gradient.json" << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf"
                                           << "gradient-96x96.v-tiny.preproc.png" << false;
        QTest::newRow("e2b-like rings") << "e2b-like-vis.rings.json" << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf"
                                        << "rings-60x40.v-tiny.preproc.png" << false;
        QTest::newRow("dense31b-like gradient") << "dense31b-like-vis.f16.gradient.json" << "dense31b-like-vis.gguf"
                                                << "mmproj-v-tiny.f16.gguf" << "gradient-96x96.v-tiny.preproc.png" << true;
        QTest::newRow("dense31b-like rings") << "dense31b-like-vis.f16.rings.json" << "dense31b-like-vis.gguf"
                                             << "mmproj-v-tiny.f16.gguf" << "rings-60x40.v-tiny.preproc.png" << true;
    }
    void imagePromptMatchesTheReferences() {
        QFETCH(QString, json);
        QFETCH(QString, text);
        QFETCH(QString, mmproj);
        QFETCH(QString, picture);
        QFETCH(bool, bidirectional);
        const QJsonObject ref = loadJson(json);
        const QJsonObject prompt = ref["prompt"].toObject();
        std::vector<int> ids;
        for (const QJsonValue& v : prompt["ids"].toArray()) ids.push_back(v.toInt());
        const int begin = prompt["image_positions"].toArray()[0].toInt(), end = prompt["image_positions"].toArray()[1].toInt();
        QVERIFY(begin > 0 && end > begin && end < int(ids.size()));

        auto vision = VisionModel::open(test::dataFile("vision/" + mmproj).toStdString());
        QVERIFY2(vision.ok(), vision.ok() ? "" : vision.message().c_str());
        const QImage img(test::dataFile("vision/" + picture));
        auto soft = encodeImageCpu(*vision.value(), test::encoderInputOf(img), img.width(), img.height());
        QVERIFY(soft.ok());
        QCOMPARE(soft.value().count(), end - begin);
        auto model = Model::open(test::dataFile("vision/" + text).toStdString());
        QVERIFY2(model.ok(), model.ok() ? "" : model.message().c_str());
        const ModelDesc& d = model.value()->desc();
        QCOMPARE(soft.value().width, d.hidden);
        QCOMPARE(cpu::bidirectionalImageAttention(d), bidirectional);
        const int vocab = d.vocab;

        auto run = [&](bool bidi, std::vector<float>& logits, cpu::CpuForward& fwd) {
            const cpu::InjectedRows rows{begin, end, soft.value().values.data(), bidi};
            return fwd.forward(ids, {rows}, true, logits);
        };
        const QJsonObject llama = ref["reference"].toObject();
        const QJsonObject causal = ref["causal_image_mask"].toObject()["prompt_logits"].toObject();
        const QJsonObject llamaLogits = llama["prompt_logits"].toObject();
        QVERIFY(!causal.isEmpty() && !llamaLogits.isEmpty());

        // Bidirectional block: llama.cpp's numbers, logits and every text argmax.
        cpu::CpuForward bidiFwd(d, model.value()->weights(), int(ids.size()) + 8);
        std::vector<float> bidiLogits;
        Status s = run(true, bidiLogits, bidiFwd);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        for (auto it = llamaLogits.begin(); it != llamaLogits.end(); ++it) {
            const float diff = maxDiffAt(bidiLogits, vocab, it.key().toInt(), it.value().toArray());
            QVERIFY2(diff <= 0.05f, qPrintable(QString("bidirectional, position %1: %2").arg(it.key()).arg(diff)));
        }
        const QJsonObject argmaxes = llama["prompt_argmax"].toObject(), margins = llama["prompt_margin"].toObject();
        for (auto it = argmaxes.begin(); it != argmaxes.end(); ++it) {
            if (margins[it.key()].toDouble() < 0.05) continue;
            QCOMPARE(argmax(&bidiLogits[size_t(it.key().toInt()) * vocab], vocab), it.value().toInt());
        }
        // Greedy steps after the prompt, one token a call, as llama.cpp generated them.
        const QJsonArray generated = llama["generated_ids"].toArray();
        const QJsonArray steps = llama["gen_steps"].toArray();
        int next = argmax(&bidiLogits[(ids.size() - 1) * vocab], vocab);
        for (int k = 0; k < generated.size(); ++k) {
            if (steps[k].toObject()["margin"].toDouble() >= 0.05) QCOMPARE(next, generated[k].toInt());
            next = generated[k].toInt();  // teacher forcing keeps the steps aligned
            std::vector<float> step;
            QVERIFY(bidiFwd.forward({next}, false, step).ok());
            next = argmax(step.data(), vocab);
        }

        // Causal block: the float64 model's logits.
        cpu::CpuForward causalFwd(d, model.value()->weights(), int(ids.size()));
        std::vector<float> causalLogits;
        QVERIFY(run(false, causalLogits, causalFwd).ok());
        for (auto it = causal.begin(); it != causal.end(); ++it) {
            const float diff = maxDiffAt(causalLogits, vocab, it.key().toInt(), it.value().toArray());
            QVERIFY2(diff <= 0.05f, qPrintable(QString("causal, position %1: %2").arg(it.key()).arg(diff)));
        }

        // The wrong mask for this family is far outside the tolerance.
        const std::vector<float>& wrong = bidirectional ? causalLogits : bidiLogits;
        const QJsonObject& right = bidirectional ? llamaLogits : causal;
        float worst = 0;
        for (auto it = right.begin(); it != right.end(); ++it)
            worst = std::max(worst, maxDiffAt(wrong, vocab, it.key().toInt(), it.value().toArray()));
        QVERIFY2(worst > 1.0f, qPrintable(QString::number(worst)));
    }

    void injectedRowsMustFitTheBatch() {
        auto model = Model::open(test::dataFile("vision/e2b-like-vis.gguf").toStdString());
        QVERIFY(model.ok());
        cpu::CpuForward fwd(model.value()->desc(), model.value()->weights(), 16);
        std::vector<float> rows(size_t(4) * model.value()->desc().hidden), logits;
        const Status s = fwd.forward({2, 5, 6}, {cpu::InjectedRows{1, 5, rows.data(), false}}, false, logits);
        QVERIFY(!s.ok());
        QVERIFY2(QString::fromStdString(s.message()).contains("injected"), s.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstVisionLogits)
#include "tst_vision_logits.moc"
