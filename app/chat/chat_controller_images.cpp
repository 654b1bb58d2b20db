// ChatController's pictures: attaching (file dialog, drop, paste), the
// checks that say why a picture cannot go to the loaded model, moving the
// composer's pictures into the conversation's folder at send, and what a
// reply's stats say about them. Checking and staging run on
// AttachmentListModel's worker thread; nothing here decodes a picture.
#include <QClipboard>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>

#include "chat_controller.h"
#include "chat_images.h"

namespace {

// Picture files by name, for a clipboard that holds file URLs: anything else
// copied with them (a folder, a document) is not offered to the checker.
bool looksLikePicture(const QString& path) {
    static const QStringList suffixes{"png", "jpg", "jpeg", "webp", "gif", "bmp"};
    return suffixes.contains(QFileInfo(path).suffix().toLower());
}

}  // namespace

QString ChatController::imageInputNote() const {
    return modelSeesImages() ? QFileInfo(projector_).fileName() : imageNote_;
}

QString ChatController::imageStats() const {
    const int n = lastStats_.value("imagesEncoded").toInt();
    if (n <= 0) return {};
    return tr("%n picture(s) encoded in %1 s", nullptr, n)
        .arg(QString::number(lastStats_.value("encodeSeconds").toDouble(), 'f', 1));
}

QString ChatController::imageRefusal() const {
    if (remoteModel())
        return tr("%1 is a remote model: Facet sends remote models text only, so pictures cannot be attached. Pick a "
                  "local model that sees images to chat about pictures.")
            .arg(modelName());
    if (modelLoaded() && !modelSeesImages())
        return tr("%1 does not see pictures (%2). Get its image support with “Download image support” on the Models "
                  "page (Ctrl+M), or pick a model that sees images.")
            .arg(modelName(), imageNote_);
    return {};
}

bool ChatController::canAttachImages() {
    const QString refusal = imageRefusal();
    if (!refusal.isEmpty()) setBanner(refusal);
    return refusal.isEmpty() && ensureStore();  // the store's folder holds the staged pictures
}

int ChatController::attachImages(const QList<QUrl>& urls) {
    if (urls.isEmpty() || !canAttachImages()) return 0;
    int queued = 0;
    for (const QUrl& url : urls) {
        if (!url.isLocalFile()) {
            setBanner(tr("%1: only pictures on this computer can be attached").arg(url.toDisplayString()));
            continue;
        }
        attachments_.addFile(url.toLocalFile());
        ++queued;
    }
    return queued;
}

bool ChatController::pasteImages() {
    auto* app = qobject_cast<QGuiApplication*>(QCoreApplication::instance());
    const QMimeData* mime = app && app->clipboard() ? app->clipboard()->mimeData() : nullptr;
    if (!mime) return false;
    // Copied picture files (a file manager's copy) come as URLs.
    QList<QUrl> files;
    if (mime->hasUrls())
        for (const QUrl& u : mime->urls())
            if (u.isLocalFile() && looksLikePicture(u.toLocalFile())) files << u;
    if (!files.isEmpty()) {
        attachImages(files);
        return true;
    }
    // A picture file's bytes as the copying program offered them (kept as
    // they are, decoded on the worker thread, not here), else Qt's own image.
    QString type;
    for (const char* t : {"image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp"})
        if (type.isEmpty() && mime->hasFormat(QLatin1String(t))) type = QLatin1String(t);
    // Text wins over a picture: office programs put a picture of copied
    // cells or text beside the text itself, and Ctrl+V there means the text.
    if ((type.isEmpty() && !mime->hasImage()) || (mime->hasText() && !mime->text().trimmed().isEmpty())) return false;
    if (!canAttachImages()) return true;  // the banner says why; nothing to paste as text
    if (!type.isEmpty())
        attachments_.addData(mime->data(type), tr("Pasted picture"));
    else
        attachments_.addImage(qvariant_cast<QImage>(mime->imageData()), tr("Pasted picture"));
    return true;
}

bool ChatController::removeAttachment(int index) { return attachments_.remove(index); }

bool ChatController::adoptAttachments(QStringList* images) {
    const QList<PreparedImage> pending = attachments_.take();
    for (const PreparedImage& p : pending) {
        QString relative, error;
        if (!chatimages::adopt(databasePath_, current_, p.staged, &relative, &error)) {
            setBanner(tr("Could not keep the picture %1 with the conversation: %2").arg(p.fileName, error));
            return false;
        }
        images->push_back(relative);
    }
    return true;
}

QVariantList ChatController::imagePaths(const StoredMessage& m) const {
    QVariantList out;
    // A row that names no stored picture (a path elsewhere) is never opened: the bubble shows its placeholder.
    for (const QString& relative : m.images)
        if (const QString path = chatimages::absolutePath(databasePath_, relative); !path.isEmpty()) out.push_back(path);
    return out;
}

QString ChatController::imagesLeftOutNotice(const QVariantMap& stats) const {
    QStringList notes;
    if (const int n = stats.value("imagesLeftOut").toInt(); n > 0)
        notes << tr("%n picture(s) of this conversation were left out: %1 does not see pictures.", nullptr, n)
                     .arg(modelName());
    if (const QStringList errors = stats.value("imageErrors").toStringList(); !errors.isEmpty())
        notes << tr("Pictures that could not be read were left out: %1.").arg(errors.join(QStringLiteral("; ")));
    return notes.join(' ');
}
