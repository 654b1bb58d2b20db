#include "support/model_factory.h"

namespace facet::test {

QString writeModel(const QTemporaryDir& dir, const QString& name, const ModelDesc& d, const MakeOptions& opt, bool hf,
                   QString& error) {
    const QString path = dir.filePath(name);
    const Status s = hf ? writeRandomHfFolder(d, opt, path.toStdString()) : writeRandomGguf(d, opt, path.toStdString());
    if (!s.ok()) {
        error = QString::fromStdString(s.message());
        return {};
    }
    return path;
}

}  // namespace facet::test
