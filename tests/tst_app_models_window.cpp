// First run in the real window (Main.qml, offscreen) with no model: the
// welcome screen's "Download a model…" opens the model manager on the
// catalog, where "Gemma 4 E2B Q4_0" shows a fit verdict; it downloads from a
// local stand-in for Hugging Face (paused half way, then resumed), is
// verified with the projector that came with it, loads into the chat by
// itself, is listed as seeing images, and answers. Screenshots: welcome.png,
// models_catalog.png, models_downloads.png, models_installed.png, models_chat.png.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "model_manager.h"
#include "support/test_http_server.h"
#include "support/test_paths.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

namespace {

bool saveShot(QQuickWindow* window, const QString& name) {
    return saveFrame(window, QCoreApplication::applicationDirPath() + "/" + name);
}

}  // namespace

class TstAppModelsWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    TestHttpServer server_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        facet::test::useWindowTestEnvironment(dir_);
        QVERIFY(server_.listen());
        qputenv("FACET_HF_ENDPOINT", server_.url("/").toString().chopped(1).toUtf8());
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void welcomeToDownloadToChat() {
        const QString tiny = dir_.filePath("tiny.gguf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", tiny});
        QVERIFY(mk.waitForFinished(kHangMs) && mk.exitCode() == 0);
        QFile f(tiny);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray body = f.readAll();
        const QString sha = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
        QFile p(dataFile("vision/mmproj-v-tiny.f16.gguf"));  // 64 wide, as the e2b-like model
        QVERIFY(p.open(QIODevice::ReadOnly));
        const QByteArray projector = p.readAll();
        const QString projectorSha = QCryptographicHash::hash(projector, QCryptographicHash::Sha256).toHex();
        const QJsonArray tree{QJsonObject{{"type", "file"}, {"path", "gemma-4-E2B-it-q4_0.gguf"}, {"size", double(body.size())},
                                          {"lfs", QJsonObject{{"oid", sha}, {"size", double(body.size())}}}},
                              QJsonObject{{"type", "file"}, {"path", "mmproj-model-f16.gguf"}, {"size", double(projector.size())},
                                          {"lfs", QJsonObject{{"oid", projectorSha}, {"size", double(projector.size())}}}}};
        server_.addFile("/google/gemma-4-E2B-it-qat-q4_0-gguf/resolve/main/mmproj-model-f16.gguf", projector);
        server_.addFile("/api/models/google/gemma-4-E2B-it-qat-q4_0-gguf/tree/main?recursive=true",
                        QJsonDocument(tree).toJson(), "application/json");
        const QByteArray file = "/google/gemma-4-E2B-it-qat-q4_0-gguf/resolve/main/gemma-4-E2B-it-q4_0.gguf";
        server_.addFile(file, body);
        server_.stallAfter(file, 400000, 1);  // holds the transfer half way, so that it can be paused

        QQmlApplicationEngine engine;
        engine.rootContext()->setContextProperty("initialModelPath", QString());
        engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window && QTest::qWaitForWindowExposed(window, kHangMs));
        auto* chat = window->findChild<ChatController*>("chat");
        auto* models = window->findChild<ModelManager*>("models");
        auto* dialog = window->findChild<QObject*>("modelsDialog");
        QVERIFY(chat && models && dialog);
        QVERIFY(!chat->modelLoaded());
        DownloadOptions held = models->downloads()->downloadOptions();
        held.stallTimeoutMs = 0;  // the held transfer is paused by the test, never ended by a stall watch
        models->downloads()->setDownloadOptions(held);
        // The machine the fit is for: fixed, so the screenshot says the same everywhere.
        models->setMachine({16ull << 30, 8ull << 30, false}, "Test GPU");

        // The welcome screen leads to the model manager.
        QVERIFY(saveShot(window, "welcome.png"));
        QQuickItem* welcome = findItem(window->contentItem(), "welcomeDownload");
        QVERIFY(welcome);
        QVERIFY(QMetaObject::invokeMethod(welcome, "clicked"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kHangMs);
        QCOMPARE(dialog->property("currentTab").toInt(), 0);
        models->setMachine({16ull << 30, 8ull << 30, false}, "Test GPU");  // after the dialog's own probe
        QQuickItem* catalog = findItem(window->contentItem(), "catalogList");
        QVERIFY(catalog);
        int row = -1;
        for (int r = 0; r < models->catalog()->rowCount(); ++r)
            if (models->catalog()->index(r).data(CatalogModel::NameRole).toString() == "Gemma 4 E2B Q4_0") row = r;
        QVERIFY(row >= 0);
        QCOMPARE(models->catalog()->index(row).data(CatalogModel::FitRole).toString(), QString("fits"));
        QVERIFY(saveShot(window, "models_catalog.png"));

        // Download, pause half way, resume: it completes, is verified and loads into the chat.
        QSignalSpy queued(models, &ModelManager::downloadQueued);
        QVERIFY(models->downloadCatalogEntry(models->catalog()->index(row).data(CatalogModel::IdRole).toString()));
        QVERIFY(queued.wait(kHangMs));
        const int job = queued.first().first().toInt();
        dialog->setProperty("currentTab", 2);
        QTRY_VERIFY_WITH_TIMEOUT(models->downloads()->index(0).data(DownloadManager::ReceivedBytesRole).toLongLong() >= 300000, kHangMs);
        models->downloads()->pause(job);
        QCOMPARE(models->downloads()->jobState(job), QString("paused"));
        QVERIFY(saveShot(window, "models_downloads.png"));
        server_.releaseStalls();
        models->downloads()->resume(job);
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        QCOMPARE(models->downloads()->jobState(job), QString("done"));
        QVERIFY(chat->modelPath().endsWith("gemma-4-e2b-it-q4_0/gemma-4-E2B-it-q4_0.gguf"));

        // The installed list: one model (the projector is no row of its own), tagged as seeing images.
        dialog->setProperty("currentTab", 3);
        QTRY_COMPARE_WITH_TIMEOUT(models->installed()->count(), 1, kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(findItem(window->contentItem(), "seesImagesTag"), kHangMs);
        QQuickItem* tag = findItem(window->contentItem(), "seesImagesTag");
        QCOMPARE(tag->property("text").toString(), QString("Sees images"));
        QVERIFY(!findItem(window->contentItem(), "Download image support"));
        QVERIFY(saveShot(window, "models_installed.png"));

        QVERIFY(QMetaObject::invokeMethod(dialog, "close"));
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), kHangMs);
        chat->settings()->setMaxTokens(12);
        QSignalSpy done(chat, &ChatController::replyFinished);
        QVERIFY(chat->send("Hello from the catalog"));
        QVERIFY(done.wait(kHangMs));
        QCOMPARE(chat->messages()->rowCount(), 2);
        QVERIFY(saveShot(window, "models_chat.png"));
    }
};

QTEST_MAIN(TstAppModelsWindow)
#include "tst_app_models_window.moc"
