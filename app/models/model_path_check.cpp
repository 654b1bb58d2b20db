#include "model_path_check.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

QString modelPathProblem(const QString& path) {
    const QFileInfo info(path);
    const QString name = info.fileName().isEmpty() ? path : info.fileName();
    if (!info.exists()) return QCoreApplication::translate("ModelPathCheck", "%1: no such file or folder").arg(path);
    if (info.isDir()) {
        if (QFileInfo(QDir(path).filePath(QStringLiteral("config.json"))).isFile()) return {};
        return QCoreApplication::translate("ModelPathCheck",
                                           "The folder “%1” holds no model. Facet opens .gguf files and Hugging "
                                           "Face model folders (with config.json and .safetensors files).")
            .arg(name);
    }
    // Only a regular file is read: opening a FIFO, socket or device (a path
    // handed in by another program) could block this thread for good.
    if (!info.isFile())
        return QCoreApplication::translate("ModelPathCheck",
                                           "“%1” is not a model. Facet opens .gguf files and Hugging Face model "
                                           "folders.")
            .arg(name);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QCoreApplication::translate("ModelPathCheck", "“%1” cannot be read: %2").arg(name, file.errorString());
    if (file.read(4) != QByteArrayLiteral("GGUF"))
        return QCoreApplication::translate("ModelPathCheck",
                                           "“%1” is not a model. Facet opens .gguf files and Hugging Face model "
                                           "folders.")
            .arg(name);
    return {};
}
