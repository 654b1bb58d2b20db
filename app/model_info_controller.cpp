#include "model_info_controller.h"

#include <QFileInfo>

#include "model_path_check.h"

ModelInfoController::ModelInfoController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<QVector<ModelFactRow>>();
    loader_ = new ModelLoader;  // parentless: it moves to the worker thread
    loader_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, loader_, &QObject::deleteLater);
    connect(this, &ModelInfoController::requestLoad, loader_, &ModelLoader::load);
    connect(loader_, &ModelLoader::loaded, this,
            [this](const QString& path, const QVector<ModelFactRow>& facts, const QStringList& layers) {
                modelPath_ = path;
                layers_ = layers;
                facts_.setFacts(facts);
                setError({});
                setBusy(false);
                emit modelChanged();
            });
    connect(loader_, &ModelLoader::failed, this, [this](const QString&, const QString& error) {
        setError(error);
        setBusy(false);
    });
    thread_.start();
}

ModelInfoController::~ModelInfoController() {
    thread_.quit();
    thread_.wait();
}

void ModelInfoController::openModel(const QString& pathOrUrl) {
    QString path = pathOrUrl.startsWith(QLatin1String("file:")) ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
    if (path.isEmpty()) return;
    if (const QString problem = modelPathProblem(path); !problem.isEmpty()) {
        setError(problem);
        return;
    }
    setBusy(true);
    emit requestLoad(path, 8192);
}

void ModelInfoController::setBusy(bool b) {
    if (busy_ == b) return;
    busy_ = b;
    emit busyChanged();
}

void ModelInfoController::setError(const QString& e) {
    if (error_ == e) return;
    error_ = e;
    emit errorChanged();
}
