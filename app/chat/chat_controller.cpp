#include "chat_controller.h"

#include <QClipboard>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSaveFile>

#include "chat_images.h"
#include "conversation_export.h"
#include "engine_worker.h"
#include "installed_models.h"
#include "model_path_check.h"
#include "remote_reply_source.h"

namespace {

QString defaultDatabasePath() { return facetDataDir() + QStringLiteral("/chats.sqlite"); }

QString titleFrom(const QString& text) {
    QString t = text.simplified();
    if (t.size() > 48) t = t.left(47) + QChar(0x2026);
    return t.isEmpty() ? QObject::tr("New chat") : t;
}

}  // namespace

ChatController::ChatController(QObject* parent)
    : QObject(parent), databasePath_(defaultDatabasePath()), backend_(qEnvironmentVariable("FACET_BACKEND")) {
    worker_ = new EngineWorker();
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &EngineWorker::loaded, this, &ChatController::onLoaded);
    connect(worker_, &EngineWorker::loadFailed, this, &ChatController::onLoadFailed);
    connect(worker_, &EngineWorker::loadProgress, this, [this](double f) {
        loadProgress_ = f;
        emit loadingChanged();
    });
    connect(worker_, &EngineWorker::loadTuning, this, [this] {
        loadTuning_ = true;
        emit loadingChanged();
    });
    connect(worker_, &EngineWorker::delta, this, &ChatController::onDelta);
    connect(worker_, &EngineWorker::finished, this, &ChatController::onFinished);
    connect(worker_, &EngineWorker::failed, this, &ChatController::onFailed);
    connect(worker_, &EngineWorker::documentsRetrieved, this, &ChatController::onDocumentsRetrieved);
    thread_.setObjectName(QStringLiteral("facet-engine"));
    connect(&thread_, &QThread::started, worker_, &EngineWorker::yieldToInterface);
    thread_.start();
    // While a reply streams, what has arrived is saved twice a second.
    flushTimer_.setInterval(500);
    connect(&flushTimer_, &QTimer::timeout, this, [this] { flushReply(true); });
    deltaTimer_.setSingleShot(true);
    deltaTimer_.setInterval(33);
    connect(&deltaTimer_, &QTimer::timeout, this, &ChatController::applyPendingDeltas);
    connect(&attachments_, &AttachmentListModel::rejected, this, &ChatController::setBanner);
    undoTimer_.setSingleShot(true);
    undoTimer_.setInterval(8000);
    connect(&undoTimer_, &QTimer::timeout, this, &ChatController::commitPendingDelete);
    setUpRemote();
}

ChatController::~ChatController() {
    if (worker_) worker_->cancel = true;  // a running reply ends within one token
    if (worker_) worker_->shared()->closing = true;  // and so does an API job the engine thread would wait for
    if (requestId_) flushReply(true);
    commitPendingDelete();
    thread_.quit();
    thread_.wait();
}

void ChatController::setDatabasePath(const QString& path) {
    if (path == databasePath_ || storeOpen_) return;  // fixed once conversations are open
    databasePath_ = path;
    emit databasePathChanged();
}

void ChatController::setBackend(const QString& b) {
    if (b == backend_) return;
    backend_ = b;
    emit backendChanged();
}

std::shared_ptr<SharedSession> ChatController::sharedSession() const { return worker_->shared(); }

QString ChatController::deviceKind() const {
    if (!modelLoaded()) return {};
    if (remoteModel()) return QStringLiteral("remote");
    const std::shared_ptr<SharedSession> shared = sharedSession();
    std::shared_lock lock(shared->parts);
    return !shared->session || shared->session->onCpuDevice() ? QStringLiteral("cpu") : QStringLiteral("gpu");
}

QString ChatController::modelName() const { return remoteModel() ? remoteLabel_ : QFileInfo(modelPath_).fileName(); }

bool ChatController::ensureStore() {
    if (storeOpen_) return true;
    QString error;
    if (!store_.open(databasePath_, &error)) {
        setBanner(tr("Conversations cannot be saved: %1").arg(error));
        return false;
    }
    storeOpen_ = true;
    messages_.setDatabasePath(databasePath_);
    attachments_.setImagesRoot(chatimages::imagesRoot(databasePath_));
    // A reply cut off by a crash or kill stays as the partial text it had.
    refreshConversations();
    return true;
}

void ChatController::refreshConversations() {
    if (!ensureStore()) return;
    QList<StoredConversation> list = store_.conversations(filter_);
    list.removeIf([this](const StoredConversation& c) { return c.id == pendingDelete_; });
    conversations_.reset(list);
}

void ChatController::setBanner(const QString& text) {
    if (text == banner_) return;
    banner_ = text;
    emit bannerChanged();
}

void ChatController::setNotice(const QString& text) {
    if (text == notice_) return;
    notice_ = text;
    emit noticeChanged();
}

void ChatController::dismissBanner() { setBanner({}); }

void ChatController::copyText(const QString& text) const {
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance())) return;  // no clipboard without a GUI
    if (auto* cb = QGuiApplication::clipboard()) cb->setText(text);
}

bool ChatController::copyLastAnswer() const {
    const auto& items = messages_.items();
    for (auto it = items.rbegin(); it != items.rend(); ++it)
        if (it->role == QLatin1String("model") && !it->text.isEmpty()) {
            copyText(it->text);
            return true;
        }
    return false;
}

void ChatController::loadModel(const QString& picked) {
    if (picked.isEmpty() || loading_) return;
    if (isRemoteModelKey(picked)) return loadRemoteModel(picked);
    const QString path = ggufFirstPart(picked);  // any part of a split GGUF opens the model as its part 1
    // Not a model at all (any folder can be opened with Facet): say so, and keep the loaded one.
    if (const QString problem = modelPathProblem(path); !problem.isEmpty()) return setBanner(problem);
    if (generating()) stop();
    loading_ = true;
    loadTuning_ = false;
    loadProgress_ = 0;
    pendingModel_ = path;
    settings_.selectModel(QFileInfo(path).fileName());  // its context length, sampling, system prompt
    emit loadingChanged();
    QVariantMap opts{{"backend", backend_}, {"device", settings_.device()}, {"context", settings_.contextLength()}};
    QMetaObject::invokeMethod(worker_, "load", Qt::QueuedConnection, Q_ARG(QString, path), Q_ARG(QVariantMap, opts));
}

void ChatController::onLoaded(const QString& path, const QString& device, int contextSize, const QString& projector,
                              const QString& imageNote) {
    loading_ = loadTuning_ = false;
    modelPath_ = path;
    projector_ = projector;
    imageNote_ = imageNote;
    lostModel_.clear();
    device_ = device;
    contextSize_ = contextSize;
    contextUsed_ = 0;  // the new backend's cache is empty
    settings_.addRecentModel(path);
    setBanner({});
    emit loadingChanged();
    emit modelChanged();
    emit statsChanged();
}

void ChatController::onLoadFailed(const QString& path, const QString& error) {
    loading_ = loadTuning_ = false;
    modelPath_.clear();
    lostModel_.clear();
    device_.clear();
    projector_.clear();
    imageNote_.clear();
    emit loadingChanged();
    emit modelChanged();
    setBanner(tr("Could not load %1: %2").arg(QFileInfo(path).fileName(), error));
}

void ChatController::newConversation() {
    if (generating()) return;
    current_ = 0;
    messages_.reset({});
    setNotice({});
    loadLibraries();
    emit currentConversationChanged();
}

void ChatController::selectConversation(qint64 id) {
    if (generating() || !ensureStore()) return;
    current_ = id;
    messages_.reset(store_.messages(id));
    setNotice({});
    loadLibraries();
    emit currentConversationChanged();
}

QVariantMap ChatController::samplingSettings() const {
    // A fresh seed per reply, so that regenerating samples a new answer.
    QVariantMap m = settings_.sampling();
    m["seed"] = QVariant::fromValue<qulonglong>(QRandomGenerator::global()->generate64());
    return m;
}

bool ChatController::send(const QString& text) { return sendMessage(text, {}, true); }

bool ChatController::sendMessage(const QString& text, QStringList images, bool takePending) {
    const QString body = text.trimmed();
    const bool pictures = !images.isEmpty() || (takePending && attachments_.count() > 0);
    if ((body.isEmpty() && !pictures) || generating() || !modelLoaded() || !ensureStore()) return false;
    if (takePending && attachments_.busy()) {
        setNotice(tr("The pictures are still being checked; send again in a moment."));
        return false;
    }
    if (takePending && attachments_.count() > 0) {
        if (const QString refusal = imageRefusal(); !refusal.isEmpty()) {
            setBanner(refusal);
            return false;
        }
    }
    if (current_ == 0) {
        current_ = store_.createConversation(titleFrom(body.isEmpty() ? tr("Picture") : body));
        if (current_ == 0) {
            setBanner(tr("Could not save the conversation: %1").arg(store_.lastError()));
            return false;
        }
        messages_.reset({});
        store_.setConversationLibraries(current_, libraries_);  // attached before the first message
        emit currentConversationChanged();
    }
    // The pictures' files first, then the row that names them: a killed app
    // leaves at worst an orphan file (chat_images.h).
    if (takePending && !adoptAttachments(&images)) return false;
    StoredMessage user;
    user.conversationId = current_;
    user.role = QStringLiteral("user");
    user.text = body;
    user.images = images;
    user.created = QDateTime::currentDateTimeUtc();
    user.id = store_.addMessage(user);
    messages_.append(user);

    StoredMessage reply;
    reply.conversationId = current_;
    reply.role = QStringLiteral("model");
    reply.model = modelName();
    reply.settingsJson = QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(samplingSettings())).toJson(QJsonDocument::Compact));
    reply.partial = true;
    reply.created = QDateTime::currentDateTimeUtc();
    reply.id = store_.addMessage(reply);
    messages_.append(reply);
    refreshConversations();
    startReply(reply);
    return true;
}

void ChatController::startReply(const StoredMessage& reply) {
    // The conversation before the reply, with the system prompt first.
    QVariantList history;
    const QString system = settings_.systemPrompt();
    if (!system.trimmed().isEmpty()) history.push_back(QVariantMap{{"role", "system"}, {"text", system}});
    for (const StoredMessage& m : messages_.items()) {
        if (m.id == reply.id) break;
        if (m.text.isEmpty() && m.role != "user") continue;
        QVariantMap entry{{"role", m.role}, {"text", m.text}};
        if (!m.images.isEmpty()) entry["images"] = imagePaths(m);
        history.push_back(entry);
    }
    replyMessageId_ = reply.id;
    imageNotice_.clear();
    replyTokens_ = 0;
    thinkingMs_ = 0;
    thinkingClock_.invalidate();
    requestId_ = nextRequest_++;
    worker_->cancel = false;
    emit generatingChanged();
    flushTimer_.start();
    if (remoteModel())
        startRemoteReply(history);
    else
        queueGenerate(history);
}

bool ChatController::regenerate() {
    if (generating() || !modelLoaded() || !ensureStore() || messages_.items().isEmpty()) return false;
    StoredMessage last = messages_.items().last();
    if (last.role != QLatin1String("model")) return false;
    if (!last.text.isEmpty()) last.alternatives.push_back(last.text);
    store_.setAlternatives(last.id, last.alternatives);
    last.text.clear();
    last.thinking.clear();
    last.partial = true;
    last.tokens = 0;
    last.model = modelName();
    store_.updateMessage(last.id, last.text, last.thinking, 0, true);
    messages_.replace(int(messages_.items().size()) - 1, last);
    startReply(last);
    return true;
}

bool ChatController::showAlternative(qint64 messageId, int index) {
    const int row = messages_.rowOf(messageId);
    if (generating() || row < 0 || !ensureStore()) return false;
    StoredMessage m = messages_.items()[row];
    if (index < 0 || index >= m.alternatives.size()) return false;
    std::swap(m.text, m.alternatives[index]);
    m.thinking.clear();  // thinking belongs to the answer that was shown
    if (!store_.updateMessage(m.id, m.text, m.thinking, m.tokens, m.partial) || !store_.setAlternatives(m.id, m.alternatives))
        return false;
    messages_.replace(row, m);
    return true;
}

bool ChatController::editAndResend(qint64 messageId, const QString& text) {
    const int row = messages_.rowOf(messageId);
    if (generating() || row < 0 || !ensureStore()) return false;
    const StoredMessage& old = messages_.items()[row];
    if (old.role != QLatin1String("user") || (text.trimmed().isEmpty() && old.images.isEmpty())) return false;
    const QStringList images = old.images;  // the edited message keeps its pictures
    store_.deleteMessagesFrom(current_, messageId);
    messages_.reset(store_.messages(current_));
    return sendMessage(text, images, false);
}

bool ChatController::exportConversation(qint64 id, const QString& pathOrUrl, const QString& format) {
    if (!ensureStore()) return false;
    const QString path = pathOrUrl.startsWith("file:") ? QUrl(pathOrUrl).toLocalFile() : pathOrUrl;
    QString title;
    for (const StoredConversation& c : store_.conversations())
        if (c.id == id) title = c.title;
    const QList<StoredMessage> msgs = store_.messages(id);
    const QString fmt = !format.isEmpty() ? format : path.endsWith(".json", Qt::CaseInsensitive) ? "json" : "markdown";
    const QByteArray out = exportConversationAs(fmt, title, msgs);
    if (out.isEmpty()) {
        setBanner(tr("Unknown export format %1 (markdown or json)").arg(format));
        return false;
    }
    QSaveFile f(path);  // all or nothing: no half-written export
    if (!f.open(QIODevice::WriteOnly) || f.write(out) != out.size() || !f.commit()) {
        setBanner(tr("Could not export to %1: %2").arg(path, f.errorString()));
        return false;
    }
    return true;
}

void ChatController::stop() {
    if (!generating()) return;
    worker_->cancel = true;
    remote_->stop();  // a remote reply ends at once (finished, "cancelled")
}

void ChatController::onDelta(quint64 requestId, const QString& thinking, const QString& answer) {
    if (requestId != requestId_) return;
    if (!thinking.isEmpty() && !thinkingClock_.isValid()) thinkingClock_.start();
    if (!answer.isEmpty() && thinkingClock_.isValid() && thinkingMs_ == 0)
        thinkingMs_ = int(std::max<qint64>(1, thinkingClock_.elapsed()));
    pendingThinking_ += thinking;
    pendingAnswer_ += answer;
    ++replyTokens_;
    if (!deltaTimer_.isActive()) deltaTimer_.start();
}

void ChatController::applyPendingDeltas() {
    deltaTimer_.stop();
    if (messages_.items().isEmpty()) return;
    if (thinkingMs_ && messages_.items().last().thinkingMs != thinkingMs_) messages_.setLastThinkingMs(thinkingMs_);
    if (pendingThinking_.isEmpty() && pendingAnswer_.isEmpty()) return;
    messages_.appendToLast(pendingThinking_, pendingAnswer_);
    pendingThinking_.clear();
    pendingAnswer_.clear();
}

void ChatController::flushReply(bool partial) {
    if (!replyMessageId_ || messages_.items().isEmpty()) return;
    applyPendingDeltas();
    const StoredMessage& m = messages_.items().last();
    store_.updateMessage(replyMessageId_, m.text, m.thinking, replyTokens_, partial, thinkingMs_);
}

void ChatController::onFinished(quint64 requestId, const QVariantMap& stats) {
    if (requestId != requestId_) return;
    replyTokens_ = stats.value("generated").toInt();
    // The user's message, just before the reply, gets its own token count.
    if (const int row = messages_.rowOf(replyMessageId_) - 1; row >= 0 && messages_.items()[row].role == "user") {
        StoredMessage user = messages_.items()[row];
        user.tokens = stats.value("userTokens").toInt();
        store_.updateMessage(user.id, user.text, user.thinking, user.tokens, false);
        messages_.replace(row, user);
    }
    if (thinkingClock_.isValid() && thinkingMs_ == 0) {  // thought until the end
        thinkingMs_ = int(std::max<qint64>(1, thinkingClock_.elapsed()));
        messages_.setLastThinkingMs(thinkingMs_);
    }
    const bool stopped = stats.value("stopReason").toString() == QLatin1String("cancelled");
    flushReply(stopped);
    messages_.finishLast(replyTokens_, stopped);
    lastStats_ = stats;
    const double secs = stats.value("decodeSeconds").toDouble();
    tokensPerSecond_ = secs > 0 ? replyTokens_ / secs : 0;
    contextUsed_ = stats.value("contextUsed").toInt();
    contextSize_ = stats.value("contextSize").toInt();
    const int dropped = stats.value("droppedMessages").toInt();
    QStringList notes{dropped > 0 ? tr("%n older message(s) were left out to fit the context.", nullptr, dropped)
                                  : documentNotice_,
                      imageNotice_, imagesLeftOutNotice(stats)};
    notes.removeAll(QString());
    setNotice(notes.join(' '));
    flushTimer_.stop();
    requestId_ = 0;
    replyMessageId_ = 0;
    emit statsChanged();
    emit generatingChanged();
    emit replyFinished();
}

void ChatController::onFailed(quint64 requestId, const QString& error, bool modelLost) {
    if (requestId != requestId_) return;
    flushReply(true);
    messages_.finishLast(replyTokens_, true);
    flushTimer_.stop();
    requestId_ = 0;
    replyMessageId_ = 0;
    if (modelLost) {  // the worker unloaded it: offer to load it again
        setBanner(tr("The GPU stopped responding and %1 was unloaded; the answer so far is kept. Reload the model to "
                     "go on. (%2)").arg(modelName(), error));
        lostModel_ = modelPath_;
        modelPath_.clear();
        device_.clear();
        projector_.clear();
        emit modelChanged();
    } else {
        setBanner(tr("The reply failed: %1").arg(error));
    }
    emit generatingChanged();
    emit replyFinished();
}

void ChatController::renameConversation(qint64 id, const QString& title) {
    if (!ensureStore() || title.trimmed().isEmpty()) return;
    store_.renameConversation(id, title.trimmed());
    refreshConversations();
}

void ChatController::deleteConversation(qint64 id) {
    if (!ensureStore() || (generating() && id == current_)) return;
    commitPendingDelete();
    const int row = conversations_.rowOf(id);
    if (row < 0) return;
    pendingDelete_ = id;
    undoText_ = tr("Deleted “%1”").arg(conversations_.items()[row].title);
    if (id == current_) newConversation();
    refreshConversations();
    undoTimer_.start();
    emit undoChanged();
}

void ChatController::undoDelete() {
    if (!pendingDelete_) return;
    undoTimer_.stop();
    pendingDelete_ = 0;
    undoText_.clear();
    refreshConversations();
    emit undoChanged();
}

void ChatController::commitPendingDelete() {
    if (!pendingDelete_) return;
    undoTimer_.stop();
    // The row first: a kill in between leaves an orphan folder, never a conversation without its pictures.
    if (store_.deleteConversation(pendingDelete_))
        attachments_.removeFolderLater(chatimages::conversationFolder(databasePath_, pendingDelete_));
    pendingDelete_ = 0;
    undoText_.clear();
    emit undoChanged();
}

void ChatController::search(const QString& text) {
    filter_ = text.trimmed();
    refreshConversations();
}
