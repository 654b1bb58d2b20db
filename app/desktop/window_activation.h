// How the running Facet answers another launch: its window comes to the
// front and opens the model that launch was given. app/main.cpp and the
// tests wire a SingleInstance to the window through the same function.
#pragma once

#include <QString>

class QObject;
class QWindow;
class SingleInstance;

namespace facet {

// Shows, un-minimizes, raises and asks focus for `window`.
void raiseWindow(QWindow* window);

// Calls Main.qml's openModel(path) on `root`; false when it has none.
bool openModelInWindow(QObject* root, const QString& path);

// Every activation of `instance` raises `window` and, with a path, opens it there.
void routeActivationsToWindow(SingleInstance& instance, QWindow* window);

}  // namespace facet
