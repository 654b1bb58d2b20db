// Light and dark: SystemColorScheme's reading of the XDG desktop portal's
// color-scheme (ReadOne's variant, Read's variant in a variant, garbage), the
// same against a fake portal on a private session bus (dbus-daemon started by
// the test; the package dbus-daemon is a test dependency), and the main window's Theme: the
// settings' "dark" and "light" win, "system" follows SystemColorScheme. F1
// opens the keyboard shortcuts sheet, which lists Ctrl+N.
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "color_scheme.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

// org.freedesktop.portal.Settings as xdg-desktop-portal serves it (version 2: ReadOne and Read).
class FakePortal : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")
public:
    uint scheme = 1;
public slots:
    QDBusVariant ReadOne(const QString& ns, const QString& key) {
        if (ns != "org.freedesktop.appearance" || key != "color-scheme") return QDBusVariant(QVariant(QString("?")));
        return QDBusVariant(QVariant::fromValue(scheme));
    }
signals:
    void SettingChanged(const QString& ns, const QString& key, const QDBusVariant& value);
};

// An older portal (version 1): only Read, its value wrapped in one more variant.
class OldPortal : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")
public:
    uint scheme = 2;
public slots:
    QDBusVariant Read(const QString&, const QString&) {
        return QDBusVariant(QVariant::fromValue(QDBusVariant(QVariant::fromValue(scheme))));
    }
};

class TstAppTheme : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QProcess bus_;
    QString busAddress_;

    // A private session bus of the test's own; "" when dbus-daemon is missing.
    QString privateBus() {
        if (!busAddress_.isEmpty()) return busAddress_;
        const QString daemon = QStandardPaths::findExecutable("dbus-daemon");
        if (daemon.isEmpty()) return {};
        bus_.start(daemon, {"--session", "--nofork", "--nopidfile", "--print-address=1"});
        if (!bus_.waitForStarted(kHangMs)) return {};
        while (!bus_.canReadLine() && bus_.waitForReadyRead(kHangMs)) {}
        busAddress_ = QString::fromUtf8(bus_.readLine()).trimmed();
        return busAddress_;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }
    void cleanupTestCase() {
        if (bus_.state() != QProcess::NotRunning) {
            bus_.terminate();
            bus_.waitForFinished(kHangMs);
        }
    }

    void parsesPortalReplies_data() {
        QTest::addColumn<QVariant>("reply");
        QTest::addColumn<int>("scheme");
        QTest::newRow("dark") << QVariant::fromValue(1u) << 1;
        QTest::newRow("light") << QVariant::fromValue(2u) << 2;
        QTest::newRow("no preference") << QVariant::fromValue(0u) << 0;
        QTest::newRow("ReadOne variant") << QVariant::fromValue(QDBusVariant(QVariant::fromValue(1u))) << 1;
        QTest::newRow("Read variant in a variant")
            << QVariant::fromValue(QDBusVariant(QVariant::fromValue(QDBusVariant(QVariant::fromValue(2u))))) << 2;
        QTest::newRow("out of range") << QVariant::fromValue(7u) << -1;
        QTest::newRow("negative") << QVariant::fromValue(-1) << -1;
        QTest::newRow("string") << QVariant(QString("prefer-dark")) << -1;
        QTest::newRow("double") << QVariant(1.0) << -1;
        QTest::newRow("nothing") << QVariant() << -1;
        QTest::newRow("variant of a string") << QVariant::fromValue(QDBusVariant(QVariant(QString("1")))) << -1;
    }
    void parsesPortalReplies() {
        QFETCH(QVariant, reply);
        QFETCH(int, scheme);
        QCOMPARE(SystemColorScheme::parsePortalReply(reply), scheme);
    }

    void preferenceBeatsPalette() {
        SystemColorScheme scheme(nullptr);
        const bool paletteDark = scheme.dark();
        QSignalSpy changed(&scheme, &SystemColorScheme::darkChanged);
        scheme.setPreference(paletteDark ? 2 : 1);
        QCOMPARE(scheme.dark(), !paletteDark);
        scheme.setPreference(0);  // no preference: the palette again
        QCOMPARE(scheme.dark(), paletteDark);
        QCOMPARE(changed.count(), 2);
    }

    void readsAndFollowsFakePortal() {
        const QString address = privateBus();
        QVERIFY2(!address.isEmpty(), "dbus-daemon did not start (Debian package dbus-daemon, scripts/debian-packages.txt)");
        QDBusConnection server = QDBusConnection::connectToBus(address, "facet-fake-portal");
        QVERIFY2(server.isConnected(), qPrintable(server.lastError().message()));
        FakePortal portal;
        QVERIFY(server.registerObject(SystemColorScheme::kPath, &portal,
                                      QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
        QVERIFY(server.registerService(SystemColorScheme::kService));

        QDBusConnection client = QDBusConnection::connectToBus(address, "facet-scheme-client");
        QVERIFY(client.isConnected());
        SystemColorScheme scheme(client, nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(scheme.preference(), 1, kHangMs);
        QVERIFY(scheme.dark());

        // The desktop switches to light: SettingChanged carries the new value.
        QSignalSpy changed(&scheme, &SystemColorScheme::darkChanged);
        emit portal.SettingChanged("org.freedesktop.appearance", "color-scheme", QDBusVariant(QVariant::fromValue(2u)));
        QTRY_COMPARE_WITH_TIMEOUT(scheme.preference(), 2, kHangMs);
        QVERIFY(!scheme.dark());
        QCOMPARE(changed.count(), 1);
        // Other keys and namespaces are not the color scheme.
        emit portal.SettingChanged("org.freedesktop.appearance", "accent-color", QDBusVariant(QVariant::fromValue(1u)));
        emit portal.SettingChanged("org.gnome.desktop.interface", "color-scheme", QDBusVariant(QVariant::fromValue(1u)));
        emit portal.SettingChanged("org.freedesktop.appearance", "color-scheme", QDBusVariant(QVariant::fromValue(1u)));
        QTRY_COMPARE_WITH_TIMEOUT(scheme.preference(), 1, kHangMs);
        QCOMPARE(changed.count(), 2);  // only the last one counted

        server.unregisterService(SystemColorScheme::kService);
        server.unregisterObject(SystemColorScheme::kPath);
        QDBusConnection::disconnectFromBus("facet-fake-portal");
        QDBusConnection::disconnectFromBus("facet-scheme-client");
    }

    void fallsBackToReadOnAnOldPortal() {
        const QString address = privateBus();
        QVERIFY2(!address.isEmpty(), "dbus-daemon did not start (Debian package dbus-daemon, scripts/debian-packages.txt)");
        QDBusConnection server = QDBusConnection::connectToBus(address, "facet-old-portal");
        QVERIFY(server.isConnected());
        OldPortal portal;
        QVERIFY(server.registerObject(SystemColorScheme::kPath, &portal, QDBusConnection::ExportAllSlots));
        QVERIFY(server.registerService(SystemColorScheme::kService));
        QDBusConnection client = QDBusConnection::connectToBus(address, "facet-old-client");
        SystemColorScheme scheme(client, nullptr);
        QTRY_COMPARE_WITH_TIMEOUT(scheme.preference(), 2, kHangMs);
        QVERIFY(!scheme.dark());
        server.unregisterService(SystemColorScheme::kService);
        QDBusConnection::disconnectFromBus("facet-old-portal");
        QDBusConnection::disconnectFromBus("facet-old-client");
    }

    void windowFollowsSettingsAndSystem() {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        auto* theme = window->findChild<QObject*>("theme");
        auto* system = window->findChild<SystemColorScheme*>("systemColorScheme");
        QVERIFY(chat && theme && system);

        chat->settings()->setTheme("dark");
        QTRY_VERIFY_WITH_TIMEOUT(theme->property("dark").toBool(), kHangMs);
        QVERIFY(window->color().lightness() < 100);
        system->setPreference(2);  // the desktop prefers light: "dark" still wins
        QVERIFY(theme->property("dark").toBool());
        QVERIFY(saveFrame(window, QCoreApplication::applicationDirPath() + "/theme_dark.png"));
        const QImage dark = window->grabWindow();
        QVERIFY(QColor(dark.pixel(5, dark.height() - 5)).lightness() < 100);

        chat->settings()->setTheme("light");
        system->setPreference(1);  // the desktop prefers dark: "light" still wins
        QTRY_VERIFY_WITH_TIMEOUT(!theme->property("dark").toBool(), kHangMs);
        QVERIFY(window->color().lightness() > 200);

        chat->settings()->setTheme("system");
        QTRY_VERIFY_WITH_TIMEOUT(theme->property("dark").toBool(), kHangMs);  // follows the desktop: dark
        system->setPreference(2);
        QTRY_VERIFY_WITH_TIMEOUT(!theme->property("dark").toBool(), kHangMs);
        QVERIFY(window->color().lightness() > 200);
        system->setPreference(1);
        QTRY_VERIFY_WITH_TIMEOUT(theme->property("dark").toBool(), kHangMs);
        QVERIFY(window->color().lightness() < 100);
        chat->settings()->setTheme("light");
    }

    void f1OpensShortcutsSheet() {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* sheet = window->findChild<QObject*>("shortcutsSheet");
        QVERIFY(sheet);
        QVERIFY(!sheet->property("opened").toBool());
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window, kHangMs));
        QTest::keyClick(window, Qt::Key_F1);
        QTRY_VERIFY_WITH_TIMEOUT(sheet->property("opened").toBool(), kHangMs);
        auto* content = sheet->property("contentItem").value<QQuickItem*>();
        QVERIFY(content);
        QVERIFY(findItem(content, "Ctrl+N", false));
        QVERIFY(findItem(content, "New conversation", false));
        QVERIFY(findItem(content, "Ctrl+Shift+R", false));
        QVERIFY(findItem(content, "F1", false));
        QVERIFY(saveFrame(window, QCoreApplication::applicationDirPath() + "/shortcuts_sheet.png"));
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!sheet->property("visible").toBool(), kHangMs);
    }
};

QTEST_MAIN(TstAppTheme)
#include "tst_app_theme.moc"
