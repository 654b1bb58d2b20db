// The model manager against a local stand-in for Hugging Face (TestHttpServer
// answering the API's search and file-list calls and serving the files, the
// big one through a 302 to a "CDN" path): the built-in catalog parses and its
// fit estimates follow the machine; a catalog entry downloads with its vision
// projector (the F16 one of two; the README left out) in one job, is verified
// against the LFS sha256, lands in the models folder, is described from its
// GGUF, sees images and is marked installed; a
// download paused and left by a "quit" resumes in a new manager from its
// .part; a wrong sha256 leaves nothing behind; search lists repositories and
// a split GGUF as one row that downloads all its parts; import and delete.
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

#include "catalog.h"
#include "catalog_model.h"
#include "hf_client.h"
#include "embedding/embedding_fit.h"
#include "model_manager.h"
#include "support/test_http_server.h"
#include "support/test_paths.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {

constexpr qulonglong GiB = 1ull << 30;

QByteArray sha256Hex(const QByteArray& b) { return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex(); }

QJsonObject fileEntry(const QString& path, const QByteArray& body, bool lfs = true, const QByteArray& oid = {}) {
    QJsonObject o{{"type", "file"}, {"path", path}, {"size", double(body.size())}, {"oid", "0123abcd"}};
    if (lfs) o["lfs"] = QJsonObject{{"oid", QString(oid.isEmpty() ? sha256Hex(body) : oid)}, {"size", double(body.size())}};
    return o;
}

QByteArray json(const QJsonArray& a) { return QJsonDocument(a).toJson(QJsonDocument::Compact); }

}  // namespace

class TstAppModelManager : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    TestHttpServer server_;
    QByteArray model_;  // a tiny real GGUF (e2b-like, Q8_0)
    QByteArray projector_, projectorF32_;  // tests/data/vision/mmproj-v-tiny{.f16,}.gguf: 64 wide, as model_
    const QByteArray projectorPath_ = "/google/gemma-4-E2B-it-qat-q4_0-gguf/resolve/main/mmproj-gemma-4-E2B-it-f16.gguf";
    const QByteArray repoPath_ = "/api/models/google/gemma-4-E2B-it-qat-q4_0-gguf/tree/main?recursive=true";
    const QByteArray filePath_ = "/google/gemma-4-E2B-it-qat-q4_0-gguf/resolve/main/gemma-4-E2B-it-q4_0.gguf";
    const QByteArray cdnPath_ = "/cdn/blob/e2b-q4_0";

    void serveRepo(const QByteArray& oid = {}) {
        server_.addFile(repoPath_,
                        json({fileEntry("README.md", "# readme", false), fileEntry("gemma-4-E2B-it-q4_0.gguf", model_, true, oid),
                              fileEntry("mmproj-gemma-4-E2B-it-f32.gguf", projectorF32_),
                              fileEntry("mmproj-gemma-4-E2B-it-f16.gguf", projector_)}),
                        "application/json");
    }

    std::unique_ptr<ModelManager> make(const QString& sub) {
        auto m = std::make_unique<ModelManager>();
        m->setModelsDir(dir_.filePath(sub));
        DownloadOptions o;
        o.stallTimeoutMs = 0;  // held transfers are ended by the tests, not by a stall watch
        o.retryBaseDelayMs = 50;
        o.retryMaxDelayMs = 200;
        m->downloads()->setDownloadOptions(o);
        return m;
    }

    static bool waitScan(InstalledModelsModel* m) {
        return QTest::qWaitFor([&] { return !m->scanning(); }, kHangMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_DATA_DIR", dir_.filePath("data").toUtf8());
        QVERIFY(server_.listen());
        qputenv("FACET_HF_ENDPOINT", server_.url("/").toString().chopped(1).toUtf8());
        QProcess mk;
        const QString path = dir_.filePath("tiny.gguf");
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", path});
        QVERIFY(mk.waitForFinished(kHangMs) && mk.exitCode() == 0);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        model_ = f.readAll();
        QVERIFY(model_.size() > 100000);
        server_.addFile(cdnPath_, model_);
        server_.addRedirect(filePath_, server_.url(cdnPath_).toString().toUtf8(), 302);
        for (auto [name, body] : {std::pair{"vision/mmproj-v-tiny.f16.gguf", &projector_}, {"vision/mmproj-v-tiny.gguf", &projectorF32_}}) {
            QFile p(facet::test::dataFile(name));
            QVERIFY(p.open(QIODevice::ReadOnly));
            *body = p.readAll();
        }
        server_.addFile(projectorPath_, projector_);
    }

    void builtinCatalogParses() {
        QString error;
        const QList<CatalogEntry> all = builtinCatalog(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSet<QString> variants, types;
        for (const CatalogEntry& e : all) {
            variants << e.variant;
            types << e.type;
            QVERIFY(!e.repo.isEmpty() && !e.include.isEmpty() && e.approxBytes > 0);
        }
        QCOMPARE(variants, (QSet<QString>{"e2b", "e4b", "moe", "31b", "embeddinggemma-300m"}));
        // The documents' embedding model is in the catalog, marked as not for chat.
        const auto embed = std::find_if(all.begin(), all.end(), [](const auto& e) { return e.kind == "embedding"; });
        QVERIFY(embed != all.end());
        QCOMPARE(embed->variant, QString("embeddinggemma-300m"));
        QCOMPARE(embed->type, QString("Q8_0"));
        QVERIFY(embed->wants("embeddinggemma-300M-Q8_0.gguf"));
        QVERIFY(!embed->wants("embeddinggemma-300M-BF16.gguf"));
        QCOMPARE(std::count_if(all.begin(), all.end(), [](const auto& e) { return e.kind == "chat"; }), qsizetype(all.size() - 1));
        QVERIFY(types.contains("Q4_0") && types.contains("Q4_K") && types.contains("Q8_0") && types.contains("BF16"));
        const auto e2b = std::find_if(all.begin(), all.end(), [](const auto& e) { return e.id == "gemma-4-e2b-it-q4_0"; });
        QVERIFY(e2b != all.end());
        QCOMPARE(e2b->name, QString("Gemma 4 E2B Q4_0"));
        QVERIFY(e2b->wants("gemma-4-E2B-it-q4_0.gguf"));
        QVERIFY(!e2b->wants("mmproj-gemma-4-E2B-it-f16.gguf"));
        QVERIFY(!e2b->wants("README.md"));
        // Every GGUF chat model brings its projector; the rest have none to fetch.
        for (const CatalogEntry& e : all) {
            QCOMPARE(e.mmproj.isEmpty(), e.format != "gguf" || e.kind != "chat");
            if (e.mmproj.isEmpty()) continue;
            QVERIFY2(e.wantsProjector("mmproj-F16.gguf") && e.wantsProjector("mmproj-model-f16.gguf"), qPrintable(e.id));
            QVERIFY2(!e.wants("mmproj-BF16.gguf") && !e.wants("mmproj-F32.gguf"), qPrintable(e.id));  // never as the model
            QVERIFY2(!e.wantsProjector("gemma-4-E2B-it-BF16.gguf"), qPrintable(e.id));
        }
    }

    // When the pattern matches several files, one is taken: F16, else BF16, else F32.
    void picksOneProjector_data() {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("picked");
        const QStringList model{"README.md", "gemma-4-E2B-it-BF16.gguf"};
        QTest::newRow("three precisions") << model + QStringList{"mmproj-F32.gguf", "mmproj-BF16.gguf", "mmproj-F16.gguf"} << "mmproj-F16.gguf";
        QTest::newRow("bf16 over f32") << model + QStringList{"mmproj-F32.gguf", "mmproj-BF16.gguf"} << "mmproj-BF16.gguf";
        QTest::newRow("only f32") << model + QStringList{"mmproj-F32.gguf"} << "mmproj-F32.gguf";
        QTest::newRow("google's name") << model + QStringList{"mmproj-model-f16.gguf"} << "mmproj-model-f16.gguf";
        QTest::newRow("two f16: by name") << model + QStringList{"mmproj-z-f16.gguf", "mmproj-a-F16.gguf"} << "mmproj-a-F16.gguf";
        QTest::newRow("none") << model << "";
    }
    void picksOneProjector() {
        QFETCH(QStringList, files);
        QFETCH(QString, picked);
        const QList<CatalogEntry> all = builtinCatalog();
        const auto bf16 = std::find_if(all.begin(), all.end(), [](const auto& e) { return e.id == "gemma-4-e2b-it-bf16"; });
        QVERIFY(bf16 != all.end());
        QCOMPARE(bf16->pickProjector(files), picked);
        std::reverse(files.begin(), files.end());  // the listing's order never decides
        QCOMPARE(bf16->pickProjector(files), picked);
    }

    void catalogErrorsNameTheEntry_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        const QByteArray ok = R"("name":"n","variant":"e2b","format":"gguf","type":"Q4_0","include":["*.gguf"])";
        QTest::newRow("not json") << QByteArray("{") << "offset";
        QTest::newRow("no models") << QByteArray("{}") << "\"models\"";
        QTest::newRow("bad kind") << QByteArray(R"({"models":[{"id":"a","repo":"o/r","kind":"vision",)" + ok + "}]}") << "kind";
        QTest::newRow("no repo") << QByteArray(R"({"models":[{"id":"a",)" + ok + "}]}") << "repo";
        QTest::newRow("bad repo") << QByteArray(R"({"models":[{"id":"a","repo":"../x",)" + ok + "}]}") << "owner/name";
        QTest::newRow("bad sha") << QByteArray(R"({"models":[{"id":"a","repo":"o/r","sha256":"xyz",)" + ok + "}]}") << "sha256";
        QTest::newRow("mmproj not a pattern") << QByteArray(R"({"models":[{"id":"a","repo":"o/r","mmproj":3,)" + ok + "}]}") << "mmproj";
        QTest::newRow("mmproj of an embedding")
            << QByteArray(R"({"models":[{"id":"a","repo":"o/r","kind":"embedding","mmproj":"mmproj*.gguf",)" + ok + "}]}") << "mmproj";
        QTest::newRow("twice") << QByteArray(R"({"models":[{"id":"a","repo":"o/r",)" + ok + R"(},{"id":"a","repo":"o/r",)" + ok + "}]}")
                               << "repeated";
    }
    void catalogErrorsNameTheEntry() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(parseCatalog(text, &error).isEmpty());
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void fitFollowsTheMachine() {
        ModelManager m;
        m.setContextLength(8192);
        const auto fitOf = [&](const QString& id) {
            for (int r = 0; r < m.catalog()->rowCount(); ++r) {
                const QModelIndex i = m.catalog()->index(r);
                if (i.data(CatalogModel::IdRole).toString() == id) return i.data(CatalogModel::FitRole).toString();
            }
            return QString("missing");
        };
        m.setMachine({64 * GiB, 24 * GiB, false}, "Test GPU");
        QCOMPARE(fitOf("gemma-4-e2b-it-q4_0"), QString("fits"));
        QCOMPARE(fitOf("gemma-4-31b-it-q4_0"), QString("fits"));
        QVERIFY(m.machineText().contains("Test GPU"));
        QCOMPARE(fitOf("embeddinggemma-300m-q8_0"), QString("fits"));
        m.setMachine({16 * GiB, 0, false}, QString());
        QCOMPARE(fitOf("embeddinggemma-300m-q8_0"), QString("may be slow"));  // no GPU: the CPU reference runs it
        QCOMPARE(fitOf("gemma-4-e2b-it-q4_0"), QString("may be slow"));
        QCOMPARE(fitOf("gemma-4-31b-it-q4_0"), QString("won't fit"));
        QVERIFY(m.machineText().contains("no GPU"));
    }

    // EmbeddingGemma-300M's memory from its description: 307.5 M parameters
    // (design survey: token_embd 201.3 M, 24 layers x 4.23 M, dense 4.7 M) at
    // Q8_0's 34 bytes per 32 weights is about 327 MB, plus a batch's activations.
    void embeddingFitFromTheDescription() {
        facet::EmbeddingDesc d;
        QVERIFY(facet::embeddingVariantByName("embeddinggemma-300m", d));
        QVERIFY(!facet::embeddingVariantByName("e2b", d));
        const facet::MemoryNeeds n = facet::estimateEmbeddingMemory(d, facet::GgmlType::Q8_0, 4096);
        const double expected = 307.5e6 * 34.0 / 32.0;
        QVERIFY2(std::abs(double(n.deviceWeights) - expected) < 0.02 * expected, qPrintable(QString::number(n.deviceWeights)));
        QCOMPARE(n.kvCache, uint64_t(0));
        QVERIFY(n.activations > 0 && n.activations < 256ull << 20);
        QCOMPARE(facet::estimateFit(n, {8 * GiB, 0, false}).fit, facet::Fit::MayBeSlow);
        QCOMPARE(facet::estimateFit(n, {256ull << 20, 0, false}).fit, facet::Fit::WontFit);
    }

    // An EmbeddingGemma GGUF in the models folder is listed for Documents, not
    // as a broken chat model; the reduced form says so.
    void embeddingModelsAreDescribed() {
        const InstalledModel full = InstalledModelsModel::describe(facet::test::dataFile("embedding/embgemma-like.s11.q8_0.gguf"));
        QVERIFY2(full.error.isEmpty(), qPrintable(full.error));
        QCOMPARE(full.kind, QString("embedding"));
        QCOMPARE(full.variant, QString("EmbeddingGemma"));
        QCOMPARE(full.weightType, QString("Q8_0"));
        QVERIFY(full.parameters > 0);
        const InstalledModel reduced = InstalledModelsModel::describe(facet::test::dataFile("embedding/embgemma-nodense.s13.gguf"));
        QCOMPARE(reduced.kind, QString("embedding"));
        QVERIFY(reduced.variant.contains("reduced"));
        const InstalledModel garbage = InstalledModelsModel::describe(facet::test::dataFile("embedding/README.md"));
        QVERIFY(!garbage.error.isEmpty());
        QCOMPARE(garbage.kind, QString("chat"));
    }

    // The models folder and token come from the settings and follow their edits.
    void followsTheSettings() {
        ChatSettings settings;
        settings.setFile(dir_.filePath("settings.ini"));
        settings.setModelsDir(dir_.filePath("from-settings"));
        settings.setHfToken("hf_first");
        ModelManager m;
        m.setSettings(&settings);
        QCOMPARE(m.modelsDir(), dir_.filePath("from-settings"));
        QCOMPARE(m.hub().token(), QString("hf_first"));
        QVERIFY(QFileInfo(dir_.filePath("from-settings")).isDir());
        settings.setModelsDir(dir_.filePath("edited"));
        settings.setHfToken("hf_second");
        QCOMPARE(m.modelsDir(), dir_.filePath("edited"));
        QCOMPARE(m.downloads()->token(), QString("hf_second"));
    }

    void refusesPlainHttpOffLocalhost() {
        QVERIFY(HfClient::refuseReason(QUrl("https://huggingface.co/x")).isEmpty());
        QVERIFY(HfClient::refuseReason(QUrl("http://127.0.0.1:8080/x")).isEmpty());
        QVERIFY(HfClient::refuseReason(QUrl("http://huggingface.co/x")).contains("https only"));
        QVERIFY(!HfClient::refuseReason(QUrl("ftp://example.com/x")).isEmpty());
    }

    // "Gemma 4 E2B Q4_0": picked, downloaded through the redirect with its F16
    // projector in the same job (its bytes counted), verified, installed and
    // described as seeing images; the F32 projector and README are not fetched.
    void downloadsACatalogEntry() {
        serveRepo();
        server_.clearRequests();
        auto m = make("models-a");
        QSignalSpy ready(m.get(), &ModelManager::modelReady);
        QVERIFY(m->downloadCatalogEntry("gemma-4-e2b-it-q4_0"));
        QVERIFY2(ready.wait(kHangMs), qPrintable(m->error()));
        const QString path = ready.first().first().toString();
        QCOMPARE(path, QDir(dir_.filePath("models-a")).filePath("gemma-4-e2b-it-q4_0/gemma-4-E2B-it-q4_0.gguf"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(sha256Hex(f.readAll()), sha256Hex(model_));
        QVERIFY(!QFile::exists(path + ".part"));
        for (const auto& r : server_.requests()) QVERIFY2(!r.path.contains("f32") && !r.path.contains("README"), r.path.constData());
        QVERIFY(!server_.requestsFor(cdnPath_).isEmpty());  // the redirect was followed
        QCOMPARE(server_.requestsFor(projectorPath_).size(), 1);
        const QString projector = QFileInfo(path).dir().filePath("mmproj-gemma-4-E2B-it-f16.gguf");
        QFile p(projector);
        QVERIFY(p.open(QIODevice::ReadOnly));
        QCOMPARE(sha256Hex(p.readAll()), sha256Hex(projector_));
        const QModelIndex job = m->downloads()->index(0);
        QCOMPARE(job.data(DownloadManager::FileCountRole).toInt(), 2);
        QCOMPARE(job.data(DownloadManager::TotalBytesRole).toLongLong(), qint64(model_.size() + projector_.size()));
        QCOMPARE(job.data(DownloadManager::ReceivedBytesRole).toLongLong(), qint64(model_.size() + projector_.size()));
        QCOMPARE(ready.size(), 1);  // announced once, as the model

        QVERIFY(waitScan(m->installed()));
        QCOMPARE(m->installed()->count(), 1);
        const InstalledModel& im = m->installed()->items().first();
        QVERIFY2(im.error.isEmpty(), qPrintable(im.error));
        QCOMPARE(im.weightType, QString("Q8_0"));
        QVERIFY(im.parameters > 0 && im.contextLength > 0);
        QCOMPARE(im.sizeBytes, qint64(model_.size()));
        QCOMPARE(m->installed()->totalBytes(), qint64(model_.size()));
        QVERIFY2(im.seesImages, qPrintable(im.projectorNote));
        QCOMPARE(im.projector, projector);
        const QModelIndex row = m->installed()->index(0);
        QCOMPARE(row.data(InstalledModelsModel::SeesImagesRole).toBool(), true);
        QCOMPARE(row.data(InstalledModelsModel::ProjectorRole).toString(), projector);
        QCOMPARE(row.data(InstalledModelsModel::ImageSupportAvailableRole).toBool(), false);
        bool installed = false;
        for (int r = 0; r < m->catalog()->rowCount(); ++r) {
            const QModelIndex i = m->catalog()->index(r);
            if (i.data(CatalogModel::IdRole).toString() == "gemma-4-e2b-it-q4_0") installed = i.data(CatalogModel::InstalledRole).toBool();
        }
        QVERIFY(installed);
    }

    // Pause mid-file, "quit" (the manager goes away), start again: the job
    // comes back paused and resumes from the .part with a Range request.
    void pauseQuitRestartResume() {
        serveRepo();
        server_.stallAfter(cdnPath_, 300000, 1);
        int job = -1;
        const QString part = QDir(dir_.filePath("models-b")).filePath("gemma-4-e2b-it-q4_0/gemma-4-E2B-it-q4_0.gguf.part");
        {
            auto m = make("models-b");
            QSignalSpy queued(m.get(), &ModelManager::downloadQueued);
            QVERIFY(m->downloadCatalogEntry("gemma-4-e2b-it-q4_0"));
            QVERIFY(queued.wait(kHangMs));
            job = queued.first().first().toInt();
            QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(part).size() >= 300000, kHangMs);
            m->downloads()->pause(job);
            QCOMPARE(m->downloads()->jobState(job), QString("paused"));
        }
        server_.releaseStalls();
        const qint64 kept = QFileInfo(part).size();
        QVERIFY(kept >= 300000 && kept < model_.size());
        server_.clearRequests();
        auto m = make("models-b");  // restart: the same data folder and downloads.json
        QCOMPARE(m->downloads()->jobState(job), QString("paused"));
        QSignalSpy ready(m.get(), &ModelManager::modelReady);
        m->downloads()->resume(job);
        QVERIFY2(ready.wait(kHangMs), qPrintable(m->error()));
        const auto reqs = server_.requestsFor(cdnPath_);
        QVERIFY(!reqs.isEmpty());
        QCOMPARE(reqs.first().rangeStart(), kept);
        QFile f(ready.first().first().toString());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(sha256Hex(f.readAll()), sha256Hex(model_));
    }

    void checksumMismatchLeavesNothing() {
        serveRepo(QByteArray(64, 'a'));
        auto m = make("models-c");
        QSignalSpy failed(m->downloads(), &DownloadManager::jobFailed);
        QVERIFY(m->downloadCatalogEntry("gemma-4-e2b-it-q4_0"));
        QVERIFY(failed.wait(kHangMs));
        QVERIFY2(m->error().contains("checksum", Qt::CaseInsensitive), qPrintable(m->error()));
        const QString path = QDir(dir_.filePath("models-c")).filePath("gemma-4-e2b-it-q4_0/gemma-4-E2B-it-q4_0.gguf");
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + ".part"));
        QVERIFY(waitScan(m->installed()));
        QCOMPARE(m->installed()->count(), 0);
        serveRepo();
    }

    void missingRepositoryIsAnError() {
        auto m = make("models-d");
        m->catalog()->setEntries(parseCatalog(R"({"models":[{"id":"x","name":"X","variant":"e2b","format":"gguf",
            "type":"Q4_0","repo":"nobody/nothing","include":["*.gguf"]}]})", nullptr));
        QSignalSpy err(m.get(), &ModelManager::errorChanged);
        QVERIFY(m->downloadCatalogEntry("x"));
        QVERIFY(err.wait(kHangMs));
        QVERIFY2(m->error().contains("nobody/nothing"), qPrintable(m->error()));
        QVERIFY(!m->downloadCatalogEntry("no-such-id"));
    }

    // Search lists repositories; a split GGUF shows as one row and downloads all its parts.
    void searchAndSplitDownload() {
        server_.addFile("/api/models?search=gemma-4%20e4b&filter=gguf&sort=downloads&direction=-1&limit=50",
                        json({QJsonObject{{"id", "someone/gemma-4-E4B-it-GGUF"}, {"downloads", 1200}, {"likes", 7}},
                              QJsonObject{{"id", "other/gemma-4-E4B-GGUF"}, {"downloads", 30}, {"likes", 1}}}),
                        "application/json");
        const QByteArray a = model_.left(400000), b = model_.mid(400000);
        server_.addFile("/api/models/someone/gemma-4-E4B-it-GGUF/tree/main?recursive=true",
                        json({fileEntry("e4b-Q8_0-00001-of-00002.gguf", a), fileEntry("e4b-Q8_0-00002-of-00002.gguf", b),
                              fileEntry("e4b-Q4_0.gguf", "small"), fileEntry("mmproj-e4b.gguf", "p"), fileEntry("README.md", "r", false)}),
                        "application/json");
        server_.addFile("/someone/gemma-4-E4B-it-GGUF/resolve/main/e4b-Q8_0-00001-of-00002.gguf", a);
        server_.addFile("/someone/gemma-4-E4B-it-GGUF/resolve/main/e4b-Q8_0-00002-of-00002.gguf", b);
        auto m = make("models-e");
        QSignalSpy results(m->searchResults(), &VariantListModel::countChanged);
        m->search("gemma-4 e4b");
        QVERIFY2(results.wait(kHangMs), qPrintable(m->error()));
        QCOMPARE(m->searchResults()->count(), 2);
        QCOMPARE(m->searchResults()->rows().first().value("repo").toString(), QString("someone/gemma-4-E4B-it-GGUF"));

        QSignalSpy files(m.get(), &ModelManager::repoFilesChanged);
        m->openRepo("someone/gemma-4-E4B-it-GGUF");
        QVERIFY(files.wait(kHangMs));
        const auto rows = m->repoFiles()->rows();
        QCOMPARE(rows.size(), 2);  // the split pair as one row, the Q4_0; no projector, no README
        const QVariantMap split = rows.first().value("parts").toInt() == 2 ? rows.first() : rows.last();
        QCOMPARE(split.value("parts").toInt(), 2);
        QCOMPARE(split.value("size").toLongLong(), qint64(model_.size()));

        QSignalSpy ready(m.get(), &ModelManager::modelReady);
        QVERIFY(m->downloadRepoFile(split.value("path").toString()));
        QVERIFY2(ready.wait(kHangMs), qPrintable(m->error()));
        QCOMPARE(ready.size(), 1);  // one model, announced once
        const QDir target(QDir(dir_.filePath("models-e")).filePath("someone_gemma-4-E4B-it-GGUF"));
        QCOMPARE(QFileInfo(target.filePath("e4b-Q8_0-00001-of-00002.gguf")).size(), qint64(a.size()));
        QCOMPARE(QFileInfo(target.filePath("e4b-Q8_0-00002-of-00002.gguf")).size(), qint64(b.size()));
        QVERIFY(!m->downloadRepoFile("not-there.gguf"));
    }

    void importAndDelete() {
        auto m = make("models-f");
        QVERIFY(waitScan(m->installed()));
        QCOMPARE(m->installed()->count(), 0);
        QSignalSpy imported(m->installed(), &InstalledModelsModel::importFinished);
        QVERIFY(m->importModel(dir_.filePath("tiny.gguf"), false));
        QVERIFY(imported.wait(kHangMs));
        QCOMPARE(imported.first().at(1).toString(), QString());
        QVERIFY(waitScan(m->installed()));
        QTRY_COMPARE_WITH_TIMEOUT(m->installed()->count(), 1, kHangMs);
        const QString copy = m->installed()->items().first().path;
        QCOMPARE(QFileInfo(copy).size(), qint64(model_.size()));
        QVERIFY(!QFileInfo(copy).isSymLink());
        QVERIFY(!m->importModel(dir_.filePath("tiny.gguf"), true));  // the name is taken
        QVERIFY(m->error().contains("already"));
        QVERIFY(!m->importModel(dir_.filePath("nothing.txt"), false));

        QVERIFY(!m->installed()->remove(dir_.filePath("tiny.gguf")));  // not in the models folder
        QVERIFY(QFile::exists(dir_.filePath("tiny.gguf")));
        QVERIFY(m->installed()->remove(copy));
        QVERIFY(!QFile::exists(copy));
        QVERIFY(waitScan(m->installed()));
        QCOMPARE(m->installed()->count(), 0);
    }
};

QTEST_GUILESS_MAIN(TstAppModelManager)
#include "tst_app_model_manager.moc"
