// ModelLoader: opens a model on a worker thread (file I/O and validation
// never run on the UI thread) and reports facts or the error as values,
// with whether a vision projector beside it gives it image input.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

struct ModelFactRow {
    QString key;
    QString value;
};
Q_DECLARE_METATYPE(QVector<ModelFactRow>)

class ModelLoader : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

public slots:
    void load(const QString& path, int ctx);

signals:
    void loaded(const QString& path, const QVector<ModelFactRow>& facts, const QStringList& layers);
    void failed(const QString& path, const QString& error);
};
