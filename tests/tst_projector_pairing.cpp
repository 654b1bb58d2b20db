// Which vision projector goes with a text model (vision/projector_pairing.h):
// the reference pairs in tests/data/vision pair; a projector of another width,
// of another type or without an encoder is refused with its reason; of several
// that fit, the name nearest the model's, then the smaller precision, then the
// name wins, whatever order the folder lists them in; no candidate and an
// unreadable model say so. Hugging Face folders: the vision tower is seen in
// the shard index or the single safetensors header.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

#include "model/gguf_writer.h"
#include "model/model_maker.h"
#include "model/safetensors_writer.h"
#include "model/variants.h"
#include "vision/projector_maker.h"
#include "vision/projector_pairing.h"
#include "support/test_paths.h"

using namespace facet;

namespace {

// The reference projectors' shape (tests/data/vision/README.md) with another text width.
VisionDesc tinyTower(int textWidth) {
    VisionDesc d;
    d.patchSize = 4, d.poolKernel = 3, d.width = 48, d.ffn = 96, d.layers = 2, d.heads = 3, d.headDim = 16;
    d.positionRows = 64, d.textWidth = textWidth;
    return d;
}

std::vector<uint8_t> zeros(size_t floats) { return std::vector<uint8_t>(floats * sizeof(float), 0); }

}  // namespace

class TstProjectorPairing : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    int folders_ = 0;

    // A fresh folder holding the given files of tests/data/vision, renamed.
    QString folderWith(const QList<std::pair<QString, QString>>& files) {
        const QString dir = tmp_.filePath(QString("case%1").arg(++folders_));
        QDir().mkpath(dir);
        for (const auto& [from, to] : files)
            if (!QFile::copy(dataFile("vision/" + from), dir + "/" + to)) qWarning("cannot copy %s", qPrintable(from));
        return dir;
    }
    static QString dataFile(const QString& name) { return facet::test::dataFile(name); }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void pairsTheReferenceModels_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("projector");
        QTest::newRow("e2b-like + f32") << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf";
        QTest::newRow("e2b-like + f16") << "e2b-like-vis.gguf" << "mmproj-v-tiny.f16.gguf";
        QTest::newRow("dense31b-like + f16") << "dense31b-like-vis.gguf" << "mmproj-v-tiny.f16.gguf";
    }
    void pairsTheReferenceModels() {
        QFETCH(QString, model);
        QFETCH(QString, projector);
        const QString dir = folderWith({{model, model}, {projector, projector}});
        const auto hidden = readModelHiddenWidth((dir + "/" + model).toStdString());
        QVERIFY2(hidden.ok(), hidden.ok() ? "" : hidden.message().c_str());
        QCOMPARE(hidden.value(), 64);
        const auto header = readProjectorHeader((dir + "/" + projector).toStdString());
        QVERIFY2(header.ok(), header.ok() ? "" : header.message().c_str());
        QCOMPARE(QString::fromStdString(header->projectorType), QString("gemma4v"));
        QCOMPARE(header->textWidth, 64);

        const ProjectorPairing p = findProjector((dir + "/" + model).toStdString());
        QVERIFY2(p.paired(), p.reason.c_str());
        QCOMPARE(QString::fromStdString(p.path), dir + "/" + projector);
        QVERIFY(p.reason.empty());
        QCOMPARE(p.candidates.size(), size_t(1));
        QVERIFY(p.candidates[0].refusal.empty());
    }

    // Soft tokens must be as wide as the model's hidden state (spec §7.2):
    // a model of width 96 takes neither reference projector (64), and a
    // projector for width 32 does not fit the reference model.
    void refusesAnotherWidth() {
        ModelDesc wide;
        QVERIFY(variantByName("e2b-like", wide));
        wide.hidden = 96, wide.embedScale = std::sqrt(96.f);
        const QString dir = folderWith({{"mmproj-v-tiny.f16.gguf", "mmproj-v-tiny.f16.gguf"}});
        const std::string model = (dir + "/wide.gguf").toStdString();
        const Status written = writeRandomGguf(wide, {}, model);
        QVERIFY2(written.ok(), written.message().c_str());
        ProjectorPairing p = findProjector(model);
        QCOMPARE(pairingStatusName(p.status), pairingStatusName(PairingStatus::NoneFits));
        QVERIFY(p.path.empty());
        QCOMPARE(p.candidates.size(), size_t(1));
        QVERIFY2(p.candidates[0].refusal.find("64 wide") != std::string::npos &&
                 p.candidates[0].refusal.find("hidden width 96") != std::string::npos, p.candidates[0].refusal.c_str());
        QVERIFY2(p.reason.find("mmproj-v-tiny.f16.gguf") != std::string::npos, p.reason.c_str());

        const QString narrow = folderWith({{"e2b-like-vis.gguf", "e2b-like-vis.gguf"}});
        const Status made = writeRandomProjector(tinyTower(32), {}, (narrow + "/mmproj-narrow.gguf").toStdString());
        QVERIFY2(made.ok(), made.message().c_str());
        p = findProjector((narrow + "/e2b-like-vis.gguf").toStdString());
        QCOMPARE(pairingStatusName(p.status), pairingStatusName(PairingStatus::NoneFits));
        QVERIFY2(p.reason.find("32 wide") != std::string::npos, p.reason.c_str());
        // The caller's width wins when it knows it: 32 takes this projector.
        QVERIFY(findProjector((narrow + "/e2b-like-vis.gguf").toStdString(), 32).paired());
    }

    // Projector files of other models or broken ones are refused, each with
    // its reason; the converter's key clip.vision.projector_type and the
    // projection_dim fallback are read.
    void readsTheProjectorType_data() {
        QTest::addColumn<QString>("typeKey");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("hasEncoder");
        QTest::addColumn<bool>("projectionTensor");  // else clip.vision.projection_dim
        QTest::addColumn<QString>("refusal");        // empty: it pairs
        QTest::newRow("gemma4v") << "clip.projector_type" << "gemma4v" << true << true << "";
        QTest::newRow("converter's key") << "clip.vision.projector_type" << "gemma4v" << true << false << "";
        QTest::newRow("gemma3") << "clip.projector_type" << "gemma3" << true << true << "'gemma3' is not Gemma 4 vision";
        QTest::newRow("audio only") << "clip.vision.projector_type" << "gemma4v" << false << true << "no vision encoder";
        QTest::newRow("no type") << "" << "" << true << true << "not a projector file";
    }
    void readsTheProjectorType() {
        QFETCH(QString, typeKey);
        QFETCH(QString, type);
        QFETCH(bool, hasEncoder);
        QFETCH(bool, projectionTensor);
        QFETCH(QString, refusal);
        const QString dir = folderWith({{"e2b-like-vis.gguf", "e2b-like-vis.gguf"}});
        GgufWriter w;
        w.addString("general.architecture", "clip");
        if (!typeKey.isEmpty()) w.addString(typeKey.toStdString(), type.toStdString());
        w.addBool("clip.has_vision_encoder", hasEncoder);
        if (projectionTensor)
            w.addTensor("mm.input_projection.weight", GgmlType::F32, {48, 64}, zeros(48 * 64));
        else
            w.addUInt32("clip.vision.projection_dim", 64);
        const Status s = w.write((dir + "/mmproj-x.gguf").toStdString());
        QVERIFY2(s.ok(), s.message().c_str());
        const ProjectorPairing p = findProjector((dir + "/e2b-like-vis.gguf").toStdString());
        QCOMPARE(p.candidates.size(), size_t(1));
        if (refusal.isEmpty()) {
            QVERIFY2(p.paired(), p.reason.c_str());
            return;
        }
        QCOMPARE(pairingStatusName(p.status), pairingStatusName(PairingStatus::NoneFits));
        QVERIFY2(QString::fromStdString(p.candidates[0].refusal).contains(refusal), p.candidates[0].refusal.c_str());
        QVERIFY2(p.candidates[0].refusal.find("mmproj-x.gguf") != std::string::npos, p.candidates[0].refusal.c_str());
    }

    void refusesFilesThatAreNoGguf() {
        const QString dir = folderWith({{"e2b-like-vis.gguf", "e2b-like-vis.gguf"}, {"mmproj-v-tiny.gguf", "mmproj-v-tiny.gguf"}});
        QFile broken(dir + "/mmproj-broken.gguf");
        QVERIFY(broken.open(QIODevice::WriteOnly) && broken.write("not a GGUF at all, just text") > 0);
        broken.close();
        const ProjectorPairing p = findProjector((dir + "/e2b-like-vis.gguf").toStdString());
        QVERIFY2(p.paired(), p.reason.c_str());  // the good one still pairs
        QCOMPARE(QString::fromStdString(p.path), dir + "/mmproj-v-tiny.gguf");
        QCOMPARE(p.candidates.size(), size_t(2));
        QVERIFY2(p.candidates[0].refusal.find("mmproj-broken.gguf") != std::string::npos, p.candidates[0].refusal.c_str());
    }

    // Name first (a projector named after the model), then precision (F16
    // before F32), then the name's byte order; the order the files were made
    // in (and so the folder's listing) never decides.
    void choosesOneDeterministically_data() {
        QTest::addColumn<QStringList>("sources");  // copied in this order
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QString>("chosen");
        QTest::newRow("f16 over f32") << QStringList{"mmproj-v-tiny.gguf", "mmproj-v-tiny.f16.gguf"}
                                      << QStringList{"mmproj-v-tiny.gguf", "mmproj-v-tiny.f16.gguf"} << "mmproj-v-tiny.f16.gguf";
        QTest::newRow("f16 over f32, made the other way") << QStringList{"mmproj-v-tiny.f16.gguf", "mmproj-v-tiny.gguf"}
                                                          << QStringList{"mmproj-v-tiny.f16.gguf", "mmproj-v-tiny.gguf"}
                                                          << "mmproj-v-tiny.f16.gguf";
        QTest::newRow("the model's name over precision")
            << QStringList{"mmproj-v-tiny.f16.gguf", "mmproj-v-tiny.gguf"}
            << QStringList{"mmproj-other-F16.gguf", "mmproj-e2b-like-vis-F32.gguf"} << "mmproj-e2b-like-vis-F32.gguf";
        QTest::newRow("equal: by name") << QStringList{"mmproj-v-tiny.f16.gguf", "mmproj-v-tiny.f16.gguf"}
                                        << QStringList{"mmproj-b.gguf", "MMPROJ-A.GGUF"} << "MMPROJ-A.GGUF";
    }
    void choosesOneDeterministically() {
        QFETCH(QStringList, sources);
        QFETCH(QStringList, names);
        QFETCH(QString, chosen);
        QList<std::pair<QString, QString>> files{{"e2b-like-vis.gguf", "e2b-like-vis.gguf"}};
        for (int i = 0; i < sources.size(); ++i) files.append({sources[i], names[i]});
        const QString dir = folderWith(files);
        const ProjectorPairing p = findProjector((dir + "/e2b-like-vis.gguf").toStdString());
        QVERIFY2(p.paired(), p.reason.c_str());
        QCOMPARE(p.candidates.size(), size_t(2));
        QCOMPARE(QString::fromStdString(p.path), dir + "/" + chosen);
    }

    void noProjectorSaysWhy() {
        const QString dir = folderWith({{"e2b-like-vis.gguf", "e2b-like-vis.gguf"}});
        QFile notes(dir + "/mmproj-notes.txt");  // not a .gguf: not a candidate
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("x") == 1);
        notes.close();
        QVERIFY(QDir().mkpath(dir + "/sub"));
        QVERIFY(QFile::copy(dataFile("vision/mmproj-v-tiny.gguf"), dir + "/sub/mmproj-v-tiny.gguf"));  // not beside it
        ProjectorPairing p = findProjector((dir + "/e2b-like-vis.gguf").toStdString());
        QCOMPARE(pairingStatusName(p.status), pairingStatusName(PairingStatus::NoCandidate));
        QVERIFY(p.path.empty() && p.candidates.empty());
        QVERIFY2(p.reason.find("no mmproj*.gguf") != std::string::npos, p.reason.c_str());

        // A projector is no text model: pairing it with itself or others is refused.
        p = findProjector((dir + "/sub/mmproj-v-tiny.gguf").toStdString());
        QCOMPARE(pairingStatusName(p.status), pairingStatusName(PairingStatus::ModelUnreadable));
        QVERIFY2(p.reason.find("mmproj-v-tiny.gguf") != std::string::npos && p.reason.find("gemma4") != std::string::npos,
                 p.reason.c_str());
        p = findProjector((dir + "/missing.gguf").toStdString());
        QCOMPARE(pairingStatusName(p.status), pairingStatusName(PairingStatus::ModelUnreadable));
        QVERIFY2(p.reason.find("missing.gguf") != std::string::npos, p.reason.c_str());
    }

    void namesProjectorsAndPrecisions_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("projector");
        QTest::addColumn<int>("rank");
        QTest::newRow("F16") << "mmproj-F16.gguf" << true << 0;
        QTest::newRow("model-f16") << "mmproj-model-f16.gguf" << true << 0;
        QTest::newRow("model-f16-4B") << "mmproj-model-f16-4B.gguf" << true << 0;
        QTest::newRow("BF16") << "mmproj-BF16.gguf" << true << 1;
        QTest::newRow("F32") << "mmproj-F32.gguf" << true << 2;
        QTest::newRow("unnamed precision") << "mmproj-gemma-4-E2B-it-Q8_0.gguf" << true << 3;
        QTest::newRow("upper case") << "MMPROJ-F16.GGUF" << true << 0;
        QTest::newRow("a model") << "gemma-4-E2B-it-F16.gguf" << false << 0;
        QTest::newRow("not gguf") << "mmproj-F16.bin" << false << 0;
    }
    void namesProjectorsAndPrecisions() {
        QFETCH(QString, name);
        QFETCH(bool, projector);
        QFETCH(int, rank);
        QCOMPARE(isProjectorFileName(name.toStdString()), projector);
        QCOMPARE(projectorNamePrecisionRank(name.toStdString()), rank);
    }

    // Google's HF folders hold the tower beside the decoder
    // (Gemma4ForConditionalGeneration); a text-only export does not.
    void detectsTheVisionTowerOfHfFolders() {
        ModelDesc d;
        QVERIFY(variantByName("e2b-like", d));
        const QString dir = tmp_.filePath("hf");
        const Status written = writeRandomHfFolder(d, {}, dir.toStdString());
        QVERIFY2(written.ok(), written.message().c_str());
        auto has = hfFolderHasVisionTower(dir.toStdString());
        QVERIFY2(has.ok(), has.ok() ? "" : has.message().c_str());
        QVERIFY(!has.value());

        // A single model.safetensors with a tower tensor.
        const QString single = tmp_.filePath("hf-single");
        QVERIFY(QDir().mkpath(single));
        SafetensorsWriter st;
        QVERIFY(st.add("model.language_model.norm.weight", GgmlType::F32, {4}, zeros(4)).ok());
        QVERIFY(st.add("model.vision_tower.patch_embedder.input_proj.weight", GgmlType::F32, {2, 2}, zeros(4)).ok());
        QVERIFY(st.write((single + "/model.safetensors").toStdString()).ok());
        has = hfFolderHasVisionTower(single.toStdString());
        QVERIFY2(has.ok(), has.ok() ? "" : has.message().c_str());
        QVERIFY(has.value());

        // A shard index is read before any shard (the shards need not be opened).
        QFile index(dir + "/model.safetensors.index.json");
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write(R"({"metadata":{},"weight_map":{"model.language_model.norm.weight":"model.safetensors",
            "model.vision_tower.encoder.layers.0.self_attn.q_proj.linear.weight":"model-00002-of-00002.safetensors"}})");
        index.close();
        has = hfFolderHasVisionTower(dir.toStdString());
        QVERIFY2(has.ok(), has.ok() ? "" : has.message().c_str());
        QVERIFY(has.value());

        QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
        index.write(R"({"weight_map": 3})");
        index.close();
        has = hfFolderHasVisionTower(dir.toStdString());
        QVERIFY(!has.ok());
        QVERIFY2(has.message().find("weight_map") != std::string::npos, has.message().c_str());
        has = hfFolderHasVisionTower(tmp_.filePath("nothing-here").toStdString());
        QVERIFY(!has.ok());
    }
};

QTEST_GUILESS_MAIN(TstProjectorPairing)
#include "tst_projector_pairing.moc"
