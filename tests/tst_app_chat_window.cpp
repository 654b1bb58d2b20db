// The real main window (Main.qml) under QT_QPA_PLATFORM=offscreen with a
// tiny model on the CPU backend: type a message, press Enter, wait for the
// streamed answer, save a screenshot (chat_window.png beside this test
// binary) and measure the largest gap in the UI event loop while the reply
// is generated (the engine runs on its own thread; the UI must not stall).
#include <QClipboard>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QProcess>
#include <QRegularExpression>
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
#include "support/test_paths.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

class TstAppChatWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        facet::test::useWindowTestEnvironment(dir_);
    }
    // Any QML warning (binding errors, bad components) fails the test.
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void typesSendsStreamsAndStaysResponsive() {
        const QString model = dir_.filePath("chat.gguf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model});
        QVERIFY(mk.waitForFinished(kHangMs));
        QCOMPARE(mk.exitCode(), 0);

        QQmlApplicationEngine engine;
        engine.rootContext()->setContextProperty("initialModelPath", model);
        engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        chat->settings()->setMaxTokens(24);
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        QVERIFY(QTest::qWaitForWindowExposed(window, kHangMs));

        auto* input = window->findChild<QQuickItem*>("messageInput");
        QVERIFY(input);
        QTRY_VERIFY_WITH_TIMEOUT(input->isEnabled(), kHangMs);
        input->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kHangMs);
        for (char ch : std::string("Hello Facet")) QTest::keyClick(window, ch);
        QCOMPARE(input->property("text").toString(), QString("Hello Facet"));

        // The UI thread's largest gap between 5 ms timer ticks while generating.
        qint64 maxGap = 0;
        QElapsedTimer clock;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, [&] {
            maxGap = std::max(maxGap, clock.restart());
        });
        QSignalSpy done(chat, &ChatController::replyFinished);
        clock.start();
        tick.start();
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(chat->generating());
        QVERIFY(done.wait(kHangMs));
        tick.stop();
        QCOMPARE(input->property("text").toString(), QString());  // sent and cleared
        QCOMPARE(chat->messages()->rowCount(), 2);
        QCOMPARE(chat->messages()->items().first().text, QString("Hello Facet"));
        QVERIFY(chat->conversations()->count() == 1);
        const QString answer = chat->messages()->items().last().text;
        QCOMPARE(chat->copyLastAnswer(), !answer.isEmpty());  // Ctrl+Shift+C
        if (!answer.isEmpty()) QCOMPARE(QGuiApplication::clipboard()->text(), answer);

        QSignalSpy frame(window, &QQuickWindow::frameSwapped);  // one more frame with the final text
        window->update();
        QVERIFY(frame.wait(kHangMs));
        const QImage shot = window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString png = QCoreApplication::applicationDirPath() + "/chat_window.png";
        QVERIFY(shot.save(png));
        qInfo("screenshot %s (%dx%d); largest UI event-loop gap while generating: %lld ms", qPrintable(png),
              shot.width(), shot.height(), maxGap);
        QVERIFY2(maxGap <= 50, qPrintable(QString("the UI thread stalled for %1 ms").arg(maxGap)));

        // A message with fenced code: its block gets a language label, a copy
        // button and colors (chat_code.png).
        input->setProperty("text", QString("Explain this:\n```python\ndef f(x):\n    return x * 2  # double\n```"));
        QSignalSpy done2(chat, &ChatController::replyFinished);
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(done2.wait(kHangMs));
        QCOMPARE(chat->messages()->rowCount(), 4);
        QSignalSpy frame1(window, &QQuickWindow::frameSwapped);
        window->update();
        QVERIFY(frame1.wait(kHangMs));
        QVERIFY(window->grabWindow().save(QCoreApplication::applicationDirPath() + "/chat_code.png"));

        // Keyboard only: the focus leaves the composer (Ctrl+F, the search),
        // Ctrl+N starts a new chat with the focus back in the composer, the
        // text is typed and Enter sends it.
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        auto* search = findItem(window->contentItem(), "conversationSearch");
        QVERIFY(search);
        QTRY_VERIFY_WITH_TIMEOUT(search->hasActiveFocus(), kHangMs);
        QVERIFY(!input->hasActiveFocus());
        QTest::keyClick(window, Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kHangMs);
        QCOMPARE(chat->currentConversation(), qint64(0));
        QCOMPARE(chat->messages()->rowCount(), 0);
        for (char ch : std::string("Keyboard only")) QTest::keyClick(window, ch);  // (keyClicks takes widgets only)
        QCOMPARE(input->property("text").toString(), QString("Keyboard only"));
        QSignalSpy done3(chat, &ChatController::replyFinished);
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(chat->generating());
        QCOMPARE(chat->messages()->items().first().text, QString("Keyboard only"));
        QVERIFY(done3.wait(kHangMs));
        QCOMPARE(chat->messages()->rowCount(), 2);
        QCOMPARE(chat->messages()->items().last().role, QString("model"));
        QCOMPARE(chat->conversations()->count(), 2);
        const qint64 keyboardChat = chat->currentConversation();
        QCOMPARE(chat->conversations()->items().first().id, keyboardChat);  // newest first

        // The sidebar by keyboard: Down from the search enters the list, Down
        // moves, Enter opens, Delete deletes, Ctrl+Z brings it back.
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(search->hasActiveFocus(), kHangMs);
        auto* list = findItem(window->contentItem(), "conversationList");
        QVERIFY(list);
        QTest::keyClick(window, Qt::Key_Down);
        QTRY_VERIFY_WITH_TIMEOUT(list->hasActiveFocus(), kHangMs);
        QCOMPARE(list->property("currentIndex").toInt(), 0);
        QTest::keyClick(window, Qt::Key_Down);
        QCOMPARE(list->property("currentIndex").toInt(), 1);
        const qint64 older = chat->conversations()->items().at(1).id;
        QTest::keyClick(window, Qt::Key_Return);
        QCOMPARE(chat->currentConversation(), older);
        QCOMPARE(chat->messages()->rowCount(), 4);
        QTest::keyClick(window, Qt::Key_Up);
        QCOMPARE(list->property("currentIndex").toInt(), 0);
        QTest::keyClick(window, Qt::Key_Delete);
        QCOMPARE(chat->conversations()->count(), 1);
        QVERIFY(!chat->undoText().isEmpty());
        QCOMPARE(chat->currentConversation(), older);  // another one was deleted: this stays open
        QTest::keyClick(window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(chat->conversations()->count(), 2);
        QVERIFY(chat->undoText().isEmpty());
        QCOMPARE(chat->conversations()->rowOf(keyboardChat), 0);

        // The settings page opens over the dark theme; both saved as screenshots too.
        chat->settings()->setTheme("dark");
        auto* settings = window->findChild<QObject*>("settingsDialog");
        QVERIFY(settings);
        QVERIFY(QMetaObject::invokeMethod(settings, "open"));
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kHangMs);
        QSignalSpy frame2(window, &QQuickWindow::frameSwapped);
        window->update();
        QVERIFY(frame2.wait(kHangMs));
        const QImage dark = window->grabWindow();
        QVERIFY(dark.save(QCoreApplication::applicationDirPath() + "/chat_settings_dark.png"));
        // Dark: the window background is dark now.
        QVERIFY2(QColor(dark.pixel(5, dark.height() - 5)).lightness() < 100, "the dark theme did not apply");
    }
};

QTEST_MAIN(TstAppChatWindow)
#include "tst_app_chat_window.moc"
