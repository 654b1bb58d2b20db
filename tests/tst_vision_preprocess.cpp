// Image preprocessing (spec gemma4-vision.md §3.1): the target size, padding
// and soft-token grid, and the u8 canvas bit-exact against llama.cpp's
// (tests/data/vision: the reference pictures, their *.v-tiny.preproc.png and
// preprocess.json, the JSONs' `preprocess` objects); the real budget's sizes
// against hand-computed float32 values (spec §6); the errors.
#include <QtTest>

#include <QCryptographicHash>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

#include "image_loader.h"
#include "support/test_paths.h"
#include "vision/image_preprocess.h"

using namespace facet;

namespace {

// The reference JSON rounds the stats to 1e-6.
constexpr double kStatsTolerance = 1e-5;

// mmproj-v-tiny: patch 4, 3×3 pooling (12-pixel cells), llama.cpp's 40…280.
ImageBudget vTinyBudget() { return ImageBudget{4, 3, 40, 280}; }

QJsonObject referencePreprocess(const QString& picture) {
    QFile f(test::dataFile(QStringLiteral("vision/preprocess.json")));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("pictures")).toObject()
        .value(picture).toObject();
}

QPair<int, int> pair(const QJsonValue& v) { return {v.toArray().at(0).toInt(), v.toArray().at(1).toInt()}; }

RgbImage rgbOf(const QImage& source) {
    const QImage img = source.convertToFormat(QImage::Format_RGB888);
    RgbImage out;
    out.width = img.width();
    out.height = img.height();
    for (int y = 0; y < img.height(); ++y)
        out.rgb.insert(out.rgb.end(), img.constScanLine(y), img.constScanLine(y) + size_t(img.width()) * 3);
    return out;
}

RgbImage solid(int w, int h, uint8_t v) { return RgbImage{w, h, std::vector<uint8_t>(size_t(w) * h * 3, v)}; }

}  // namespace

class TstVisionPreprocess : public QObject {
    Q_OBJECT
private slots:
    void matchesLlamaCppReference_data() {
        QTest::addColumn<QString>("picture");
        QTest::newRow("gradient-96x96 (as is)") << QStringLiteral("gradient-96x96");
        QTest::newRow("rings-60x40 (upscaled, padded)") << QStringLiteral("rings-60x40");
    }
    void matchesLlamaCppReference() {
        QFETCH(QString, picture);
        const QJsonObject ref = referencePreprocess(picture + QStringLiteral(".png"));
        QVERIFY2(!ref.isEmpty(), "tests/data/vision/preprocess.json lacks the picture");
        auto image = loadImageFile(test::dataFile(QStringLiteral("vision/%1.png").arg(picture)));
        QVERIFY2(image.ok(), image.ok() ? "" : image.message().c_str());
        QCOMPARE((QPair<int, int>{image->width, image->height}), pair(ref[QStringLiteral("input_size")]));

        auto pre = preprocessImage(*image, vTinyBudget());
        QVERIFY2(pre.ok(), pre.ok() ? "" : pre.message().c_str());
        const ImagePlan& p = pre->plan;
        QCOMPARE(p.align, ref[QStringLiteral("align")].toInt());
        QCOMPARE(p.minPixels, ref[QStringLiteral("min_pixels")].toInt());
        QCOMPARE(p.maxPixels, ref[QStringLiteral("max_pixels")].toInt());
        QCOMPARE((QPair<int, int>{p.targetWidth, p.targetHeight}), pair(ref[QStringLiteral("target_size")]));
        QCOMPARE((QPair<int, int>{p.contentWidth, p.contentHeight}), pair(ref[QStringLiteral("resized_content")]));
        QCOMPARE((QPair<int, int>{p.padX, p.padY}), pair(ref[QStringLiteral("pad_offset")]));
        QCOMPARE((QPair<int, int>{p.gridCols, p.gridRows}), pair(ref[QStringLiteral("grid_tokens")]));
        QCOMPARE(p.nTokens, ref[QStringLiteral("n_tokens")].toInt());
        QCOMPARE(p.resized, ref[QStringLiteral("resized")].toBool());

        const RgbImage& canvas = pre->canvas;
        QCOMPARE(canvas.width, p.targetWidth);
        QCOMPARE(canvas.height, p.targetHeight);
        const QByteArray sha = QCryptographicHash::hash(
            QByteArray::fromRawData(reinterpret_cast<const char*>(canvas.rgb.data()), qsizetype(canvas.rgb.size())),
            QCryptographicHash::Sha256).toHex();
        QCOMPARE(QString::fromLatin1(sha), ref[QStringLiteral("resized_rgb_sha256")].toString());

        // Every byte against the reference canvas; the first mismatch names its place.
        QImage refPng(test::dataFile(QStringLiteral("vision/") + ref[QStringLiteral("resized_png")].toString()));
        QVERIFY(!refPng.isNull());
        const RgbImage expected = rgbOf(refPng);
        QCOMPARE(expected.width, canvas.width);
        QCOMPARE(expected.height, canvas.height);
        for (size_t i = 0; i < canvas.rgb.size(); ++i)
            if (canvas.rgb[i] != expected.rgb[i])
                QFAIL(qPrintable(QStringLiteral("byte %1 (x %2, y %3, channel %4): reference %5, actual %6")
                                     .arg(i).arg(i / 3 % canvas.width).arg(i / 3 / canvas.width).arg(i % 3)
                                     .arg(expected.rgb[i]).arg(canvas.rgb[i])));

        // The encoder input: planar R, G, B of 2·u8/255 − 1.
        const std::vector<float> x = encoderInput(*pre);
        const size_t plane = size_t(canvas.width) * canvas.height;
        QCOMPARE(x.size(), plane * 3);
        const QJsonObject stats = ref[QStringLiteral("encoder_input_stats")].toObject();
        for (int c = 0; c < 3; ++c) {
            double sum = 0, sumSq = 0, lo = 1e9, hi = -1e9;
            for (size_t i = 0; i < plane; ++i) {
                const double v = x[c * plane + i];
                QCOMPARE(float(v), 2.0f * (float(canvas.rgb[i * 3 + c]) / 255.0f) - 1.0f);
                sum += v;
                sumSq += v * v;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            const double mean = sum / double(plane);
            const double sd = std::sqrt(std::max(0.0, sumSq / double(plane) - mean * mean));
            const auto near = [&](double actual, const char* key) {
                const double want = stats[QLatin1String(key)].toArray().at(c).toDouble();
                if (std::abs(actual - want) > kStatsTolerance)
                    QFAIL(qPrintable(QStringLiteral("channel %1 %2: reference %3, actual %4")
                                         .arg(c).arg(QLatin1String(key)).arg(want, 0, 'g', 9).arg(actual, 0, 'g', 9)));
            };
            near(mean, "mean");
            near(sd, "std");
            near(lo, "min");
            near(hi, "max");
        }
    }

    // Real projector budget (patch 16, pool 3: 48-pixel cells, 40…280 tokens).
    // Targets from spec §6; content and padding worked by hand in float32
    // (s = min(w'/W, h'/H), nw = ceil(W·s)).
    void plansRealBudget_data() {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("tw");
        QTest::addColumn<int>("th");
        QTest::addColumn<int>("cw");
        QTest::addColumn<int>("ch");
        QTest::addColumn<int>("tokens");
        QTest::newRow("640x480 rounds") << 640 << 480 << 624 << 480 << 624 << 468 << 130;
        QTest::newRow("1920x1080 shrinks") << 1920 << 1080 << 1056 << 576 << 1024 << 576 << 264;
        QTest::newRow("4000x3000 shrinks") << 4000 << 3000 << 912 << 672 << 896 << 672 << 266;
        QTest::newRow("3000x4000 portrait") << 3000 << 4000 << 672 << 912 << 672 << 896 << 266;
        QTest::newRow("10x10 up to the floor") << 10 << 10 << 336 << 336 << 336 << 336 << 49;
        QTest::newRow("96x96 up to the floor") << 96 << 96 << 336 << 336 << 336 << 336 << 49;
        QTest::newRow("1x1") << 1 << 1 << 336 << 336 << 336 << 336 << 49;
        QTest::newRow("8192x8192") << 8192 << 8192 << 768 << 768 << 768 << 768 << 256;
        QTest::newRow("16384x1 leaves the budget") << 16384 << 1 << 102768 << 48 << 102768 << 7 << 2141;
    }
    void plansRealBudget() {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(int, tw);
        QFETCH(int, th);
        QFETCH(int, cw);
        QFETCH(int, ch);
        QFETCH(int, tokens);
        auto plan = planImage(w, h, ImageBudget{});
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->align, 48);
        QCOMPARE(plan->minPixels, 40 * 48 * 48);
        QCOMPARE(plan->maxPixels, 280 * 48 * 48);
        QCOMPARE(plan->targetWidth, tw);
        QCOMPARE(plan->targetHeight, th);
        QCOMPARE(plan->contentWidth, cw);
        QCOMPARE(plan->contentHeight, ch);
        QCOMPARE(plan->padX, (tw - cw) / 2);
        QCOMPARE(plan->padY, (th - ch) / 2);
        QCOMPARE(plan->gridCols, tw / 48);
        QCOMPARE(plan->gridRows, th / 48);
        QCOMPARE(plan->nTokens, tokens);
        QVERIFY(plan->resized);
    }

    // Over many sizes: the canvas is whole cells, the content fits and is
    // centred, and ordinary aspect ratios stay inside the token budget.
    void planInvariantsHoldAcrossSizes() {
        const ImageBudget budget;
        for (int w = 1; w <= 4096; w += 37)
            for (int h = 1; h <= 4096; h += 53) {
                auto p = planImage(w, h, budget);
                QVERIFY2(p.ok(), p.ok() ? "" : p.message().c_str());
                const QString at = QStringLiteral("%1x%2").arg(w).arg(h);
                QVERIFY2(p->targetWidth % 48 == 0 && p->targetHeight % 48 == 0, qPrintable(at));
                QVERIFY2(p->contentWidth >= 1 && p->contentWidth <= p->targetWidth, qPrintable(at));
                QVERIFY2(p->contentHeight >= 1 && p->contentHeight <= p->targetHeight, qPrintable(at));
                QVERIFY2(p->contentWidth == p->targetWidth || p->contentHeight == p->targetHeight, qPrintable(at));
                QCOMPARE(p->padX, (p->targetWidth - p->contentWidth) / 2);
                QCOMPARE(p->padY, (p->targetHeight - p->contentHeight) / 2);
                QCOMPARE(p->nTokens, p->gridCols * p->gridRows);
                if (std::max(w, h) <= 4 * std::min(w, h))
                    QVERIFY2(p->nTokens >= 40 && p->nTokens <= 280,
                             qPrintable(at + QStringLiteral(": %1 tokens").arg(p->nTokens)));
            }
    }

    void keepsAFittingPictureUnchanged() {
        RgbImage img{96, 48, {}};
        for (int i = 0; i < 96 * 48 * 3; ++i) img.rgb.push_back(uint8_t(i * 7));
        auto pre = preprocessImage(img, ImageBudget{16, 3, 1, 280});
        QVERIFY2(pre.ok(), pre.ok() ? "" : pre.message().c_str());
        QVERIFY(!pre->plan.resized);
        QCOMPARE(pre->plan.nTokens, 2);
        QVERIFY(pre->canvas.rgb == img.rgb);
    }

    // A 60×40 picture on the v-tiny budget: 96×64 content 4 rows below the
    // top of a 96×72 canvas; the padding rows are black.
    void padsWithBlack() {
        auto pre = preprocessImage(solid(60, 40, 200), vTinyBudget());
        QVERIFY2(pre.ok(), pre.ok() ? "" : pre.message().c_str());
        const RgbImage& c = pre->canvas;
        for (int y = 0; y < c.height; ++y)
            for (int x = 0; x < c.width; ++x) {
                const bool inside = y >= 4 && y < 68;
                QCOMPARE(c.rgb[(size_t(y) * c.width + x) * 3], uint8_t(inside ? 200 : 0));
            }
    }

    void rejectsBadInput_data() {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<int>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("0x0") << 0 << 0 << 0 << QStringLiteral("empty picture (0×0, 0 bytes)");
        QTest::newRow("negative") << -4 << 4 << 48 << QStringLiteral("empty picture (-4×4");
        QTest::newRow("no bytes") << 4 << 4 << 0 << QStringLiteral("empty picture (4×4, 0 bytes)");
        QTest::newRow("short buffer") << 4 << 4 << 47 << QStringLiteral("image 4×4: 47 RGB bytes, expected 48");
        QTest::newRow("side too long") << 16385 << 1 << 3 << QStringLiteral("expected each side at most 16384");
        QTest::newRow("over 64 MP") << 9000 << 9000 << 3
                                    << QStringLiteral("is 81000000 pixels, expected at most 67108864");
    }
    void rejectsBadInput() {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(int, bytes);
        QFETCH(QString, message);
        RgbImage img{w, h, std::vector<uint8_t>(size_t(bytes), 1)};
        auto pre = preprocessImage(img, ImageBudget{});
        QVERIFY(!pre.ok());
        QVERIFY2(QString::fromStdString(pre.message()).contains(message), pre.message().c_str());
    }

    void rejectsBadBudget_data() {
        QTest::addColumn<int>("patch");
        QTest::addColumn<int>("pool");
        QTest::addColumn<int>("minTokens");
        QTest::addColumn<int>("maxTokens");
        QTest::addColumn<QString>("message");
        QTest::newRow("min > max") << 16 << 3 << 300 << 280 << QStringLiteral("min tokens 300 > max tokens 280");
        QTest::newRow("min 0") << 16 << 3 << 0 << 280 << QStringLiteral("min tokens 0, expected at least 1");
        QTest::newRow("patch 0") << 0 << 3 << 40 << 280 << QStringLiteral("patch size 0, expected 1..256");
        QTest::newRow("pool 0") << 16 << 0 << 40 << 280 << QStringLiteral("pool kernel 0, expected 1..16");
        QTest::newRow("overflow") << 256 << 16 << 40 << 1000000 << QStringLiteral("overflows");
    }
    void rejectsBadBudget() {
        QFETCH(int, patch);
        QFETCH(int, pool);
        QFETCH(int, minTokens);
        QFETCH(int, maxTokens);
        QFETCH(QString, message);
        auto plan = planImage(640, 480, ImageBudget{patch, pool, minTokens, maxTokens});
        QVERIFY(!plan.ok());
        QVERIFY2(QString::fromStdString(plan.message()).contains(message), plan.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstVisionPreprocess)
#include "tst_vision_preprocess.moc"
