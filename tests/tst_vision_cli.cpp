// facet-cli's image commands as the checks outside this repository run them:
// `embed-image` on the references' original pictures (decoding, preprocessing
// and the tower end to end) against the float64 soft tokens, on the CPU
// reference and on Vulkan (--backend vulkan against --backend cpu), and `logits
// --mmproj --image` with the references' prompt ids against the logits of the
// mask each family uses. Errors keep the one-line contract.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cstring>

#include "support/cli_run.h"
#include "support/test_paths.h"

using namespace facet::test;

namespace {

QJsonObject loadJson(const QString& name) {
    QFile f(dataFile("vision/" + name));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

std::vector<float> readFloats(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    std::vector<float> v(size_t(b.size()) / sizeof(float));
    std::memcpy(v.data(), b.constData(), v.size() * sizeof(float));
    return v;
}

QString v(const QString& name) { return dataFile("vision/" + name); }

}  // namespace

class TstVisionCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void embedImageWritesTheSoftTokens_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mmproj");
        QTest::addColumn<QString>("picture");
        QTest::newRow("f32 gradient") << "e2b-like-vis.gradient.json" << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf" << "gradient-96x96.png";
        QTest::newRow("f32 rings (upscaled, padded)") << "e2b-like-vis.rings.json" << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf"
                                                      << "rings-60x40.png";
        QTest::newRow("f16 rings") << "dense31b-like-vis.f16.rings.json" << "dense31b-like-vis.gguf" << "mmproj-v-tiny.f16.gguf"
                                   << "rings-60x40.png";
    }
    void embedImageWritesTheSoftTokens() {
        QFETCH(QString, json);
        QFETCH(QString, text);
        QFETCH(QString, mmproj);
        QFETCH(QString, picture);
        const QJsonObject ref = loadJson(json);
        const QString out = dir_.filePath(json + ".bin");
        const ProcessOutcome o = runProgram(cliPath(), {"embed-image", "--model", v(text), "--mmproj", v(mmproj), "--image",
                                                        v(picture), "--out", out});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const int n = ref["preprocess"].toObject()["n_tokens"].toInt();
        QCOMPARE(o.out, QString::number(n) + "\n");
        const std::vector<float> got = readFloats(out);
        std::vector<float> want;
        for (const QJsonValue& row : ref["vision"].toObject()["soft_tokens_numpy_f64"].toArray())
            for (const QJsonValue& x : row.toArray()) want.push_back(float(x.toDouble()));
        QCOMPARE(got.size(), want.size());
        float worst = 0;
        for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
        QVERIFY2(worst <= 1e-4f, qPrintable(QString::number(worst)));
    }

    // --backend vulkan runs the tower on the Vulkan device (lavapipe in CI):
    // the same count on stdout, the same soft tokens as --backend cpu within
    // tst_vk_vision's bound against the CPU reference (2e-5).
    void embedImageOnVulkanMatchesCpu_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mmproj");
        QTest::addColumn<QString>("picture");
        QTest::newRow("f32 gradient") << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf" << "gradient-96x96.png";
        QTest::newRow("f16 rings") << "dense31b-like-vis.gguf" << "mmproj-v-tiny.f16.gguf" << "rings-60x40.png";
    }
    void embedImageOnVulkanMatchesCpu() {
        QFETCH(QString, text);
        QFETCH(QString, mmproj);
        QFETCH(QString, picture);
        std::vector<float> outputs[2];
        QString counts[2];
        for (int i = 0; i < 2; ++i) {
            const QString backend = i ? "vulkan" : "cpu", out = dir_.filePath(mmproj + "." + backend + ".bin");
            const ProcessOutcome o = runProgram(cliPath(), {"embed-image", "--model", v(text), "--mmproj", v(mmproj), "--image",
                                                            v(picture), "--backend", backend, "--out", out});
            QVERIFY2(o.exitCode == 0, qPrintable(o.err));
            counts[i] = o.out;
            outputs[i] = readFloats(out);
        }
        QCOMPARE(counts[1], counts[0]);
        QVERIFY(!outputs[0].empty());
        QCOMPARE(outputs[1].size(), outputs[0].size());
        float worst = 0;
        for (size_t i = 0; i < outputs[0].size(); ++i) worst = std::max(worst, std::abs(outputs[0][i] - outputs[1][i]));
        QVERIFY2(worst <= 2e-5f, qPrintable(QString::number(worst)));
    }

    void logitsTakeTheImage_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mmproj");
        QTest::addColumn<bool>("bidirectional");
        QTest::addColumn<QString>("backend");
        for (const char* backend : {"cpu", "vulkan"}) {
            QTest::addRow("e2b-like: causal, %s", backend)
                << "e2b-like-vis.gradient.json" << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf" << false << backend;
            QTest::addRow("dense31b-like: bidirectional, %s", backend) << "dense31b-like-vis.f16.rings.json"
                                                                        << "dense31b-like-vis.gguf" << "mmproj-v-tiny.f16.gguf"
                                                                        << true << backend;
        }
    }
    void logitsTakeTheImage() {
        QFETCH(QString, json);
        QFETCH(QString, text);
        QFETCH(QString, mmproj);
        QFETCH(bool, bidirectional);
        QFETCH(QString, backend);
        const QJsonObject ref = loadJson(json);
        QStringList ids;
        for (const QJsonValue& id : ref["prompt"].toObject()["ids"].toArray()) ids << QString::number(id.toInt());
        const QString picture = json.contains("gradient") ? "gradient-96x96.png" : "rings-60x40.png";
        const QString out = dir_.filePath(json + "." + backend + ".logits");
        const ProcessOutcome o = runProgram(cliPath(), {"logits", "--model", v(text), "--mmproj", v(mmproj), "--image", v(picture),
                                                        "--tokens", ids.join(' '), "--out", out, "--backend", backend});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const std::vector<float> logits = readFloats(out);
        const QJsonObject expected = bidirectional ? ref["reference"].toObject()["prompt_logits"].toObject()
                                                   : ref["causal_image_mask"].toObject()["prompt_logits"].toObject();
        const int vocab = int(logits.size() / ids.size());
        QCOMPARE(size_t(vocab) * ids.size(), logits.size());
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const QJsonArray row = it.value().toArray();
            QCOMPARE(row.size(), vocab);
            float worst = 0;
            for (int i = 0; i < vocab; ++i)
                worst = std::max(worst, std::abs(logits[size_t(it.key().toInt()) * vocab + i] - float(row[i].toDouble())));
            QVERIFY2(worst <= 0.05f, qPrintable(QString("position %1: %2").arg(it.key()).arg(worst)));
        }
    }

    void imageErrorsAreOneLine() {
        const QJsonObject ref = loadJson("e2b-like-vis.gradient.json");
        QStringList ids;
        for (const QJsonValue& id : ref["prompt"].toObject()["ids"].toArray()) ids << QString::number(id.toInt());
        const QStringList base = {"--model", v("e2b-like-vis.gguf"), "--mmproj", v("mmproj-v-tiny.gguf")};
        // The rings picture makes 48 soft tokens; the prompt holds 64 placeholders.
        expectOneLineError(runProgram(cliPath(), QStringList{"logits"} + base +
                                                     QStringList{"--image", v("rings-60x40.png"), "--tokens", ids.join(' '),
                                                                 "--out", dir_.filePath("x")}),
                           "64 image placeholders");
        expectOneLineError(runProgram(cliPath(), QStringList{"embed-image"} + base +
                                                     QStringList{"--image", v("nowhere.png"), "--out", dir_.filePath("y")}),
                           "nowhere.png");
        expectOneLineError(runProgram(cliPath(), QStringList{"embed-image"} + base +
                                                     QStringList{"--image", v("README.md"), "--out", dir_.filePath("z")}),
                           "README.md");
        expectOneLineError(runProgram(cliPath(), QStringList{"embed-image"} + base +
                                                     QStringList{"--image", v("gradient-96x96.png"), "--backend", "metal",
                                                                 "--out", dir_.filePath("w")}),
                           "unknown backend 'metal'");
        expectOneLineError(runProgram(cliPath(), QStringList{"embed-image"} + base +
                                                     QStringList{"--image", v("gradient-96x96.png"), "--device", "0",
                                                                 "--out", dir_.filePath("w")}),
                           "--device needs --backend vulkan");
        expectOneLineError(runProgram(cliPath(), QStringList{"embed-image"} + base +
                                                     QStringList{"--image", v("gradient-96x96.png"), "--backend", "vulkan",
                                                                 "--device", "no such device", "--out", dir_.filePath("w")}),
                           "no such device");
        // A projector whose soft tokens do not fit the model's width.
        expectOneLineError(runProgram(cliPath(), {"embed-image", "--model", dataFile("embedding/embgemma-like.s11.gguf"), "--mmproj",
                                                  v("mmproj-v-tiny.gguf"), "--image", v("gradient-96x96.png"), "--out",
                                                  dir_.filePath("u")}),
                           "");
        QVERIFY(!QFile::exists(dir_.filePath("x")) && !QFile::exists(dir_.filePath("y")) && !QFile::exists(dir_.filePath("w")));
    }

private:
    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TstVisionCli)
#include "tst_vision_cli.moc"
