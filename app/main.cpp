// Facet desktop app entry point. `facet [--new-instance] [MODEL]` opens MODEL at start
// (in the running Facet's window, when there is one).
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickStyle>
#include <QWindow>
#include <QtQml/qqmlextensionplugin.h>

#include "desktop/app_style.h"
#include "desktop/launch_options.h"
#include "desktop/single_instance.h"
#include "desktop/window_activation.h"
#include "desktop/window_state.h"
#include "chat_settings.h"  // facetSettingsFile()

// The Facet QML module is a static library: pull in its plugin (types,
// the Theme singleton, qmldir) so the linker cannot drop it.
Q_IMPORT_QML_PLUGIN(FacetPlugin)

int main(int argc, char* argv[]) {
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("Facet"));
    QGuiApplication::setOrganizationName(QStringLiteral("Facet"));
    QGuiApplication::setApplicationVersion(QStringLiteral(FACET_VERSION));
    // The desktop entry's name (installer/linux): Wayland compositors match the
    // window to its launcher and icon by it (X11 uses WM_CLASS "Facet").
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.facet.Facet"));
    facet::applyAppStyle();  // Material (Dense) unless QT_QUICK_CONTROLS_STYLE names another

    // One window per user: a second `facet [MODEL]` hands MODEL to the first and exits.
    const facet::LaunchOptions launch = facet::parseLaunchOptions(app);
    SingleInstance instance;
    if (!launch.newInstance && instance.start(launch.modelPath) == SingleInstance::Role::Secondary) return 0;

    QQmlApplicationEngine engine;
    engine.rootContext()->setContextProperty(QStringLiteral("initialModelPath"), launch.modelPath);
    // Qt 6.4: the module's files live under qrc:/<URI>/ (loadFromModule arrives in 6.5).
    engine.load(QUrl(QStringLiteral("qrc:/Facet/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) return 1;
    auto* window = qobject_cast<QWindow*>(engine.rootObjects().first());
    if (!window) return 1;
    (new WindowState(window, facetSettingsFile()))->restore();  // the window owns it
    facet::routeActivationsToWindow(instance, window);
    return app.exec();
}
