#include "cli_docs_shared.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>

#include <cstdio>

namespace facet::cli {

namespace {

// Qt's own warnings (e.g. "XDG_RUNTIME_DIR not set" from the offscreen
// platform) would break the one-line error contract; FACET_CLI_QT_LOG=1 keeps them.
void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtFatalMsg || qEnvironmentVariableIntValue("FACET_CLI_QT_LOG"))
        std::fprintf(stderr, "qt: %s\n", qPrintable(message));
}

}  // namespace

std::unique_ptr<QCoreApplication> makeApp(bool gui) {
    qInstallMessageHandler(quietQtMessages);
    static int argc = 1;
    static char name[] = "facet-cli";
    static char* argv[] = {name, nullptr};
    if (!gui) return std::make_unique<QCoreApplication>(argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    return std::make_unique<QGuiApplication>(argc, argv);
}

Result<std::unique_ptr<docs::DocIndex>> openIndex(const std::string& db, bool create) {
    const QString path = QString::fromStdString(db);
    if (!create && !QFileInfo::exists(path)) return errorf("%s: no such index (docs add creates it)", db.c_str());
    if (create && !QFileInfo(path).absoluteDir().exists())
        return errorf("%s: folder %s does not exist", db.c_str(), qPrintable(QFileInfo(path).absolutePath()));
    return docs::DocIndex::open(path);
}

}  // namespace facet::cli
