// Image support in the model manager, against the local stand-in for Hugging
// Face: a catalog download paused inside the projector resumes it from its
// .part in a new manager; a projector with a wrong sha256 fails the job and
// leaves no projector; an installed catalog model without one offers "Download
// image support", which fetches only the projector and loads nothing; the
// installed list pairs models with projectors of their width only, and a
// Hugging Face folder sees images when its index names the vision tower;
// deleting a model deletes its projector once no other model uses it.
#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "model/safetensors_file.h"
#include "model_manager.h"
#include "support/hang_guard.h"
#include "support/test_http_server.h"
#include "support/test_paths.h"

using namespace facet::test;

namespace {

QByteArray sha256Hex(const QByteArray& b) { return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex(); }

QJsonObject fileEntry(const QString& path, const QByteArray& body, const QByteArray& oid = {}) {
    return {{"type", "file"}, {"path", path}, {"size", double(body.size())},
            {"lfs", QJsonObject{{"oid", QString(oid.isEmpty() ? sha256Hex(body) : oid)}, {"size", double(body.size())}}}};
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& body) {
    QFile f(path);
    return QDir().mkpath(QFileInfo(path).path()) && f.open(QIODevice::WriteOnly) && f.write(body) == body.size();
}

}  // namespace

class TstAppModelImages : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    TestHttpServer server_;
    QByteArray model_, wide_;  // e2b-like Q8_0 of hidden width 64, and of 96
    QByteArray projector_;     // tests/data/vision/mmproj-v-tiny.f16.gguf: 64 wide
    const QByteArray tree_ = "/api/models/google/gemma-4-E2B-it-qat-q4_0-gguf/tree/main?recursive=true";
    const QByteArray modelUrl_ = "/google/gemma-4-E2B-it-qat-q4_0-gguf/resolve/main/gemma-4-E2B-it-q4_0.gguf";
    const QByteArray projectorUrl_ = "/google/gemma-4-E2B-it-qat-q4_0-gguf/resolve/main/mmproj-model-f16.gguf";

    void serveRepo(const QByteArray& projectorOid = {}) {
        server_.addFile(tree_, QJsonDocument(QJsonArray{fileEntry("gemma-4-E2B-it-q4_0.gguf", model_),
                                                        fileEntry("mmproj-model-f16.gguf", projector_, projectorOid)})
                                   .toJson(QJsonDocument::Compact),
                        "application/json");
    }

    std::unique_ptr<ModelManager> make(const QString& sub) {
        auto m = std::make_unique<ModelManager>();
        m->setModelsDir(dir_.filePath(sub));
        DownloadOptions o;
        o.stallTimeoutMs = 0;  // held transfers are ended by the tests, not by a stall watch
        m->downloads()->setDownloadOptions(o);
        return m;
    }

    QByteArray makeModel(const QStringList& extra) {
        const QString path = dir_.filePath(QString("mk%1.gguf").arg(extra.join("")));
        QProcess mk;
        mk.start(mkmodelPath(), QStringList{"--variant", "e2b-like", "--type", "q8_0", "-o", path} + extra);
        if (!mk.waitForFinished(kHangMs) || mk.exitCode() != 0) return {};
        return readAll(path);
    }

    static bool rescanned(InstalledModelsModel* m) {
        QSignalSpy scanned(m, &InstalledModelsModel::scanned);
        m->rescan();
        return scanned.wait(kHangMs);
    }
    static const InstalledModel* item(InstalledModelsModel* m, const QString& name) {
        for (const InstalledModel& i : m->items())
            if (i.name == name) return &i;
        return nullptr;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_DATA_DIR", dir_.filePath("data").toUtf8());
        QVERIFY(server_.listen());
        qputenv("FACET_HF_ENDPOINT", server_.url("/").toString().chopped(1).toUtf8());
        model_ = makeModel({});
        wide_ = makeModel({"--hidden", "96"});
        projector_ = readAll(dataFile("vision/mmproj-v-tiny.f16.gguf"));
        QVERIFY(model_.size() > 100000 && wide_.size() > 100000 && projector_.size() > 100000);
        server_.addFile(modelUrl_, model_);
        server_.addFile(projectorUrl_, projector_);
    }

    // Interrupted inside the projector, the job resumes it with a Range request
    // after a restart, like any of its files.
    void resumesTheProjectorFromItsPart() {
        serveRepo();
        server_.stallAfter(projectorUrl_, 60000, 1);
        const QString folder = QDir(dir_.filePath("models-a")).filePath("gemma-4-e2b-it-q4_0");
        const QString part = folder + "/mmproj-model-f16.gguf.part";
        int job = -1;
        {
            auto m = make("models-a");
            QSignalSpy queued(m.get(), &ModelManager::downloadQueued);
            QVERIFY(m->downloadCatalogEntry("gemma-4-e2b-it-q4_0"));
            QVERIFY(queued.wait(kHangMs));
            job = queued.first().first().toInt();
            QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(part).size() >= 60000, kHangMs);
            const QModelIndex row = m->downloads()->index(0);
            QCOMPARE(row.data(DownloadManager::CurrentFileRole).toString(), QString("mmproj-model-f16.gguf"));
            QCOMPARE(row.data(DownloadManager::TotalBytesRole).toLongLong(), qint64(model_.size() + projector_.size()));
            m->downloads()->pause(job);
            QCOMPARE(m->downloads()->jobState(job), QString("paused"));
            QCOMPARE(row.data(DownloadManager::ReceivedBytesRole).toLongLong(), qint64(model_.size()) + QFileInfo(part).size());
        }
        server_.releaseStalls();
        const qint64 kept = QFileInfo(part).size();
        QVERIFY(kept >= 60000 && kept < projector_.size());
        server_.clearRequests();
        auto m = make("models-a");
        QCOMPARE(m->downloads()->jobState(job), QString("paused"));
        QSignalSpy ready(m.get(), &ModelManager::modelReady);
        m->downloads()->resume(job);
        QVERIFY2(ready.wait(kHangMs), qPrintable(m->error()));
        QCOMPARE(ready.first().first().toString(), folder + "/gemma-4-E2B-it-q4_0.gguf");
        QVERIFY(server_.requestsFor(modelUrl_).isEmpty());  // the model was done already
        const auto reqs = server_.requestsFor(projectorUrl_);
        QCOMPARE(reqs.size(), 1);
        QCOMPARE(reqs.first().rangeStart(), kept);
        QCOMPARE(sha256Hex(readAll(folder + "/mmproj-model-f16.gguf")), sha256Hex(projector_));
    }

    void projectorChecksumIsChecked() {
        serveRepo(QByteArray(64, 'b'));
        auto m = make("models-b");
        QSignalSpy failed(m->downloads(), &DownloadManager::jobFailed);
        QVERIFY(m->downloadCatalogEntry("gemma-4-e2b-it-q4_0"));
        QVERIFY(failed.wait(kHangMs));
        QVERIFY2(m->error().contains("checksum", Qt::CaseInsensitive), qPrintable(m->error()));
        const QString projector = QDir(dir_.filePath("models-b")).filePath("gemma-4-e2b-it-q4_0/mmproj-model-f16.gguf");
        QVERIFY(!QFile::exists(projector));
        QVERIFY(!QFile::exists(projector + ".part"));
        serveRepo();
    }

    // A catalog model installed without its projector can get it later: only
    // the projector is fetched, into the model's folder, and nothing is loaded.
    void downloadsImageSupportLater() {
        serveRepo();
        const QString folder = QDir(dir_.filePath("models-c")).filePath("gemma-4-e2b-it-q4_0");
        const QString path = folder + "/gemma-4-E2B-it-q4_0.gguf";
        QVERIFY(writeFile(path, model_));
        auto m = make("models-c");
        QAbstractItemModelTester tester(m->installed(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(rescanned(m->installed()));
        QCOMPARE(m->installed()->count(), 1);
        QModelIndex row = m->installed()->index(0);
        QCOMPARE(row.data(InstalledModelsModel::SeesImagesRole).toBool(), false);
        QCOMPARE(row.data(InstalledModelsModel::ProjectorRole).toString(), QString());
        QCOMPARE(row.data(InstalledModelsModel::ImageSupportAvailableRole).toBool(), true);
        QVERIFY(m->installed()->items().first().projectorNote.contains("no mmproj"));

        server_.clearRequests();
        QSignalSpy loaded(m.get(), &ModelManager::modelReady);
        QSignalSpy done(m->downloads(), &DownloadManager::modelReady);
        QSignalSpy scanned(m->installed(), &InstalledModelsModel::scanned);
        QVERIFY(m->downloadImageSupport(path));
        QVERIFY2(done.wait(kHangMs), qPrintable(m->error()));
        QCOMPARE(done.first().first().toString(), folder + "/mmproj-model-f16.gguf");
        QVERIFY(server_.requestsFor(modelUrl_).isEmpty());
        QCOMPARE(server_.requestsFor(projectorUrl_).size(), 1);
        QVERIFY(scanned.wait(kHangMs));  // the manager rescans on its own
        QCOMPARE(loaded.size(), 0);       // a projector is no model to chat with
        QCOMPARE(m->installed()->count(), 1);  // and not listed as one
        row = m->installed()->index(0);
        QCOMPARE(row.data(InstalledModelsModel::SeesImagesRole).toBool(), true);
        QCOMPARE(row.data(InstalledModelsModel::ProjectorRole).toString(), folder + "/mmproj-model-f16.gguf");
        QCOMPARE(row.data(InstalledModelsModel::ImageSupportAvailableRole).toBool(), false);

        // Only catalog models have a projector to fetch.
        QVERIFY(writeFile(dir_.filePath("models-c/own/mine.gguf"), model_));
        QVERIFY(!m->downloadImageSupport(dir_.filePath("models-c/own/mine.gguf")));
        QVERIFY2(m->error().contains("mine.gguf"), qPrintable(m->error()));
        QVERIFY(rescanned(m->installed()));
        QCOMPARE(item(m->installed(), "mine.gguf")->seesImages, false);
        QCOMPARE(m->installed()->index(0).data(InstalledModelsModel::ImageSupportAvailableRole).toBool() +
                     m->installed()->index(1).data(InstalledModelsModel::ImageSupportAvailableRole).toBool(),
                 0);
    }

    // Google's folders keep the tower in the weights: the shard index names it.
    void hfFoldersWithTheTowerSeeImages() {
        const QString folder = dir_.filePath("models-e/hf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--format", "hf", "-o", folder});
        QVERIFY(mk.waitForFinished(kHangMs) && mk.exitCode() == 0);
        auto m = make("models-e");
        QVERIFY(rescanned(m->installed()));
        QCOMPARE(m->installed()->count(), 1);
        QVERIFY2(m->installed()->items().first().error.isEmpty(), qPrintable(m->installed()->items().first().error));
        QCOMPARE(m->installed()->index(0).data(InstalledModelsModel::SeesImagesRole).toBool(), false);

        auto st = facet::SafetensorsFile::open((folder + "/model.safetensors").toStdString());
        QVERIFY(st.ok());
        QJsonObject map;
        for (const facet::SafetensorsEntry& e : st.value()->tensors()) map[QString::fromStdString(e.name)] = "model.safetensors";
        map["model.vision_tower.encoder.layers.0.self_attn.q_proj.linear.weight"] = "model-vision.safetensors";
        QVERIFY(writeFile(folder + "/model.safetensors.index.json", QJsonDocument(QJsonObject{{"weight_map", map}}).toJson()));
        QVERIFY(rescanned(m->installed()));
        QVERIFY2(m->installed()->items().first().error.isEmpty(), qPrintable(m->installed()->items().first().error));
        QCOMPARE(m->installed()->index(0).data(InstalledModelsModel::SeesImagesRole).toBool(), true);
        QCOMPARE(m->installed()->index(0).data(InstalledModelsModel::ProjectorRole).toString(), QString());
        QCOMPARE(m->installed()->index(0).data(InstalledModelsModel::ImageSupportAvailableRole).toBool(), false);
    }

    // Two models share a projector; a model of another width does not pair
    // with the one beside it. Deleting removes a projector only with its last user.
    void deleteRemovesTheUnusedProjector() {
        const QDir shared(dir_.filePath("models-d/shared")), other(dir_.filePath("models-d/other"));
        QVERIFY(writeFile(shared.filePath("first.gguf"), model_) && writeFile(shared.filePath("second.gguf"), model_));
        QVERIFY(writeFile(shared.filePath("mmproj-F16.gguf"), projector_));
        QVERIFY(writeFile(other.filePath("wide.gguf"), wide_) && writeFile(other.filePath("mmproj-F16.gguf"), projector_));
        auto m = make("models-d");
        QAbstractItemModelTester tester(m->installed(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(rescanned(m->installed()));
        QCOMPARE(m->installed()->count(), 3);  // the projectors are not listed
        const InstalledModel* wide = item(m->installed(), "wide.gguf");
        QVERIFY(wide && wide->error.isEmpty());
        QVERIFY(!wide->seesImages && wide->projector.isEmpty());
        QVERIFY2(wide->projectorNote.contains("hidden width 96"), qPrintable(wide->projectorNote));
        for (const QString name : {"first.gguf", "second.gguf"}) {
            const InstalledModel* i = item(m->installed(), name);
            QVERIFY(i && i->seesImages);
            QCOMPARE(i->projector, shared.filePath("mmproj-F16.gguf"));
        }

        QSignalSpy scanned(m->installed(), &InstalledModelsModel::scanned);
        QVERIFY(m->installed()->remove(shared.filePath("first.gguf")));
        QVERIFY(QFile::exists(shared.filePath("mmproj-F16.gguf")));  // second.gguf still uses it
        QVERIFY(scanned.wait(kHangMs));  // removing rescans; the next removal reads that scan
        QCOMPARE(m->installed()->count(), 2);
        QVERIFY(m->installed()->remove(shared.filePath("second.gguf")));
        QVERIFY(!QFile::exists(shared.filePath("second.gguf")));
        QVERIFY(!QFile::exists(shared.filePath("mmproj-F16.gguf")));
        QVERIFY(m->installed()->remove(other.filePath("wide.gguf")));
        QVERIFY(QFile::exists(other.filePath("mmproj-F16.gguf")));  // never its projector
    }
};

QTEST_GUILESS_MAIN(TstAppModelImages)
#include "tst_app_model_images.moc"
