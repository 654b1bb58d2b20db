// ChatController's remote models: "remote:<endpointId>/<modelId>" loads by
// reading the server's key from the secret store and listing its models
// (both asynchronous), then replies come from RemoteReplySource, whose
// signals feed the same onDelta/onFinished/onFailed as the engine's: the
// streaming, Stop, thinking display and saved history are the local ones.
#include <QPointer>

#include "chat_controller.h"
#include "engine_worker.h"
#include "remote_reply_source.h"

namespace {

// The endpoint id in a "remote:<id>/<model>" key ("" for a local model).
QString endpointOf(const QString& modelKey) {
    QString endpointId, modelId;
    return splitRemoteModelKey(modelKey, &endpointId, &modelId) ? endpointId : QString();
}

}  // namespace

bool ChatController::remoteModel() const { return isRemoteModelKey(modelPath_); }

void ChatController::setUpRemote() {
    remote_ = new RemoteReplySource(this);
    // Queued, as the engine thread's are: a reply's end never re-enters the caller.
    connect(remote_, &RemoteReplySource::delta, this, &ChatController::onDelta, Qt::QueuedConnection);
    connect(remote_, &RemoteReplySource::finished, this, &ChatController::onFinished, Qt::QueuedConnection);
    connect(remote_, &RemoteReplySource::failed, this, &ChatController::onFailed, Qt::QueuedConnection);
    connect(remote_, &RemoteReplySource::unavailable, this, [this](const QString& error) {
        if (!loading_ || !isRemoteModelKey(pendingModel_)) return;
        onLoadFailed(pendingModel_, error);
        setBanner(tr("Could not use %1: %2").arg(remotes_.labelOf(pendingModel_), error));
    });
    connect(remote_, &RemoteReplySource::ready, this, [this](int contextSize) {
        if (!loading_ || !isRemoteModelKey(pendingModel_)) return;
        loading_ = loadTuning_ = false;
        lostModel_.clear();
        modelPath_ = pendingModel_;
        remoteLabel_ = remotes_.labelOf(modelPath_);
        projector_.clear();  // pictures stay local (startRemoteReply)
        imageNote_ = tr("remote models get text only");
        // Where it runs, as a local model's GPU is shown: the server's host and port.
        QString endpointId, modelId;
        const RemoteEndpoint* e =
            splitRemoteModelKey(modelPath_, &endpointId, &modelId) ? remotes_.store().find(endpointId) : nullptr;
        device_ = e ? e->baseUrl.authority() : tr("remote server");
        contextSize_ = contextSize;
        contextUsed_ = 0;
        // The local model's memory is not needed while a remote one answers.
        QMetaObject::invokeMethod(worker_, "unload", Qt::QueuedConnection);
        setBanner({});
        emit loadingChanged();
        emit modelChanged();
        emit statsChanged();
    });
    connect(&remotes_, &RemoteServers::serverEdited, this, &ChatController::onRemoteServerEdited);
    connect(&remotes_, &RemoteServers::serverRemoved, this, &ChatController::onRemoteServerRemoved);
}

void ChatController::onRemoteServerEdited(const QString& endpointId) {
    if (endpointOf(modelPath_) != endpointId) return;
    remoteLabel_ = remotes_.labelOf(modelPath_);
    emit modelChanged();
    // Its address or key may have changed: connect again (a failure unloads it and says why).
    if (!loading_) loadRemoteModel(modelPath_);
}

void ChatController::onRemoteServerRemoved(const QString& endpointId, const QString& name) {
    const bool uses = endpointOf(modelPath_) == endpointId;
    const bool loads = loading_ && endpointOf(pendingModel_) == endpointId;
    if (!uses && !loads) return;
    stop();  // a remote reply ends at once and keeps what it wrote
    if (loads) {  // its key read or probe answers later and is ignored
        loading_ = loadTuning_ = false;
        pendingModel_.clear();
        emit loadingChanged();
    }
    if (uses) {
        modelPath_.clear();
        device_.clear();
        remoteLabel_.clear();
        contextSize_ = contextUsed_ = 0;
        emit modelChanged();
        emit statsChanged();
    }
    setBanner(tr("The remote server %1 was removed, so its model is no longer in use. Choose another model.").arg(name));
}

void ChatController::loadRemoteModel(const QString& key) {
    QString endpointId, modelId;
    const RemoteEndpoint* endpoint =
        splitRemoteModelKey(key, &endpointId, &modelId) ? remotes_.store().find(endpointId) : nullptr;
    if (!endpoint) {
        setBanner(tr("There is no remote server for %1 any more").arg(key));
        return;
    }
    if (generating()) stop();
    loading_ = true;
    loadTuning_ = false;
    loadProgress_ = 0;
    pendingModel_ = key;
    settings_.selectModel(key);  // its sampling and system prompt
    emit loadingChanged();
    const QUrl base = endpoint->baseUrl;
    const bool allowInsecure = endpoint->allowInsecure;
    int context = 0;
    for (const ModelEntry& m : endpoint->models)
        if (m.id == modelId) context = m.contextLength;
    QPointer<ChatController> self(this);
    remotes_.readKey(endpointId, [=, this](const QString& apiKey, const QString& error) {
        if (!self || pendingModel_ != key) return;
        if (!error.isEmpty()) {
            onLoadFailed(key, error);
            return setBanner(tr("Could not read the API key of %1: %2").arg(remotes_.labelOf(key), error));
        }
        remote_->setServer(base, apiKey, allowInsecure, modelId, context);
        remote_->probe();  // ready or unavailable
    });
}

void ChatController::startRemoteReply(const QVariantList& history) {
    // Retrieval runs on the engine thread with the local model's embedder
    // setup; a remote reply answers from the conversation alone, and says so.
    documentNotice_ = libraries_.isEmpty()
                          ? QString()
                          : tr("The attached documents were not searched: remote models answer from the "
                               "conversation alone.");
    // Pictures stay on this machine: the server gets the conversation's text.
    QVariantList textOnly = history;
    int pictures = 0;
    for (QVariant& v : textOnly) {
        QVariantMap m = v.toMap();
        pictures += int(m.take(QStringLiteral("images")).toList().size());
        v = m;
    }
    if (pictures > 0)
        imageNotice_ = tr("%n picture(s) of this conversation were not sent: remote models get text only.", nullptr,
                          pictures);
    remote_->generate(requestId_, textOnly, samplingSettings());
}
