// The real main window (Main.qml, offscreen): Settings → Server, switch the
// server on (port 0: a free one), and the page shows where it listens and
// the masked key; screenshot server_settings.png lands beside this binary.
// Any QML warning from Facet's files fails the test.
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "local_api_server.h"
#include "support/fake_openai_server.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

class TstAppServerWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static void click(QQuickWindow* window, QQuickItem* item) {
        const QPointF center = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(window, Qt::LeftButton, {}, center.toPoint());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void serverPageShowsTheAddress() {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* server = window->findChild<LocalApiServer*>("apiServer");
        QVERIFY(server);
        QHash<QString, QString> keyring;
        server->setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        server->setPort(0);

        auto* dialog = window->findChild<QObject*>("settingsDialog");
        QVERIFY(dialog);
        QMetaObject::invokeMethod(dialog, "open");
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kHangMs);
        // The dialog's items live in the window's overlay: search from the popup's own item.
        auto* content = qvariant_cast<QQuickItem*>(dialog->property("contentItem"));
        QVERIFY(content && content->parentItem());
        QQuickItem* root = content->parentItem();
        QQuickItem* tab = findItem(root, "serverTab");
        QVERIFY(tab);
        click(window, tab);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->property("currentTab").toInt(), 1, kHangMs);

        QQuickItem* toggle = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((toggle = findItem(root, "serverSwitch")), kHangMs);
        QVERIFY(toggle->width() > 0);
        click(window, toggle);
        QTRY_VERIFY_WITH_TIMEOUT(server->running(), kHangMs);
        QVERIFY(server->address().startsWith("http://127.0.0.1:"));
        QVERIFY(server->boundPort() > 0);

        // The page shows the address (a visible label with exactly that text) and the key, masked.
        QTRY_VERIFY_WITH_TIMEOUT(findItem(root, server->address()), kHangMs);
        QQuickItem* address = findItem(root, "serverAddress");
        QVERIFY(address && address->width() > 0);
        QQuickItem* key = findItem(root, "serverKey");
        QVERIFY(key);
        QCOMPARE(key->property("text").toString(), server->apiKey());
        QCOMPARE(key->property("displayText").toString().contains(server->apiKey()), false);
        QCOMPARE(findItem(root, "serverStatus")->property("text").toString(), QString("Running"));

        const QString png = QCoreApplication::applicationDirPath() + "/server_settings.png";
        QVERIFY(saveFrame(window, png));
        qInfo("screenshot %s", qPrintable(png));

        click(window, toggle);
        QTRY_VERIFY_WITH_TIMEOUT(!server->running(), kHangMs);
        QCOMPARE(server->enabled(), false);
    }
};

QTEST_MAIN(TstAppServerWindow)
#include "tst_app_server_window.moc"
