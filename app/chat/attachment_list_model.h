// AttachmentListModel: the pictures waiting in the composer, in the order
// they were given. A file or a pasted picture becomes a row only once
// ImageFileWorker (on its own thread) has checked and staged it; a refused
// one becomes a `rejected` signal with the reason. send() takes the rows;
// remove() drops one and its staged copy. The staging folder is this app's
// own (images/staging-XXXXXX beside the chat database, chat_images.h) and
// goes away with it.
#pragma once

#include <QAbstractListModel>
#include <QSet>
#include <QThread>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <memory>

#include "image_file_worker.h"

class QTemporaryDir;

class AttachmentListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Pictures still being checked (not rows yet).
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

public:
    enum Role { ThumbnailRole = Qt::UserRole + 1, FileNameRole, SizeRole, DescriptionRole };

    explicit AttachmentListModel(QObject* parent = nullptr);
    ~AttachmentListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(items_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(items_.size()); }
    bool busy() const { return !jobs_.isEmpty(); }
    const QList<PreparedImage>& items() const { return items_; }

    // <database dir>/images: where the staging folder is made (on the first add).
    void setImagesRoot(const QString& root);
    void addFile(const QString& path);
    void addData(const QByteArray& bytes, const QString& name);  // a picture file's bytes (the clipboard's)
    void addImage(const QImage& image, const QString& name);
    bool remove(int row);  // and its staged copy, unless another row shows the same picture
    // Empties the list for a send: the staged files are the caller's now.
    QList<PreparedImage> take();
    // Removes `folder` on the worker thread (a deleted conversation's pictures).
    void removeFolderLater(const QString& folder);

signals:
    void countChanged();
    void busyChanged();
    void rejected(const QString& error);

private:
    QString stagingDir();  // "" when it cannot be made
    quint64 startJob();
    void onPrepared(quint64 job, const PreparedImage& image);
    void onFailed(quint64 job, const QString& error);

    QList<PreparedImage> items_;
    QThread thread_;
    ImageFileWorker* worker_ = nullptr;  // lives on thread_
    QString root_;
    std::unique_ptr<QTemporaryDir> staging_;
    QSet<quint64> jobs_;
    quint64 nextJob_ = 1;
};
