#include "window_activation.h"

#include <QMetaMethod>
#include <QWindow>

#include "single_instance.h"

namespace facet {

void raiseWindow(QWindow* window) {
    if (!window) return;
    if (window->windowStates() & Qt::WindowMinimized)
        window->setWindowStates(window->windowStates() & ~Qt::WindowMinimized);
    window->setVisible(true);  // not show(): that is showNormal(), and would un-maximize
    window->raise();
    window->requestActivate();
}

bool openModelInWindow(QObject* root, const QString& path) {
    if (!root) return false;
    const QMetaObject* meta = root->metaObject();
    for (int i = meta->methodCount() - 1; i >= 0; --i) {  // the most derived first
        const QMetaMethod m = meta->method(i);
        if (m.name() != "openModel" || m.parameterCount() != 1) continue;
        // An untyped QML parameter is a QVariant; `path: string` makes it a QString.
        if (m.parameterMetaType(0) == QMetaType::fromType<QString>())
            return m.invoke(root, Qt::DirectConnection, Q_ARG(QString, path));
        return m.invoke(root, Qt::DirectConnection, Q_ARG(QVariant, QVariant(path)));
    }
    qWarning("Facet: the main window has no openModel(path)");
    return false;
}

void routeActivationsToWindow(SingleInstance& instance, QWindow* window) {
    QObject::connect(&instance, &SingleInstance::activationRequested, window, [window](const QString& path) {
        raiseWindow(window);
        if (!path.isEmpty()) openModelInWindow(window, path);
    });
}

}  // namespace facet
