// ImageFileWorker: the chat's picture files, off the UI thread (decoding a
// photo takes 100 ms and more). It checks a picture the user attaches with
// the image input's own decoder (app/vision/image_loader.h: formats, size
// caps, truncated and hostile files refused with the reason), keeps its
// bytes as they came (a pasted picture as PNG) in a staging folder under its
// content hash (chat_images.h), and removes a deleted conversation's
// pictures. It lives on its own QThread and answers by signals.
#pragma once

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QString>

// A picture that passed the checks, staged and ready to be sent.
struct PreparedImage {
    QString staged;    // absolute path of the staged copy: <staging>/<sha256>.<ext>
    QString fileName;  // what the user knows it by ("photo.jpg", "Pasted picture")
    qint64 bytes = 0;  // of the staged file
    int width = 0, height = 0;
};
Q_DECLARE_METATYPE(PreparedImage)

class ImageFileWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

public slots:
    // Reads the file at `path` (bounded as loadImageFile bounds it), checks
    // that it decodes, and stages its bytes in `stagingDir`.
    void prepareFile(quint64 job, const QString& path, const QString& stagingDir);
    // Picture bytes from the clipboard (image/png, image/jpeg, ...), kept as they came.
    void prepareData(quint64 job, const QByteArray& bytes, const QString& name, const QString& stagingDir);
    // A pasted picture the clipboard has only as an image: encoded as PNG, checked and staged the same way.
    void prepareImage(quint64 job, const QImage& image, const QString& name, const QString& stagingDir);
    // Removes `folder` and everything in it (a deleted conversation's pictures).
    void removeFolder(const QString& folder);
    // Removes the staging folders (staging-*) under `imagesRoot` that no
    // running app has touched for a day: what a killed app left behind.
    void removeStaleStaging(const QString& imagesRoot);

signals:
    void prepared(quint64 job, const PreparedImage& image);
    void failed(quint64 job, const QString& error);

private:
    // Checks `bytes` and writes them to the staging folder.
    void stage(quint64 job, const QByteArray& bytes, const QString& name, const QString& stagingDir);
};
