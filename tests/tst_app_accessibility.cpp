// Accessibility of the whole window: on every screen a user reaches (the
// welcome screen, the chat page with the toolbar, Settings, the model manager's tabs,
// Documents, the shortcuts sheet, the toolbar's menu), each visible control a
// screen reader can land on (buttons, fields, boxes, switches, tabs, menu
// items) has an accessible role and a non-empty accessible name. The check
// goes through QAccessible, as Orca/AT-SPI would, not through QML properties.
#include <QAccessible>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "chat_settings.h"
#include "support/chat_seed.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

namespace {

// The roles of controls a user operates; text, images and layout items are
// not asked for a name.
bool isOperable(QAccessible::Role role) {
    switch (role) {
    case QAccessible::Button:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::PageTab:
    case QAccessible::MenuItem:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
        return true;
    default:
        return false;
    }
}

// "Parent/Child" names of the item's ancestors, to find an offender in the QML.
QString trail(QQuickItem* item) {
    QStringList parts;
    for (QQuickItem* i = item; i && parts.size() < 6; i = i->parentItem()) {
        QString part = QString::fromLatin1(i->metaObject()->className()).section("_QML", 0, 0);
        if (!i->objectName().isEmpty()) part += "#" + i->objectName();
        parts.prepend(part);
    }
    return parts.join('/');
}

// Visible operable items under `item` without a name.
void collectNameless(QQuickItem* item, QStringList& out, int& checked) {
    if (!item || !item->isVisible() || item->opacity() == 0.0) return;
    if (QAccessibleInterface* a = QAccessible::queryAccessibleInterface(item)) {
        // Disabled controls too: screen readers announce them.
        if (isOperable(a->role()) && item->width() > 0 && item->height() > 0) {
            ++checked;
            if (a->text(QAccessible::Name).trimmed().isEmpty()) out << trail(item);
        }
    }
    for (QQuickItem* child : item->childItems()) collectNameless(child, out, checked);
}

}  // namespace

class TstAppAccessibility : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QQmlApplicationEngine* engine_ = nullptr;
    QQuickWindow* window_ = nullptr;

    // Every operable control now on screen (the overlay with its dialogs and
    // menus included) is named: QVERIFY(named(screen, atLeast)).
    // `root`: where to look (null: the whole window), e.g. a dialog's own content.
    bool named(const char* screen, int atLeast, QQuickItem* root = nullptr) {
        QStringList nameless;
        int checked = 0;
        collectNameless(root ? root : window_->contentItem(), nameless, checked);
        if (!nameless.isEmpty())
            qWarning().noquote() << screen << "controls without an accessible name:\n  " << nameless.join("\n  ");
        if (checked < atLeast) qWarning() << screen << "only" << checked << "controls found";
        return nameless.isEmpty() && checked >= atLeast;
    }

    // A popup's (dialog's, menu's) own items: its background, header, content
    // and footer all sit under its popup item.
    QQuickItem* popupContent(const char* objectName) {
        QObject* popup = engine_->rootObjects().first()->findChild<QObject*>(objectName);
        if (!popup) return nullptr;
        auto* content = popup->property("contentItem").value<QQuickItem*>();
        return content ? content->parentItem() : nullptr;
    }

    void open(const char* objectName) {
        QObject* popup = engine_->rootObjects().first()->findChild<QObject*>(objectName);
        QVERIFY2(popup, objectName);
        QVERIFY(QMetaObject::invokeMethod(popup, "open"));
        QTRY_VERIFY_WITH_TIMEOUT(popup->property("opened").toBool(), kHangMs);
    }
    void close(const char* objectName) {
        QObject* popup = engine_->rootObjects().first()->findChild<QObject*>(objectName);
        QVERIFY(QMetaObject::invokeMethod(popup, "close"));
        QTRY_VERIFY_WITH_TIMEOUT(!popup->property("visible").toBool(), kHangMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
        // As when a screen reader is running: Controls set their roles then.
        QAccessible::setActive(true);
        // One stored conversation: the chat page (sidebar, messages, composer)
        // shows beside the welcome screen's toolbar.
        QVERIFY(seedConversation(facetDataDir(), "Holiday plans", "Three things to see in Lisbon?"));
        engine_ = new QQmlApplicationEngine(this);
        window_ = loadMainWindow(*engine_);
        QVERIFY(window_);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    // The welcome screen (no conversation yet), in a window of its own over an empty data folder.
    void welcomeScreen() {
        const QByteArray seeded = qgetenv("FACET_DATA_DIR");
        qputenv("FACET_DATA_DIR", dir_.filePath("empty").toUtf8());
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        qputenv("FACET_DATA_DIR", seeded);
        QVERIFY(window);
        QVERIFY(findItem(window->contentItem(), "welcomeDownload"));
        QStringList nameless;
        int checked = 0;
        collectNameless(window->contentItem(), nameless, checked);
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(", ")));
        QVERIFY(checked >= 8);  // the toolbar and the welcome card's four actions
    }

    void chatPage() {
        auto* chat = engine_->rootObjects().first()->findChild<ChatController*>("chat");
        QVERIFY(chat);
        QTRY_COMPARE_WITH_TIMEOUT(chat->conversations()->rowCount(), 1, kHangMs);
        QVERIFY(findItem(window_->contentItem(), "sidebar"));
        QVERIFY(findItem(window_->contentItem(), "sendButton", false));
        // Toolbar, New chat, search, the conversation row, attach, send, at least.
        QVERIFY(named("chat page", 8));
    }

    void dialogs() {
        // At least this many controls in each dialog's own content (its
        // tabs, fields, boxes and buttons): not the window behind it. (The
        // shortcuts sheet is text; its Close is checked wherever it lies.)
        const std::pair<const char*, int> dialogs[] = {{"settingsDialog", 8}, {"documentsDialog", 2}, {"shortcutsSheet", 0}};
        for (const auto& [name, atLeast] : dialogs) {
            open(name);
            QQuickItem* content = popupContent(name);
            QVERIFY(content);
            QVERIFY(named(name, atLeast, content));
            close(name);
        }
    }

    void modelManagerTabs() {
        open("modelsDialog");
        QObject* dialog = engine_->rootObjects().first()->findChild<QObject*>("modelsDialog");
        for (int tab = 0; tab < 4; ++tab) {
            QVERIFY(dialog->setProperty("currentTab", tab));
            // The four tabs at least, besides what the tab holds.
            QQuickItem* content = popupContent("modelsDialog");
            QVERIFY(content);
            QVERIFY(named(qPrintable(QString("models tab %1").arg(tab)), 4, content));
        }
        close("modelsDialog");
    }

    void toolbarMenu() {
        open("moreMenu");
        QQuickItem* content = popupContent("moreMenu");
        QVERIFY(content);
        QVERIFY(named("toolbar menu", 5, content));
        close("moreMenu");
    }

    void cleanupTestCase() {
        delete engine_;
        engine_ = nullptr;
    }
};

QTEST_MAIN(TstAppAccessibility)
#include "tst_app_accessibility.moc"
