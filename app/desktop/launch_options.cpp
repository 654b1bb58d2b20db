#include "launch_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QUrl>

namespace facet {

LaunchOptions parseLaunchOptions(const QCoreApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("LaunchOptions", "Chat with Gemma 4 models on your own computer."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption newInstance(
        QStringLiteral("new-instance"),
        QCoreApplication::translate("LaunchOptions", "Open a window of its own instead of handing MODEL to the "
                                                     "Facet that is already running."));
    parser.addOption(newInstance);
    parser.addPositionalArgument(
        QStringLiteral("MODEL"),
        QCoreApplication::translate("LaunchOptions", "A .gguf file or a Hugging Face model folder to open."),
        QStringLiteral("[MODEL]"));
    parser.process(app);
    LaunchOptions out;
    out.newInstance = parser.isSet(newInstance);
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) out.modelPath = absolutePathArgument(positional.first());
    return out;
}

QString absolutePathArgument(const QString& argument) {
    if (argument.isEmpty()) return {};
    // A file manager may pass a URL (%u); the desktop entry asks for a path (%f).
    const QString path = argument.startsWith(QLatin1String("file:")) ? QUrl(argument).toLocalFile() : argument;
    return path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

}  // namespace facet
