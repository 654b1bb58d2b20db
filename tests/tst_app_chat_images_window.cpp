// Pictures in the real main window (Main.qml, offscreen, CPU backend) with
// the tiny vision pair of tests/data/vision: a picture sent shows as a
// thumbnail in the user's bubble (the decoded picture, not the placeholder)
// and opens larger on a click; Ctrl+V in the composer attaches a copied
// picture without pasting text; two pictures wait as thumbnails above the
// composer (screenshot chat_images.png beside this binary), one goes with
// its remove button; a picture file dragged over the chat shows the drop
// hint and joins when dropped; the settings' "More detail for pictures"
// switch sets the setting.
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QMimeData>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

namespace {

bool copyFile(const QString& from, const QString& to) {
    return QDir().mkpath(QFileInfo(to).path()) && QFile::copy(from, to);
}

// The item's centre in window coordinates.
QPoint centreOf(QQuickItem* item) {
    return item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint();
}

int colourDistance(QRgb a, QRgb b) {
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
}

}  // namespace

class TstAppChatImagesWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
    }
    // Any QML warning (binding errors, bad components) fails the test.
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void thumbnailsInComposerAndBubble() {
        const QString model = dir_.filePath("models/e2b-like-vis.gguf");
        QVERIFY(copyFile(dataFile("vision/e2b-like-vis.gguf"), model));
        QVERIFY(copyFile(dataFile("vision/mmproj-v-tiny.gguf"), dir_.filePath("models/mmproj-v-tiny.gguf")));
        const QString gradient = dataFile("vision/gradient-96x96.png");
        const QString rings = dataFile("vision/rings-60x40.png");

        QQmlApplicationEngine engine;
        engine.rootContext()->setContextProperty("initialModelPath", model);
        engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        chat->settings()->setMaxTokens(8);
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        QVERIFY(chat->modelSeesImages());
        QVERIFY(QTest::qWaitForWindowExposed(window, kHangMs));
        QQuickItem* root = window->contentItem();

        // One picture sent: the bubble shows it.
        QCOMPARE(chat->attachImages({QUrl::fromLocalFile(gradient)}), 1);
        QTRY_COMPARE_WITH_TIMEOUT(chat->attachments()->count(), 1, kHangMs);
        auto* input = window->findChild<QQuickItem*>("messageInput");
        QVERIFY(input);
        input->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kHangMs);
        for (char ch : std::string("What is this?")) QTest::keyClick(window, ch);
        QSignalSpy done(chat, &ChatController::replyFinished);
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(done.wait(kHangMs));
        QVERIFY2(chat->banner().isEmpty(), qPrintable(chat->banner()));
        QCOMPARE(chat->messages()->items().first().images.size(), 1);
        QCOMPARE(chat->attachments()->count(), 0);
        QQuickItem* bubblePicture = findItem(root, "messagePicture-0");
        QVERIFY(bubblePicture);
        QQuickItem* bubbleImage = findItem(bubblePicture, "messagePictureImage");
        QVERIFY(bubbleImage);
        QTRY_COMPARE_WITH_TIMEOUT(bubbleImage->property("status").toInt(), 1, kHangMs);  // Image.Ready

        // Ctrl+V with a copied picture attaches it and types nothing.
        QGuiApplication::clipboard()->setImage(QImage(rings));
        input->forceActiveFocus();
        QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(chat->attachments()->count(), 1, kHangMs);
        QCOMPARE(input->property("text").toString(), QString());
        // Plain text still pastes as text.
        QGuiApplication::clipboard()->setText("And these two?");
        QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(input->property("text").toString(), QString("And these two?"));
        QCOMPARE(chat->attachImages({QUrl::fromLocalFile(gradient)}), 1);
        QTRY_COMPARE_WITH_TIMEOUT(chat->attachments()->count(), 2, kHangMs);
        QQuickItem* first = findItem(root, "attachment-0");
        QQuickItem* second = findItem(root, "attachment-1");
        QVERIFY(first && second);
        for (QQuickItem* thumb : {first, second}) {
            QQuickItem* image = findItem(thumb, "attachmentImage");
            QVERIFY(image);
            QTRY_COMPARE_WITH_TIMEOUT(image->property("status").toInt(), 1, kHangMs);
        }

        const QString png = QCoreApplication::applicationDirPath() + "/chat_images.png";
        QVERIFY(saveFrame(window, png));
        qInfo("screenshot %s", qPrintable(png));
        // The pictures are drawn: the bubble's thumbnail centre has the
        // gradient's centre colour, the second composer thumbnail too.
        const QImage shot(png);
        const QRgb want = QImage(gradient).pixel(48, 48);
        const QPoint inBubble = centreOf(bubblePicture) * shot.devicePixelRatio();
        const QPoint inComposer = centreOf(second) * shot.devicePixelRatio();
        QVERIFY2(colourDistance(shot.pixel(inBubble), want) < 60,
                 qPrintable(QString("bubble: %1 vs %2").arg(shot.pixel(inBubble), 0, 16).arg(want, 0, 16)));
        QVERIFY2(colourDistance(shot.pixel(inComposer), want) < 60,
                 qPrintable(QString("composer: %1 vs %2").arg(shot.pixel(inComposer), 0, 16).arg(want, 0, 16)));

        // The remove button drops the first (the pasted one).
        QQuickItem* remove = findItem(root, "removeAttachment-0");
        QVERIFY(remove);
        QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(remove));
        QTRY_COMPARE_WITH_TIMEOUT(chat->attachments()->count(), 1, kHangMs);
        QCOMPARE(chat->attachments()->items().first().fileName, QString("gradient-96x96.png"));

        // A picture file dragged over the chat: the hint shows (chat_images_drop.png); dropped, it joins.
        QMimeData dragged;
        dragged.setUrls({QUrl::fromLocalFile(rings)});
        const QPoint over(window->width() / 2, window->height() / 2);
        QDragEnterEvent enter(over, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &enter);
        auto* dropArea = window->findChild<QQuickItem*>("pictureDrop");
        QVERIFY(dropArea);
        QTRY_VERIFY_WITH_TIMEOUT(dropArea->property("containsDrag").toBool(), kHangMs);
        QVERIFY(saveFrame(window, QCoreApplication::applicationDirPath() + "/chat_images_drop.png"));
        QDropEvent dropped(over, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &dropped);
        QTRY_COMPARE_WITH_TIMEOUT(chat->attachments()->count(), 2, kHangMs);
        QCOMPARE(chat->attachments()->items().last().fileName, QString("rings-60x40.png"));
        QVERIFY(!dropArea->property("containsDrag").toBool());

        // A click on the bubble's picture shows it larger; Escape closes it.
        auto* viewer = window->findChild<QObject*>("pictureViewer");
        QVERIFY(viewer);
        QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(bubblePicture));
        QTRY_VERIFY_WITH_TIMEOUT(viewer->property("opened").toBool(), kHangMs);
        QCOMPARE(viewer->property("fileName").toString(), QFileInfo(chat->messages()->items().first().images.first()).fileName());
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer->property("opened").toBool(), kHangMs);

        // Settings: the switch for more detail.
        QVERIFY(!chat->settings()->imageDetail());
        auto* settings = window->findChild<QObject*>("settingsDialog");
        QVERIFY(settings);
        QVERIFY(QMetaObject::invokeMethod(settings, "open"));
        QTRY_VERIFY_WITH_TIMEOUT(settings->property("opened").toBool(), kHangMs);
        QQuickItem* detail = findItem(root, "imageDetailSwitch");
        QVERIFY(detail);
        QTRY_VERIFY_WITH_TIMEOUT(detail->isVisible() && detail->width() > 0, kHangMs);
        QTest::mouseClick(window, Qt::LeftButton, {}, centreOf(detail));
        QTRY_VERIFY_WITH_TIMEOUT(chat->settings()->imageDetail(), kHangMs);
        QCOMPARE(chat->settings()->sampling().value("imageTokens").toInt(), 1120);
    }
};

QTEST_MAIN(TstAppChatImagesWindow)
#include "tst_app_chat_images_window.moc"
