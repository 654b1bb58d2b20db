// ChatController's chat with documents: the libraries attached to the
// conversation, retrieval queued with the reply, and opening a cited source.
// Retrieval itself runs on the engine thread (EngineWorker::generateWithDocuments).
#include <QDesktopServices>
#include <QFileInfo>
#include <QGuiApplication>

#include "chat_controller.h"
#include "document_sources.h"
#include "engine_worker.h"

QStringList ChatController::documentLibraryNames() const {
    QStringList names;
    for (const QString& path : libraries_) {
        const QString title = libraryTitles_.value(path).toString();
        names.push_back(title.isEmpty() ? QFileInfo(path).fileName() : title);
    }
    return names;
}

void ChatController::setLibraryTitles(const QVariantMap& titles) {
    if (titles == libraryTitles_) return;
    libraryTitles_ = titles;
    emit documentLibrariesChanged();
}

void ChatController::loadLibraries() {
    const QStringList libs = current_ != 0 && ensureStore() ? store_.conversationLibraries(current_) : QStringList{};
    if (libs == libraries_) return;
    libraries_ = libs;
    emit documentLibrariesChanged();
}

bool ChatController::attachDocumentLibrary(const QString& pathOrUrl) {
    const QString given = pathOrUrl.startsWith(QLatin1String("file:")) ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
    const QFileInfo info(given);
    if (given.isEmpty() || !info.isFile()) {
        setBanner(tr("No document library at %1").arg(given));
        return false;
    }
    const QString path = info.absoluteFilePath();
    if (libraries_.contains(path)) return false;
    QStringList libs = libraries_;
    libs.push_back(path);
    // A new chat keeps them until its first message creates the conversation (send()).
    if (current_ != 0 && (!ensureStore() || !store_.setConversationLibraries(current_, libs))) {
        setBanner(tr("Could not save the attached library: %1").arg(store_.lastError()));
        return false;
    }
    libraries_ = libs;
    emit documentLibrariesChanged();
    return true;
}

bool ChatController::detachDocumentLibrary(const QString& path) {
    QStringList libs = libraries_;
    if (libs.removeAll(path) == 0) return false;
    if (current_ != 0 && (!ensureStore() || !store_.setConversationLibraries(current_, libs))) {
        setBanner(tr("Could not save the attached libraries: %1").arg(store_.lastError()));
        return false;
    }
    libraries_ = libs;
    emit documentLibrariesChanged();
    return true;
}

void ChatController::queueGenerate(const QVariantList& history) {
    // A regenerated answer cites what this retrieval finds, not the old sources.
    documentNotice_.clear();
    const qint64 id = replyMessageId_;
    if (const int row = messages_.rowOf(id); row >= 0 && !messages_.items()[row].sources.isEmpty()) {
        messages_.setSources(id, {});
        store_.setSources(id, {});
    }
    if (libraries_.isEmpty()) {
        QMetaObject::invokeMethod(worker_, "generate", Qt::QueuedConnection, Q_ARG(quint64, requestId_),
                                  Q_ARG(QVariantList, history), Q_ARG(QVariantMap, samplingSettings()));
        return;
    }
    QMetaObject::invokeMethod(worker_, "generateWithDocuments", Qt::QueuedConnection, Q_ARG(quint64, requestId_),
                              Q_ARG(QVariantList, history), Q_ARG(QVariantMap, samplingSettings()),
                              Q_ARG(QStringList, libraries_));
}

void ChatController::onDocumentsRetrieved(quint64 requestId, const QString& prompt, const QString& sourcesJson,
                                          const QStringList& skipped, int dropped) {
    if (requestId != requestId_) return;
    const QList<MessageSource> sources = sourcesFromJson(sourcesJson);
    messages_.setSources(replyMessageId_, sources);
    if (!store_.setSources(replyMessageId_, sources))
        setBanner(tr("Could not save the answer's sources: %1").arg(store_.lastError()));
    QStringList notes;
    if (sources.isEmpty()) notes << tr("No passage in the attached libraries matched the question.");
    if (dropped > 0) notes << tr("%n passage(s) were left out to fit the context.", nullptr, dropped);
    if (!skipped.isEmpty()) notes << tr("Search notes: %1.").arg(skipped.join(QStringLiteral("; ")));
    documentNotice_ = notes.join(QLatin1Char(' '));
    setNotice(documentNotice_);
    emit documentsRetrieved(prompt, int(sources.size()));
}

bool ChatController::openSource(qint64 messageId, int number) {
    const int row = messages_.rowOf(messageId);
    if (row < 0) return false;
    const QList<MessageSource>& sources = messages_.items()[row].sources;
    if (number < 1 || number > sources.size()) return false;
    const MessageSource& s = sources[number - 1];
    if (!QFileInfo(s.path).isFile()) {
        setBanner(tr("%1 is no longer there.").arg(s.path));
        return false;
    }
    if (s.path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        emit pdfSourceRequested(QUrl::fromLocalFile(s.path), QFileInfo(s.path).fileName(), std::max(0, s.page - 1),
                                viewerSearchWord(s));
        return true;
    }
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance())) return false;  // no desktop without a GUI
    return QDesktopServices::openUrl(QUrl::fromLocalFile(s.path));
}

void ChatController::activateLink(qint64 messageId, const QString& link) {
    if (const int n = citationNumber(link); n > 0) {
        openSource(messageId, n);
        return;
    }
    if (qobject_cast<QGuiApplication*>(QCoreApplication::instance())) QDesktopServices::openUrl(QUrl(link));
}
