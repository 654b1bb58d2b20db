// Helpers of the tests that drive real windows (Main.qml, offscreen): their
// environment, a rendered frame grabbed to a PNG, an item found by objectName or text.
#pragma once

#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QString>
#include <QTemporaryDir>

#include "desktop/app_style.h"
#include "support/hang_guard.h"

namespace facet::test {

// Main.qml loaded into `engine` with no model, its window shown and exposed;
// null (after a failed check) when it did not come up.
inline QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine) {
    engine.rootContext()->setContextProperty("initialModelPath", QString());
    engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
    if (engine.rootObjects().size() != 1) return nullptr;
    auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
    if (!window || !QTest::qWaitForWindowExposed(window, kHangMs)) return nullptr;
    return window;
}

// What every window test runs under: data and settings in `dir`, the CPU
// backend, the app's own style (Material, Dense), and no desktop portal: the
// system color scheme is the palette's, the same on every machine.
inline void useWindowTestEnvironment(const QTemporaryDir& dir) {
    qputenv("FACET_DATA_DIR", dir.filePath("data").toUtf8());
    qputenv("FACET_CONFIG_DIR", dir.filePath("config").toUtf8());
    qputenv("FACET_BACKEND", "cpu");
    qputenv("FACET_NO_PORTAL", "1");
    facet::applyAppStyle();
}

// Waits for the next frame, then saves it to `path`.
inline bool saveFrame(QQuickWindow* window, const QString& path) {
    QSignalSpy frame(window, &QQuickWindow::frameSwapped);
    window->update();
    if (!frame.wait(kHangMs)) return false;
    return window->grabWindow().save(path);
}

// The item whose objectName or text is `name` (only visible ones unless
// `visibleOnly` is false), depth first through the visual tree: Repeater and
// view delegates are found there, not by findChild.
inline QQuickItem* findItem(QQuickItem* root, const QString& name, bool visibleOnly = true) {
    if (!root) return nullptr;
    if ((!visibleOnly || root->isVisible()) && (root->objectName() == name || root->property("text").toString() == name))
        return root;
    for (QQuickItem* c : root->childItems())
        if (QQuickItem* f = findItem(c, name, visibleOnly)) return f;
    return nullptr;
}

}  // namespace facet::test
