// facet-screenshots OUTDIR [MODEL]: the real main window (Main.qml, the app's
// style) with a few stored conversations, grabbed to PNGs: main_light.png,
// main_dark.png, models.png, settings.png, shortcuts.png, welcome.png. Data
// and settings go where FACET_DATA_DIR / FACET_CONFIG_DIR (or a temporary
// HOME) say; scripts/screenshots.sh sets them up and runs this at 1x and 2x
// (QT_SCALE_FACTOR). With MODEL (a .gguf), it is loaded first, so the
// toolbar shows the model, its device and the badge. Not a test: no checks
// beyond "the window came up and each frame was saved".
#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include "app_style.h"
#include "chat_controller.h"
#include "chat_settings.h"
#include "chat_store.h"
#include "color_scheme.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

namespace {

constexpr int kWaitMs = 60000;

void seed(const QString& database) {
    ChatStore store;
    if (!store.open(database)) qFatal("cannot open %s", qPrintable(database));
    if (!store.conversations().isEmpty()) return;
    const auto add = [&](qint64 c, const QString& role, const QString& text) {
        StoredMessage m;
        m.conversationId = c;
        m.role = role;
        m.text = text;
        m.created = QDateTime::currentDateTime();
        m.model = role == "model" ? "gemma-4-e4b-it-Q4_K_M.gguf" : QString();
        store.addMessage(m);
    };
    add(store.createConversation("Trip to Lisbon"), "user", "Three things to see in Lisbon in one day?");
    add(store.createConversation("Quarterly report summary"), "user", "Summarise the attached report in five bullet points.");
    const qint64 c = store.createConversation("Parse a CSV in Python");
    add(c, "user", "How do I read a CSV file and sum one column in Python?");
    add(c, "model",
        "Use the standard `csv` module; no extra packages needed:\n\n"
        "```python\nimport csv\n\ntotal = 0.0\nwith open(\"sales.csv\", newline=\"\") as f:\n"
        "    for row in csv.DictReader(f):\n        total += float(row[\"amount\"])\nprint(total)\n```\n\n"
        "**Notes**\n\n- `DictReader` reads the header row for you.\n- For large files, `pandas.read_csv` is faster.");
    add(c, "user", "And with pandas?");
    add(c, "model", "```python\nimport pandas as pd\nprint(pd.read_csv(\"sales.csv\")[\"amount\"].sum())\n```");
}

bool shoot(QQuickWindow* window, const QString& path) {
    for (int i = 0; i < 3; ++i) {  // let transitions and images settle
        QSignalSpy frame(window, &QQuickWindow::frameSwapped);
        window->update();
        if (!frame.wait(kWaitMs)) return false;
    }
    QTest::qWait(400);  // popup enter transitions (Material: ~150 ms)
    const bool ok = window->grabWindow().save(path);
    qInfo("%s %s", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}

bool openAndShoot(QQuickWindow* window, const char* name, const QString& path) {
    QObject* popup = window->findChild<QObject*>(name);
    if (!popup) return false;
    QMetaObject::invokeMethod(popup, "open");
    const bool ok = shoot(window, path);
    QMetaObject::invokeMethod(popup, "close");
    QTest::qWait(300);
    return ok;
}

}  // namespace

int main(int argc, char* argv[]) {
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName("Facet");
    QGuiApplication::setOrganizationName("Facet");
    const QStringList args = app.arguments();
    if (args.size() < 2) qFatal("usage: facet-screenshots OUTDIR [MODEL.gguf]");
    const QDir out(args.at(1));
    QDir().mkpath(out.path());
    facet::applyAppStyle();
    qputenv("FACET_NO_PORTAL", "1");

    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty("initialModelPath", QString());

    // An empty start first: the welcome card.
    {
        QQmlApplicationEngine welcome;
        welcome.rootContext()->setContextProperty("initialModelPath", QString());
        welcome.load(QUrl("qrc:/Facet/qml/Main.qml"));
        auto* w = welcome.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(welcome.rootObjects().first());
        auto* chat = w ? w->findChild<ChatController*>("chat") : nullptr;
        if (!chat) return 1;
        w->resize(1280, 800);
        if (chat->conversations()->rowCount() == 0) {
            chat->settings()->setTheme("light");
            if (!QTest::qWaitForWindowExposed(w, kWaitMs) || !shoot(w, out.filePath("welcome.png"))) return 1;
        }
        QDir().mkpath(QFileInfo(chat->databasePath()).path());
        seed(chat->databasePath());
    }

    engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
    auto* window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    if (!window) return 1;
    window->resize(1280, 800);
    if (!QTest::qWaitForWindowExposed(window, kWaitMs)) return 1;
    auto* chat = window->findChild<ChatController*>("chat");
    if (!chat) return 1;
    if (args.size() > 2) {
        chat->loadModel(args.at(2));
        if (!QTest::qWaitFor([&] { return chat->modelLoaded() || !chat->banner().isEmpty(); }, kWaitMs)) return 1;
    }
    chat->search("");
    if (chat->conversations()->rowCount() > 0)
        chat->selectConversation(chat->conversations()->data(chat->conversations()->index(0, 0), ConversationListModel::IdRole).toLongLong());

    bool ok = true;
    chat->settings()->setTheme("light");
    ok &= shoot(window, out.filePath("main_light.png"));
    ok &= openAndShoot(window, "modelsDialog", out.filePath("models.png"));
    ok &= openAndShoot(window, "settingsDialog", out.filePath("settings.png"));
    ok &= openAndShoot(window, "shortcutsSheet", out.filePath("shortcuts.png"));
    chat->settings()->setTheme("dark");
    ok &= shoot(window, out.filePath("main_dark.png"));
    ok &= openAndShoot(window, "modelsDialog", out.filePath("models_dark.png"));
    ok &= openAndShoot(window, "settingsDialog", out.filePath("settings_dark.png"));
    chat->settings()->setTheme("light");
    return ok ? 0 : 1;
}
