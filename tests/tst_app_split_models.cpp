// Split GGUF models in the app: the installed list shows one row for the
// parts (part 1's path, the whole size, the engine's description), and an
// error row naming a missing part; import takes every part whichever one is
// picked; delete removes them all; the built-in catalog's BF16 entries of
// 26B-A4B and 31B take a split set, and a catalog entry naming a split set
// downloads all parts (listed out of order) into one installed model.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "catalog.h"
#include "installed_models.h"
#include "model/variants.h"
#include "model_manager.h"
#include "support/download_test_util.h"
#include "support/gguf_splitter.h"
#include "support/hang_guard.h"
#include "support/model_factory.h"
#include "support/test_http_server.h"

using namespace facet::test;

namespace {

QJsonObject fileEntry(const QString& path, const QByteArray& body) {
    const QString oid = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    return {{"type", "file"}, {"path", path}, {"size", double(body.size())}, {"oid", "0123abcd"},
            {"lfs", QJsonObject{{"oid", oid}, {"size", double(body.size())}}}};
}

bool waitScan(InstalledModelsModel* m) { return QTest::qWaitFor([&] { return !m->scanning(); }, kHangMs); }

}  // namespace

class TstAppSplitModels : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString single_;
    QStringList parts_;  // single_ in 3 parts, under dir_/src
    qint64 partBytes_ = 0;

    // The three parts copied into `folder`, less part `skip` (1-based; 0 = none).
    void install(const QString& folder, int skip = 0) {
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < parts_.size(); ++i)
            if (i + 1 != skip) QVERIFY(QFile::copy(parts_[i], QDir(folder).filePath(QFileInfo(parts_[i]).fileName())));
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_DATA_DIR", dir_.filePath("data").toUtf8());
        facet::ModelDesc d;
        QVERIFY(facet::variantByName("e2b-like", d));
        facet::MakeOptions opt;
        opt.weightType = facet::GgmlType::Q8_0;
        QString err;
        single_ = writeModel(dir_, "e2b.gguf", d, opt, false, err);
        QVERIFY2(!single_.isEmpty(), qPrintable(err));
        QVERIFY(QDir().mkpath(dir_.filePath("src")));
        auto split = splitGguf(single_.toStdString(), dir_.filePath("src/e2b-Q8_0").toStdString(), 3);
        QVERIFY(split.ok());
        for (const std::string& p : split.value()) {
            parts_ << QString::fromStdString(p);
            partBytes_ += QFileInfo(parts_.last()).size();
        }
        QVERIFY(partBytes_ > QFileInfo(single_).size());  // each part has its own header
    }

    void partsAreNamed() {
        QCOMPARE(ggufSplitParts(parts_[1]), parts_);
        QCOMPARE(ggufFirstPart(parts_[2]), parts_[0]);
        QCOMPARE(ggufFirstPart(single_), single_);
        QCOMPARE(ggufSplitParts(single_), QStringList{single_});
    }

    void oneRowForTheParts() {
        const QString folder = dir_.filePath("models-a");
        install(folder + "/set");
        QVERIFY(QFile::copy(single_, folder + "/e2b.gguf"));
        InstalledModelsModel m;
        m.setFolder(folder);
        QVERIFY(waitScan(&m));
        QCOMPARE(m.count(), 2);  // the single file and the set
        const InstalledModel& one = m.items()[0].path.endsWith("e2b.gguf") ? m.items()[0] : m.items()[1];
        const InstalledModel& set = m.items()[0].path.endsWith("e2b.gguf") ? m.items()[1] : m.items()[0];
        QVERIFY2(set.error.isEmpty(), qPrintable(set.error));
        QCOMPARE(set.path, QDir(folder + "/set").filePath("e2b-Q8_0-00001-of-00003.gguf"));
        QCOMPARE(set.sizeBytes, partBytes_);
        QCOMPARE(set.weightType, one.weightType);
        QCOMPARE(set.parameters, one.parameters);
        QCOMPARE(set.contextLength, one.contextLength);
        QCOMPARE(m.totalBytes(), partBytes_ + QFileInfo(single_).size());

        // Deleting the set deletes every part.
        QVERIFY(m.remove(set.path));
        for (const QString& p : parts_) QVERIFY(!QFileInfo::exists(QDir(folder + "/set").filePath(QFileInfo(p).fileName())));
        QVERIFY(QFileInfo::exists(folder + "/e2b.gguf"));
        QVERIFY(waitScan(&m));
        QCOMPARE(m.count(), 1);
    }

    void missingPartIsAnErrorRow() {
        const QString folder = dir_.filePath("models-b");
        install(folder, 3);
        InstalledModelsModel m;
        m.setFolder(folder);
        QVERIFY(waitScan(&m));
        QCOMPARE(m.count(), 1);
        const QString e = m.items().first().error;
        QVERIFY2(e.contains("part 3 of 3") && e.contains("e2b-Q8_0-00003-of-00003.gguf) is missing"), qPrintable(e));
    }

    // Importing part 2 brings all three; the model is part 1.
    void importTakesEveryPart() {
        InstalledModelsModel m;
        m.setFolder(dir_.filePath("models-c"));
        QVERIFY(waitScan(&m));
        QSignalSpy imported(&m, &InstalledModelsModel::importFinished);
        QVERIFY2(m.importModel(parts_[1], false), qPrintable(m.lastError()));
        QVERIFY(imported.wait(kHangMs));
        QCOMPARE(imported.first().at(1).toString(), QString());
        QCOMPARE(imported.first().at(0).toString(), QDir(dir_.filePath("models-c")).filePath("e2b-Q8_0-00001-of-00003.gguf"));
        for (const QString& p : parts_)
            QCOMPARE(readAll(QDir(dir_.filePath("models-c")).filePath(QFileInfo(p).fileName())), readAll(p));
        QTRY_COMPARE_WITH_TIMEOUT(m.count(), 1, kHangMs);
        QVERIFY(waitScan(&m));
        QVERIFY2(m.items().first().error.isEmpty(), qPrintable(m.items().first().error));
        QCOMPARE(m.items().first().sizeBytes, partBytes_);
        QVERIFY(!m.importModel(parts_[2], false));  // already there

        // A set with a part missing is refused before anything is copied.
        const QString lone = dir_.filePath("lone");
        QVERIFY(QDir().mkpath(lone));
        QVERIFY(QFile::copy(parts_[0], lone + "/e2b-Q8_0-00001-of-00003.gguf"));
        QVERIFY(QFile::copy(parts_[2], lone + "/e2b-Q8_0-00003-of-00003.gguf"));
        InstalledModelsModel other;
        other.setFolder(dir_.filePath("models-d"));
        QVERIFY(waitScan(&other));
        QVERIFY(!other.importModel(lone + "/e2b-Q8_0-00001-of-00003.gguf", false));
        QVERIFY2(other.lastError().contains("part 2 of 3 (e2b-Q8_0-00002-of-00003.gguf) is missing"),
                 qPrintable(other.lastError()));
        QVERIFY(QDir(dir_.filePath("models-d")).entryList(QDir::Files).isEmpty());
    }

    void catalogOffersBf16SplitSets() {
        QString error;
        const QList<CatalogEntry> all = builtinCatalog(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const auto& [id, stem] : {std::pair{"gemma-4-26b-a4b-it-bf16", "BF16/gemma-4-26B-A4B-it-BF16"},
                                       {"gemma-4-31b-it-bf16", "BF16/gemma-4-31B-it-BF16"}}) {
            const auto e = std::find_if(all.begin(), all.end(), [&](const CatalogEntry& c) { return c.id == id; });
            QVERIFY2(e != all.end(), id);
            QCOMPARE(e->type, QString("BF16"));
            QVERIFY(e->approxBytes > 40000000000LL);
            QVERIFY(e->wants(QString(stem) + "-00001-of-00002.gguf"));
            QVERIFY(e->wants(QString(stem) + "-00002-of-00002.gguf"));
            QVERIFY(!e->wants(QString(stem).replace("BF16", "Q8_0") + "-00001-of-00002.gguf"));
            QVERIFY(!e->wants("mmproj-BF16.gguf"));
        }
    }

    // A catalog entry naming a split set: every part downloads (listed out of
    // order), part 1 is the model announced, and it installs as one row.
    void catalogSplitSetDownloads() {
        TestHttpServer server;
        QVERIFY(server.listen());
        qputenv("FACET_HF_ENDPOINT", server.url("/").toString().chopped(1).toUtf8());
        QJsonArray list;
        for (int i : {2, 0, 1}) {
            const QString name = "BF16/" + QFileInfo(parts_[i]).fileName();
            list << fileEntry(name, readAll(parts_[i]));
            server.addFile(("/someone/split-GGUF/resolve/main/" + name).toUtf8(), readAll(parts_[i]));
        }
        server.addFile("/api/models/someone/split-GGUF/tree/main?recursive=true", QJsonDocument(list).toJson(),
                       "application/json");
        ModelManager m;
        m.setModelsDir(dir_.filePath("models-d"));
        m.catalog()->setEntries(parseCatalog(R"({"models":[{"id":"split","name":"Split","variant":"e2b","format":"gguf",
            "type":"Q8_0","repo":"someone/split-GGUF","include":["*-Q8_0*.gguf"],"approxBytes":1000}]})", nullptr));
        QSignalSpy ready(&m, &ModelManager::modelReady);
        QVERIFY(m.downloadCatalogEntry("split"));
        QVERIFY2(ready.wait(kHangMs), qPrintable(m.error()));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().first().toString(), QDir(dir_.filePath("models-d")).filePath("split/BF16/e2b-Q8_0-00001-of-00003.gguf"));
        QVERIFY(waitScan(m.installed()));
        QTRY_COMPARE_WITH_TIMEOUT(m.installed()->count(), 1, kHangMs);
        QVERIFY(waitScan(m.installed()));
        const InstalledModel& im = m.installed()->items().first();
        QVERIFY2(im.error.isEmpty(), qPrintable(im.error));
        QCOMPARE(im.sizeBytes, partBytes_);
    }
};

QTEST_GUILESS_MAIN(TstAppSplitModels)
#include "tst_app_split_models.moc"
