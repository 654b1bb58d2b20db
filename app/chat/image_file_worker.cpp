#include "image_file_worker.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QSaveFile>

#include "chat_images.h"
#include "image_loader.h"

namespace {

// As loadImageFile bounds a file before reading it whole: no honest picture
// of kMaxImagePixels is larger.
constexpr qint64 kMaxFileBytes = facet::kMaxImagePixels * 8;

// loadImageData's errors say "image data"; the user knows the picture by its name.
QString namedError(const std::string& message, const QString& name) {
    QString m = QString::fromStdString(message);
    const QString prefix = QStringLiteral("image data");
    if (m.startsWith(prefix)) m.replace(0, prefix.size(), name);
    return m;
}

}  // namespace

void ImageFileWorker::prepareFile(quint64 job, const QString& path, const QString& stagingDir) {
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (QFileInfo(path).isDir()) {
        emit failed(job, tr("%1: a folder, not a picture").arg(name));
        return;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        emit failed(job, tr("%1: cannot open: %2").arg(name, file.errorString()));
        return;
    }
    if (file.size() > kMaxFileBytes) {
        emit failed(job, tr("%1: %2 bytes, more than a picture may have (%3)")
                             .arg(name).arg(file.size()).arg(kMaxFileBytes));
        return;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        emit failed(job, tr("%1: read error: %2").arg(name, file.errorString()));
        return;
    }
    stage(job, bytes, name, stagingDir);
}

void ImageFileWorker::prepareData(quint64 job, const QByteArray& bytes, const QString& name,
                                  const QString& stagingDir) {
    if (bytes.size() > kMaxFileBytes) {
        emit failed(job, tr("%1: %2 bytes, more than a picture may have (%3)").arg(name).arg(bytes.size()).arg(kMaxFileBytes));
        return;
    }
    stage(job, bytes, name, stagingDir);
}

void ImageFileWorker::prepareImage(quint64 job, const QImage& image, const QString& name, const QString& stagingDir) {
    if (image.isNull()) {
        emit failed(job, tr("%1: the clipboard's picture is empty").arg(name));
        return;
    }
    // The decoder's own size rule, before the PNG encoder spends seconds on it.
    const qint64 pixels = qint64(image.width()) * image.height();
    if (image.width() > facet::kMaxImageSide || image.height() > facet::kMaxImageSide ||
        pixels > facet::kMaxImagePixels) {
        emit failed(job, tr("%1: %2×%3 pixels, expected at most %4 per side and %5 in all")
                             .arg(name).arg(image.width()).arg(image.height())
                             .arg(facet::kMaxImageSide).arg(facet::kMaxImagePixels));
        return;
    }
    QByteArray png;
    QBuffer buffer(&png);
    if (!buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG")) {
        emit failed(job, tr("%1: cannot encode the picture as PNG").arg(name));
        return;
    }
    buffer.close();
    stage(job, png, name, stagingDir);
}

void ImageFileWorker::stage(quint64 job, const QByteArray& bytes, const QString& name, const QString& stagingDir) {
    auto rgb = facet::loadImageData(bytes);
    if (!rgb.ok()) {
        emit failed(job, namedError(rgb.message(), name));
        return;
    }
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    PreparedImage out;
    out.staged = stagingDir + '/' + chatimages::storedFileName(bytes, reader.format());
    out.fileName = name;
    out.bytes = bytes.size();
    out.width = rgb.value().width;
    out.height = rgb.value().height;
    if (!QFileInfo::exists(out.staged)) {  // the same picture twice: one file
        QSaveFile f(out.staged);
        if (!QDir().mkpath(stagingDir) || !f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() ||
            !f.commit()) {
            emit failed(job, tr("%1: cannot keep a copy in %2: %3").arg(name, stagingDir, f.errorString()));
            return;
        }
    }
    emit prepared(job, out);
}

void ImageFileWorker::removeFolder(const QString& folder) {
    QDir dir(folder);
    if (dir.exists() && !dir.removeRecursively()) qWarning("Could not remove all of %s", qPrintable(folder));
}

void ImageFileWorker::removeStaleStaging(const QString& imagesRoot) {
    const QDateTime dayAgo = QDateTime::currentDateTimeUtc().addDays(-1);
    const QFileInfoList stale = QDir(imagesRoot).entryInfoList({QStringLiteral("staging-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo& d : stale)
        if (d.lastModified().toUTC() < dayAgo) QDir(d.absoluteFilePath()).removeRecursively();
}
