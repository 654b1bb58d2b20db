// ModelInfoController: the app's model panel. Owns a ModelLoader on its own
// QThread; QML calls openModel() and binds to the properties.
#pragma once

#include <QObject>
#include <QStringList>
#include <QThread>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include "model_facts_model.h"
#include "model_loader.h"

class ModelInfoController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString modelPath READ modelPath NOTIFY modelChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString layersText READ layersText NOTIFY modelChanged)
    Q_PROPERTY(ModelFactsModel* facts READ facts CONSTANT)

public:
    explicit ModelInfoController(QObject* parent = nullptr);
    ~ModelInfoController() override;

    bool busy() const { return busy_; }
    QString modelPath() const { return modelPath_; }
    QString error() const { return error_; }
    QString layersText() const { return layers_.join(QLatin1Char('\n')); }
    ModelFactsModel* facts() { return &facts_; }

    // A .gguf file or an HF folder, as a local path or a file:// URL.
    Q_INVOKABLE void openModel(const QString& pathOrUrl);
    Q_INVOKABLE void openModelUrl(const QUrl& url) { openModel(url.toLocalFile()); }

signals:
    void busyChanged();
    void modelChanged();
    void errorChanged();
    void requestLoad(const QString& path, int ctx);

private:
    void setBusy(bool b);
    void setError(const QString& e);

    QThread thread_;
    ModelLoader* loader_ = nullptr;  // lives on thread_, deleted when it finishes
    ModelFactsModel facts_;
    QString modelPath_, error_;
    QStringList layers_;
    bool busy_ = false;
};
