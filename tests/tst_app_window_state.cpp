// The main window's size, place and maximized state across runs
// (app/desktop/window_state): saved when the window closes, restored on the
// next window; a place on a screen that is gone comes back centred on the
// primary screen, sizes shrink to fit it, nothing saved means 1280x800.
// Real windows on the offscreen platform (one screen), and the placement
// rule itself against screen layouts the offscreen platform cannot show.
#include <QGuiApplication>
#include <QQuickWindow>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "desktop/window_state.h"
#include "support/hang_guard.h"

using namespace facet::test;

class TstAppWindowState : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    int files_ = 0;

    QString newSettingsFile() { return dir_.filePath(QStringLiteral("settings-%1.ini").arg(++files_)); }
    static QRect screenArea() { return QGuiApplication::primaryScreen()->availableGeometry(); }

    static void writeWindow(const QString& file, const QRect& r, bool maximized) {
        QSettings s(file, QSettings::IniFormat);
        s.setValue("window/x", r.x());
        s.setValue("window/y", r.y());
        s.setValue("window/width", r.width());
        s.setValue("window/height", r.height());
        s.setValue("window/maximized", maximized);
    }

    static QRect readWindow(const QString& file) {
        QSettings s(file, QSettings::IniFormat);
        return QRect(s.value("window/x").toInt(), s.value("window/y").toInt(), s.value("window/width").toInt(),
                     s.value("window/height").toInt());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QGuiApplication::primaryScreen());
        qInfo("offscreen screen: %dx%d", screenArea().width(), screenArea().height());
    }

    // Two monitors side by side; the second one may be unplugged.
    void placementRule() {
        const QRect left(0, 0, 1920, 1040), right(1920, 0, 2560, 1400);
        const QList<QRect> both{left, right}, leftOnly{left};
        // Nothing saved: the default size, centred on the primary screen.
        QCOMPARE(WindowState::place({}, both), QRect(320, 120, 1280, 800));
        // ...shrunk on a small one.
        QCOMPARE(WindowState::place({}, {QRect(0, 0, 1024, 700)}), QRect(0, 0, 1024, 700));
        // A place on the second monitor stays while it is there...
        const QRect onRight(2100, 150, 1600, 900);
        QCOMPARE(WindowState::place(onRight, both), onRight);
        // ...and comes to the primary's centre, its size kept where it fits, once it is gone.
        QCOMPARE(WindowState::place(onRight, leftOnly), QRect(160, 70, 1600, 900));
        // A size larger than the screen shrinks to it; a window hanging off an edge moves in whole.
        QCOMPARE(WindowState::place(QRect(10, 10, 3000, 2000), leftOnly), left);
        QCOMPARE(WindowState::place(QRect(1500, -30, 800, 600), leftOnly), QRect(1120, 0, 800, 600));
        // Barely a corner on the screen counts as off it.
        QCOMPARE(WindowState::place(QRect(1900, 1020, 800, 600), leftOnly), QRect(560, 220, 800, 600));
        // A second monitor to the left of the primary (negative coordinates) is a screen like any other.
        const QRect leftOfPrimary(-1280, 0, 1280, 1024);
        QCOMPARE(WindowState::place(QRect(-1200, 40, 900, 700), {left, leftOfPrimary}), QRect(-1200, 40, 900, 700));
    }

    void geometrySavedOnCloseAndRestored() {
        const QString file = newSettingsFile();
        const QRect area = screenArea();
        const QRect wanted(area.x() + 40, area.y() + 30, area.width() / 2, area.height() / 2);
        {
            QQuickWindow first;
            (new WindowState(&first, file))->restore();  // nothing saved yet
            QCOMPARE(first.size(), WindowState::kDefaultSize.boundedTo(area.size()));
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first, kHangMs));
            first.setGeometry(wanted);
            QTRY_COMPARE_WITH_TIMEOUT(first.geometry(), wanted, kHangMs);
            first.close();  // saves
        }
        QCOMPARE(readWindow(file), wanted);
        QCOMPARE(QSettings(file, QSettings::IniFormat).value("window/maximized").toBool(), false);

        QQuickWindow second;
        (new WindowState(&second, file))->restore();
        QCOMPARE(second.geometry(), wanted);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second, kHangMs));
        QTRY_COMPARE_WITH_TIMEOUT(second.geometry(), wanted, kHangMs);
    }

    // Maximized is saved as a flag beside the size to come back to.
    void maximizedStateKeepsTheNormalGeometry() {
        const QString file = newSettingsFile();
        const QRect area = screenArea();
        const QRect normal(area.x() + 20, area.y() + 20, area.width() / 2, area.height() / 3);
        {
            QQuickWindow first;
            auto* state = new WindowState(&first, file);
            state->restore();
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first, kHangMs));
            QSignalSpy resized(&first, &QWindow::widthChanged);
            first.setGeometry(normal);
            // Wait for the platform's report of it: what a user's resize sends too.
            QTRY_VERIFY_WITH_TIMEOUT(!resized.isEmpty(), kHangMs);
            QCOMPARE(first.geometry(), normal);
            first.setWindowStates(Qt::WindowMaximized);
            QTRY_VERIFY_WITH_TIMEOUT(first.geometry() != normal, kHangMs);  // the platform made it screen-sized
            first.close();
        }
        QCOMPARE(readWindow(file), normal);
        QCOMPARE(QSettings(file, QSettings::IniFormat).value("window/maximized").toBool(), true);

        QQuickWindow second;
        auto* state = new WindowState(&second, file);
        state->restore();
        second.setVisible(true);  // as Main.qml's visible: true (show() would mean showNormal())
        QVERIFY(QTest::qWaitForWindowExposed(&second, kHangMs));
        QVERIFY(second.windowStates() & Qt::WindowMaximized);
        state->save();  // still maximized: the normal geometry stays the saved one
        QCOMPARE(readWindow(file), normal);
    }

    // Saved while a monitor to the right was plugged in; now only this screen is there.
    void placeOffEveryScreenComesBackCentred() {
        const QString file = newSettingsFile();
        const QRect area = screenArea();
        writeWindow(file, QRect(area.right() + 2000, area.bottom() + 500, area.width() / 2, area.height() / 2), false);
        QQuickWindow window;
        (new WindowState(&window, file))->restore();
        QVERIFY2(area.contains(window.geometry()), qPrintable(QString("%1,%2").arg(window.x()).arg(window.y())));
        QCOMPARE(window.geometry().center(), area.center());
        QCOMPARE(window.size(), QSize(area.width() / 2, area.height() / 2));

        // Saved larger than this screen: shrunk to it.
        writeWindow(file, QRect(area.x(), area.y(), area.width() * 3, area.height() * 2), false);
        QQuickWindow big;
        (new WindowState(&big, file))->restore();
        QCOMPARE(big.geometry(), area);
    }
};

QTEST_MAIN(TstAppWindowState)
#include "tst_app_window_state.moc"
