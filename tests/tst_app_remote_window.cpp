// The real main window (Main.qml, offscreen) with a remote server: open
// "Add remote server…" from the model picker, type a name, a URL ending in
// /v1/ and a key, Test connection lists the fake server's models, Save
// stores the server (key in the keyring, the dialog says where), the picker
// lists the remote model, picking it loads it, and a message streams
// thinking and answer into the chat. Screenshots remote_dialog.png and
// remote_chat.png land beside this binary. Plain http to another computer
// needs the confirmation box ticked. "Remote servers…" lists the saved ones:
// Edit… opens the dialog filled in (key field empty, the saved key kept),
// Remove asks first and takes the server, its key and the chat's model
// (remote_edit.png, remote_servers.png, remote_remove_confirm.png,
// remote_servers_empty.png, remote_removed.png). Any QML warning fails the test.
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

class TstAppRemoteWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static void click(QQuickWindow* window, QQuickItem* item) {
        const QPointF center = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(window, Qt::LeftButton, {}, center.toPoint());
    }

    static bool shoot(QQuickWindow* window, const QString& name) {
        QSignalSpy frame(window, &QQuickWindow::frameSwapped);
        window->update();
        if (!frame.wait(kHangMs)) return false;
        const QImage shot = window->grabWindow();
        const QString png = QCoreApplication::applicationDirPath() + '/' + name;
        qInfo("screenshot %s", qPrintable(png));
        return !shot.isNull() && shot.save(png);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_DATA_DIR", dir_.filePath("data").toUtf8());
        qputenv("FACET_CONFIG_DIR", dir_.filePath("config").toUtf8());
        qputenv("FACET_NO_PORTAL", "1");
        facet::applyAppStyle();
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void addServerPickModelAndChat() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.modelsBody = R"({"data":[{"id":"google/gemma-4-31b-it","max_model_len":32768}]})";
        server.chatBody = answerScript("reasoning");

        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        QHash<QString, QString> keyring;
        chat->remotes()->setSecretStore(std::make_unique<MemoryKeyring>(&keyring));

        // The picker's last entry opens the dialog.
        auto* picker = window->findChild<QQuickItem*>("modelPicker");
        QVERIFY(picker);
        const int entries = picker->property("count").toInt();
        QCOMPARE(entries, 1);  // no recent models, no servers: only "Add remote server…"
        QMetaObject::invokeMethod(picker, "activated", Q_ARG(int, entries - 1));
        auto* dialog = window->findChild<QObject*>("remoteDialog");
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kHangMs);

        auto item = [&](const char* name) { return dialog->findChild<QQuickItem*>(name); };
        QVERIFY(item("remoteName") && item("remoteUrl") && item("remoteKey") && item("remoteTest") && item("remoteSave"));
        item("remoteName")->setProperty("text", "Lab vLLM");
        item("remoteUrl")->setProperty("text", server.baseUrl());
        item("remoteKey")->setProperty("text", "sk-window-31337");
        QCOMPARE(item("remoteInsecure")->isVisible(), false);  // loopback: no confirmation needed
        QTRY_VERIFY_WITH_TIMEOUT(item("remoteTest")->isEnabled(), kHangMs);
        click(window, item("remoteTest"));
        QTRY_COMPARE_WITH_TIMEOUT(chat->remotes()->testModels(), QStringList{"google/gemma-4-31b-it"}, kHangMs);
        QCOMPARE(server.requests.last().headers.value("authorization"), QByteArray("Bearer sk-window-31337"));
        click(window, item("remoteSave"));
        QTRY_COMPARE_WITH_TIMEOUT(chat->remotes()->modelKeys().size(), 1, kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(chat->remotes()->keyLocation(), QString("the test keyring"), kHangMs);
        QCOMPARE(keyring.values(), QStringList{"sk-window-31337"});
        QVERIFY(shoot(window, "remote_dialog.png"));
        // Save again: the same server is updated, never added twice.
        click(window, item("remoteSave"));
        QTRY_COMPARE_WITH_TIMEOUT(dialog->property("title").toString(), QString("Edit remote server"), kHangMs);
        QCOMPARE(chat->remotes()->store().endpoints().size(), 1);
        QCOMPARE(chat->remotes()->modelKeys().size(), 1);
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), kHangMs);

        // The picker now lists the remote model before "Add remote server…", and "Remote servers…" last.
        QTRY_COMPARE_WITH_TIMEOUT(picker->property("count").toInt(), 3, kHangMs);
        QMetaObject::invokeMethod(picker, "activated", Q_ARG(int, 0));
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        QCOMPARE(chat->modelName(), QString("google/gemma-4-31b-it · Lab vLLM"));
        QCOMPARE(chat->contextSize(), 32768);

        auto* input = window->findChild<QQuickItem*>("messageInput");
        QVERIFY(input);
        QTRY_VERIFY_WITH_TIMEOUT(input->isEnabled(), kHangMs);
        input->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kHangMs);
        input->setProperty("text", QString("Hello remote"));
        QSignalSpy done(chat, &ChatController::replyFinished);
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(done.wait(kHangMs));
        QCOMPARE(chat->banner(), QString());
        QCOMPARE(chat->messages()->items().last().text, QString("Hello there!"));
        QCOMPARE(chat->messages()->items().last().thinking, QString("Let me think."));
        QVERIFY(shoot(window, "remote_chat.png"));
    }

    void editAndRemoveASavedServer() {
        qputenv("FACET_DATA_DIR", dir_.filePath("data-edit").toUtf8());  // none of the first case's servers
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        QHash<QString, QString> keyring;
        chat->remotes()->setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        QVERIFY(chat->remotes()->save("Lab", server.baseUrl(), "sk-window-edit-1", false));
        QTRY_COMPARE_WITH_TIMEOUT(chat->remotes()->modelKeys().size(), 1, kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(keyring.size(), 1, kHangMs);
        const QString id = keyring.keys().first();

        // The picker: the remote model, "Add remote server…", "Remote servers…".
        auto* picker = window->findChild<QQuickItem*>("modelPicker");
        QVERIFY(picker);
        QTRY_COMPARE_WITH_TIMEOUT(picker->property("count").toInt(), 3, kHangMs);
        QMetaObject::invokeMethod(picker, "activated", Q_ARG(int, 0));
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        QCOMPARE(chat->modelName(), QString("gemma-4-e4b-it · Lab"));
        QMetaObject::invokeMethod(picker, "activated", Q_ARG(int, 2));
        QObject* serversDialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((serversDialog = window->findChild<QObject*>("remoteServersDialog")), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(serversDialog->property("opened").toBool(), kHangMs);
        auto* list = findItem(serversDialog->property("contentItem").value<QQuickItem*>(), "remoteServerList");
        QVERIFY(list);
        QTRY_VERIFY_WITH_TIMEOUT(findItem(list, "Lab"), kHangMs);

        // Edit…: filled in, the key field empty; Test connection sends the saved key.
        click(window, findItem(list, "editServer"));
        QObject* editDialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((editDialog = window->findChild<QObject*>("remoteDialog")), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(editDialog->property("opened").toBool(), kHangMs);
        auto item = [&](const char* name) { return editDialog->findChild<QQuickItem*>(name); };
        QCOMPARE(editDialog->property("title").toString(), QString("Edit remote server"));
        QCOMPARE(item("remoteName")->property("text").toString(), QString("Lab"));
        QCOMPARE(item("remoteUrl")->property("text").toString(), chat->remotes()->normalizedUrl(server.baseUrl()));
        QCOMPARE(item("remoteKey")->property("text").toString(), QString());
        QCOMPARE(item("remoteKey")->property("placeholderText").toString(), QString("leave empty to keep the saved key"));
        item("remoteName")->setProperty("text", "Lab renamed");
        server.requests.clear();
        click(window, item("remoteTest"));
        QTRY_COMPARE_WITH_TIMEOUT(chat->remotes()->testModels(), QStringList{"gemma-4-e4b-it"}, kHangMs);
        QCOMPARE(server.requests.last().headers.value("authorization"), QByteArray("Bearer sk-window-edit-1"));
        QVERIFY(shoot(window, "remote_edit.png"));
        click(window, item("remoteSave"));
        QTRY_COMPARE_WITH_TIMEOUT(chat->remotes()->store().find(id)->name, QString("Lab renamed"), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(findItem(list, "Lab renamed"), kHangMs);
        QCOMPARE(chat->remotes()->store().endpoints().size(), 1);
        QCOMPARE(keyring.values(), QStringList{"sk-window-edit-1"});  // kept
        // The chat on it reconnects under the new name.
        QTRY_COMPARE_WITH_TIMEOUT(chat->modelName(), QString("gemma-4-e4b-it · Lab renamed"), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded() && !chat->loading(), kHangMs);
        QMetaObject::invokeMethod(editDialog, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!editDialog->property("visible").toBool(), kHangMs);
        QVERIFY(shoot(window, "remote_servers.png"));

        // Remove, confirmed: the server, its key and the chat's model go.
        click(window, findItem(list, "removeServer"));
        auto* confirm = serversDialog->findChild<QObject*>("confirmRemoveServer");
        QVERIFY(confirm);
        QTRY_VERIFY_WITH_TIMEOUT(confirm->property("opened").toBool(), kHangMs);
        QVERIFY(shoot(window, "remote_remove_confirm.png"));
        QCOMPARE(chat->remotes()->store().endpoints().size(), 1);  // not before the answer
        auto* popupItem = confirm->property("contentItem").value<QQuickItem*>()->parentItem();
        QQuickItem* yes = findItem(popupItem, "Yes");
        QVERIFY(yes);
        click(window, yes);
        QTRY_VERIFY_WITH_TIMEOUT(chat->remotes()->store().endpoints().isEmpty(), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(!findItem(list, "Lab renamed"), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(keyring.isEmpty(), kHangMs);
        QVERIFY(!chat->modelLoaded());
        QVERIFY2(chat->banner().contains("Lab renamed"), qPrintable(chat->banner()));
        QTRY_COMPARE_WITH_TIMEOUT(picker->property("displayText").toString(), QString("No model"), kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(picker->property("count").toInt(), 1, kHangMs);
        QVERIFY(findItem(serversDialog->property("contentItem").value<QQuickItem*>(), "noRemoteServers"));
        QVERIFY(shoot(window, "remote_servers_empty.png"));
        QMetaObject::invokeMethod(serversDialog, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!serversDialog->property("visible").toBool(), kHangMs);
        QVERIFY(shoot(window, "remote_removed.png"));
    }

    // Ctrl+Shift+R opens the dialog; plain http to a LAN address shows the
    // confirmation box, and Save stays disabled until it is ticked.
    void plainHttpToAnotherComputerNeedsConfirmation() {
        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        QTest::keyClick(window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QObject* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window->findChild<QObject*>("remoteDialog")), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kHangMs);
        auto* url = dialog->findChild<QQuickItem*>("remoteUrl");
        auto* insecure = dialog->findChild<QQuickItem*>("remoteInsecure");
        auto* save = dialog->findChild<QQuickItem*>("remoteSave");
        QVERIFY(url && insecure && save);
        url->setProperty("text", "http://192.168.1.20:8000/v1");
        QTRY_VERIFY_WITH_TIMEOUT(insecure->isVisible(), kHangMs);
        QCOMPARE(save->isEnabled(), false);
        insecure->setProperty("checked", true);
        QTRY_VERIFY_WITH_TIMEOUT(save->isEnabled(), kHangMs);
        url->setProperty("text", "https://192.168.1.20:8000/v1");  // TLS: nothing to confirm
        QTRY_VERIFY_WITH_TIMEOUT(!insecure->isVisible(), kHangMs);
        QVERIFY(save->isEnabled());
    }
};

QTEST_MAIN(TstAppRemoteWindow)
#include "tst_app_remote_window.moc"
