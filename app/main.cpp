// Facet desktop app entry point. `facet [MODEL]` opens MODEL at start.
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickStyle>
#include <QtQml/qqmlextensionplugin.h>

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
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE")) QQuickStyle::setStyle(QStringLiteral("Fusion"));

    QQmlApplicationEngine engine;
    const QStringList args = QGuiApplication::arguments();
    engine.rootContext()->setContextProperty(QStringLiteral("initialModelPath"), args.size() > 1 ? args.at(1) : QString());
    // Qt 6.4: the module's files live under qrc:/<URI>/ (loadFromModule arrives in 6.5).
    engine.load(QUrl(QStringLiteral("qrc:/Facet/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) return 1;
    return app.exec();
}
