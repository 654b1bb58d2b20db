// The interface's language on the real main window (Main.qml, offscreen, no
// model): the saved setting "de" shows the welcome card in German, a switch
// to "fr" at runtime shows French without reloading, "en" English although
// the system is German, and "" follows the system locale (German: this
// process starts with LC_ALL=de_DE.UTF-8 and LANGUAGE=de, see main()).
// The Settings page's Language box writes the setting.
#include <QGuiApplication>
#include <QLocale>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "app_translator.h"
#include "chat_controller.h"
#include "chat_settings.h"
#include "support/chat_seed.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

namespace {
const QString kGerman = QStringLiteral("Willkommen bei Facet");
const QString kFrench = QStringLiteral("Bienvenue dans Facet");
const QString kEnglish = QStringLiteral("Welcome to Facet");
}  // namespace

class TstAppLanguage : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    // The visible welcome title, whichever language shows it (null if none does).
    static QString welcomeTitle(QQuickWindow* window) {
        for (const QString& t : {kGerman, kFrench, kEnglish})
            if (findItem(window->contentItem(), t)) return t;
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
        // The saved choice, as Settings would have left it.
        QSettings ini(dir_.filePath("config/settings.ini"), QSettings::IniFormat);
        ini.setValue("app/language", "de");
        ini.sync();
        QCOMPARE(ini.status(), QSettings::NoError);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void resolvesTheSystemsLanguage() {
        QCOMPARE(AppTranslator::resolve("fr", {"de-DE"}), QString("fr"));
        QCOMPARE(AppTranslator::resolve("", {"de-AT", "en"}), QString("de"));
        QCOMPARE(AppTranslator::resolve("", {"pt-BR", "fr_CA"}), QString("fr"));
        QCOMPARE(AppTranslator::resolve("", {"en-GB", "de"}), QString("en"));  // English first wins
        QCOMPARE(AppTranslator::resolve("xx", {"ja"}), QString("en"));
        QCOMPARE(QLocale::system().language(), QLocale::German);  // main()'s environment took
    }

    void switchesLanguageAtRuntime() {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        ChatSettings* settings = chat->settings();
        QCOMPARE(settings->language(), QString("de"));

        // Saved "de": German from the start, in QML and in C++ (tr), numbers too.
        QTRY_COMPARE_WITH_TIMEOUT(welcomeTitle(window), kGerman, kHangMs);
        QCOMPARE(QCoreApplication::translate("ConversationListModel", "Today"), QString("Heute"));
        QCOMPARE(QLocale().language(), QLocale::German);
        QVERIFY(saveFrame(window, QCoreApplication::applicationDirPath() + "/language_de.png"));

        // French at runtime, in the same window: no reload.
        QObject* root = engine.rootObjects().first();
        settings->setLanguage("fr");
        QTRY_COMPARE_WITH_TIMEOUT(welcomeTitle(window), kFrench, kHangMs);
        QCOMPARE(engine.rootObjects().first(), root);
        QCOMPARE(QCoreApplication::translate("ConversationListModel", "Today"), QString("Aujourd’hui"));
        QCOMPARE(QCoreApplication::translate("DocumentsDialog", "%n file(s)", "", 2), QString("2 fichiers"));
        QCOMPARE(QLocale().language(), QLocale::French);

        // English although the system is German; its plural forms come from facet_en.qm.
        settings->setLanguage("en");
        QTRY_COMPARE_WITH_TIMEOUT(welcomeTitle(window), kEnglish, kHangMs);
        QCOMPARE(QCoreApplication::translate("DocumentsDialog", "%n file(s)", "", 1), QString("1 file"));
        QCOMPARE(QCoreApplication::translate("DocumentsDialog", "%n file(s)", "", 3), QString("3 files"));

        // "" follows the system: German again, numbers with its decimal comma.
        settings->setLanguage("");
        QTRY_COMPARE_WITH_TIMEOUT(welcomeTitle(window), kGerman, kHangMs);
        QCOMPARE(QLocale().toString(1.5), QString("1,5"));
        auto* translator = window->findChild<AppTranslator*>("appTranslator");
        QVERIFY(translator);
        QCOMPARE(translator->effectiveLanguage(), QString("de"));

        // The Settings page's Language box (System default, English, Deutsch, Français).
        auto* dialog = window->findChild<QObject*>("settingsDialog");
        QVERIFY(dialog);
        QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kHangMs);
        QQuickItem* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = findItem(window->contentItem(), "languageBox", false)) != nullptr, kHangMs);
        QCOMPARE(box->property("currentIndex").toInt(), 0);
        QCOMPARE(box->property("count").toInt(), 4);
        QVERIFY(QMetaObject::invokeMethod(box, "activated", Q_ARG(int, 3)));
        QCOMPARE(settings->language(), QString("fr"));
        QTRY_COMPARE_WITH_TIMEOUT(dialog->property("title").toString(), QString("Paramètres"), kHangMs);
        QCOMPARE(box->property("currentIndex").toInt(), 3);
        QVERIFY(saveFrame(window, QCoreApplication::applicationDirPath() + "/language_fr_settings.png"));
        QCOMPARE(QSettings(settings->file(), QSettings::IniFormat).value("app/language").toString(), QString("fr"));
    }

    // The sidebar's date headers are C++ text (ConversationListModel): they
    // follow a switch too, without a restart.
    void sidebarHeadersFollowTheLanguage() {
        const QString data = dir_.filePath("with-conversation");
        QVERIFY(seedConversation(data, "Lisbon", "Three things to see in Lisbon?"));
        const QByteArray before = qgetenv("FACET_DATA_DIR");
        qputenv("FACET_DATA_DIR", data.toUtf8());
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        qputenv("FACET_DATA_DIR", before);
        QVERIFY(window);
        ChatSettings* settings = window->findChild<ChatController*>("chat")->settings();
        settings->setLanguage("de");
        QTRY_VERIFY_WITH_TIMEOUT(findItem(window->contentItem(), "Heute"), kHangMs);
        settings->setLanguage("fr");
        QTRY_VERIFY_WITH_TIMEOUT(findItem(window->contentItem(), "Aujourd’hui"), kHangMs);
        QVERIFY(!findItem(window->contentItem(), "Heute"));
        settings->setLanguage("en");
        QTRY_VERIFY_WITH_TIMEOUT(findItem(window->contentItem(), "Today"), kHangMs);
    }
};

int main(int argc, char** argv) {
    // The system's locale is German for this process: "" must follow it. Set
    // before the application reads the environment (QLocale::system()).
    qputenv("LC_ALL", "de_DE.UTF-8");
    qputenv("LANGUAGE", "de_DE:de");
    QGuiApplication app(argc, argv);
    TstAppLanguage test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_app_language.moc"
