#include "attachment_list_model.h"

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QTemporaryDir>
#include <algorithm>

AttachmentListModel::AttachmentListModel(QObject* parent) : QAbstractListModel(parent) {
    qRegisterMetaType<PreparedImage>();
    worker_ = new ImageFileWorker();  // parentless: it moves to the worker thread
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ImageFileWorker::prepared, this, &AttachmentListModel::onPrepared);
    connect(worker_, &ImageFileWorker::failed, this, &AttachmentListModel::onFailed);
    thread_.setObjectName(QStringLiteral("facet-images"));
    thread_.start();
}

// The work already queued (a deleted conversation's folder, on exit) is done first.
AttachmentListModel::~AttachmentListModel() {
    QMetaObject::invokeMethod(worker_, [] {}, Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
}

QVariant AttachmentListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= items_.size()) return {};
    const PreparedImage& p = items_[index.row()];
    switch (role) {
        case ThumbnailRole: return QUrl::fromLocalFile(p.staged);
        case Qt::DisplayRole:
        case FileNameRole: return p.fileName;
        case SizeRole: return p.bytes;
        case DescriptionRole:
            return tr("%1 · %2×%3 · %4")
                .arg(p.fileName)
                .arg(p.width)
                .arg(p.height)
                .arg(QLocale().formattedDataSize(p.bytes, 1, QLocale::DataSizeTraditionalFormat));
        default: return {};
    }
}

QHash<int, QByteArray> AttachmentListModel::roleNames() const {
    return {{ThumbnailRole, "thumbnail"}, {FileNameRole, "fileName"}, {SizeRole, "size"}, {DescriptionRole, "description"}};
}

void AttachmentListModel::setImagesRoot(const QString& root) {
    if (root == root_) return;
    root_ = root;
    staging_.reset();  // the next add makes one under the new root
    QMetaObject::invokeMethod(worker_, "removeStaleStaging", Qt::QueuedConnection, Q_ARG(QString, root));
}

QString AttachmentListModel::stagingDir() {
    if (!staging_ && !root_.isEmpty() && QDir().mkpath(root_)) {
        staging_ = std::make_unique<QTemporaryDir>(root_ + QStringLiteral("/staging-XXXXXX"));
        if (!staging_->isValid()) staging_.reset();
    }
    return staging_ ? staging_->path() : QString();
}

quint64 AttachmentListModel::startJob() {
    const quint64 job = nextJob_++;
    const bool wasBusy = busy();
    jobs_.insert(job);
    if (!wasBusy) emit busyChanged();
    return job;
}

void AttachmentListModel::addFile(const QString& path) {
    const QString dir = stagingDir();
    if (dir.isEmpty()) return emit rejected(tr("%1: there is no folder to keep pictures in (%2)").arg(path, root_));
    QMetaObject::invokeMethod(worker_, "prepareFile", Qt::QueuedConnection, Q_ARG(quint64, startJob()),
                              Q_ARG(QString, path), Q_ARG(QString, dir));
}

void AttachmentListModel::addData(const QByteArray& bytes, const QString& name) {
    const QString dir = stagingDir();
    if (dir.isEmpty()) return emit rejected(tr("%1: there is no folder to keep pictures in (%2)").arg(name, root_));
    QMetaObject::invokeMethod(worker_, "prepareData", Qt::QueuedConnection, Q_ARG(quint64, startJob()),
                              Q_ARG(QByteArray, bytes), Q_ARG(QString, name), Q_ARG(QString, dir));
}

void AttachmentListModel::addImage(const QImage& image, const QString& name) {
    const QString dir = stagingDir();
    if (dir.isEmpty()) return emit rejected(tr("%1: there is no folder to keep pictures in (%2)").arg(name, root_));
    QMetaObject::invokeMethod(worker_, "prepareImage", Qt::QueuedConnection, Q_ARG(quint64, startJob()),
                              Q_ARG(QImage, image), Q_ARG(QString, name), Q_ARG(QString, dir));
}

void AttachmentListModel::onPrepared(quint64 job, const PreparedImage& image) {
    if (!jobs_.remove(job)) return;
    beginInsertRows({}, int(items_.size()), int(items_.size()));
    items_.push_back(image);
    endInsertRows();
    emit countChanged();
    if (!busy()) emit busyChanged();
}

void AttachmentListModel::onFailed(quint64 job, const QString& error) {
    if (!jobs_.remove(job)) return;
    emit rejected(error);
    if (!busy()) emit busyChanged();
}

bool AttachmentListModel::remove(int row) {
    if (row < 0 || row >= items_.size()) return false;
    beginRemoveRows({}, row, row);
    const PreparedImage gone = items_.takeAt(row);
    endRemoveRows();
    const bool shared = std::any_of(items_.begin(), items_.end(),
                                    [&](const PreparedImage& p) { return p.staged == gone.staged; });
    if (!shared) QFile::remove(gone.staged);
    emit countChanged();
    return true;
}

QList<PreparedImage> AttachmentListModel::take() {
    if (items_.isEmpty()) return {};
    beginResetModel();
    QList<PreparedImage> out = std::move(items_);
    items_.clear();
    endResetModel();
    emit countChanged();
    return out;
}

void AttachmentListModel::removeFolderLater(const QString& folder) {
    QMetaObject::invokeMethod(worker_, "removeFolder", Qt::QueuedConnection, Q_ARG(QString, folder));
}
