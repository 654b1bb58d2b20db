// ChatController: what the chat window binds to. It owns the conversation
// store, the two list models and the engine thread (EngineWorker on a
// QThread), and turns the worker's signals into model updates and saved
// rows. Nothing here blocks on inference; the store's writes are small
// SQLite transactions in WAL mode.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>
#include <memory>

#include "attachment_list_model.h"
#include "chat_settings.h"
#include "chat_store.h"
#include "conversation_list_model.h"
#include "message_list_model.h"
#include "remote_servers.h"

class EngineWorker;
class RemoteReplySource;
struct SharedSession;

class ChatController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(ConversationListModel* conversations READ conversations CONSTANT)
    Q_PROPERTY(MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(qint64 currentConversation READ currentConversation NOTIFY currentConversationChanged)
    Q_PROPERTY(QString databasePath READ databasePath WRITE setDatabasePath NOTIFY databasePathChanged)
    // "vulkan", "cpu" or "" (Vulkan when a device exists); FACET_BACKEND sets the default.
    Q_PROPERTY(QString backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(QString modelPath READ modelPath NOTIFY modelChanged)
    Q_PROPERTY(QString modelName READ modelName NOTIFY modelChanged)
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY modelChanged)
    // Where the loaded model runs, for the toolbar's badge: "gpu", "cpu" (the CPU
    // reference or a CPU Vulkan device such as lavapipe), "remote"; "" when none.
    Q_PROPERTY(QString deviceKind READ deviceKind NOTIFY modelChanged)
    Q_PROPERTY(bool modelLoaded READ modelLoaded NOTIFY modelChanged)
    // The model a lost GPU unloaded ("" otherwise): the banner offers to reload it.
    Q_PROPERTY(QString lostModel READ lostModel NOTIFY modelChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadingChanged)
    // The load is past the upload, measuring kernel shapes for this GPU (first load only).
    Q_PROPERTY(bool loadTuning READ loadTuning NOTIFY loadingChanged)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(double tokensPerSecond READ tokensPerSecond NOTIFY statsChanged)
    Q_PROPERTY(int contextUsed READ contextUsed NOTIFY statsChanged)
    Q_PROPERTY(int contextSize READ contextSize NOTIFY statsChanged)
    Q_PROPERTY(QVariantMap lastStats READ lastStats NOTIFY statsChanged)
    Q_PROPERTY(QString banner READ banner NOTIFY bannerChanged)
    Q_PROPERTY(QString notice READ notice NOTIFY noticeChanged)
    // A deleted conversation can be brought back for a few seconds.
    Q_PROPERTY(QString undoText READ undoText NOTIFY undoChanged)
    Q_PROPERTY(ChatSettings* settings READ settings CONSTANT)
    // The document libraries (absolute paths of index files) the current
    // conversation answers from, saved with it; names are their file names.
    Q_PROPERTY(QStringList documentLibraries READ documentLibraries NOTIFY documentLibrariesChanged)
    Q_PROPERTY(QStringList documentLibraryNames READ documentLibraryNames NOTIFY documentLibrariesChanged)
    // Index path -> collection name (DocumentLibrary::titles): the chips show names, not file names.
    Q_PROPERTY(QVariantMap libraryTitles READ libraryTitles WRITE setLibraryTitles NOTIFY documentLibrariesChanged)
    // Remote OpenAI-compatible servers and their models (chat_controller_remote.cpp).
    Q_PROPERTY(RemoteServers* remotes READ remotes CONSTANT)
    // Pictures (chat_controller_images.cpp): the ones waiting in the composer,
    // whether the loaded model sees pictures (a projector was paired with it),
    // and otherwise why not.
    Q_PROPERTY(AttachmentListModel* attachments READ attachments CONSTANT)
    Q_PROPERTY(bool modelSeesImages READ modelSeesImages NOTIFY modelChanged)
    Q_PROPERTY(QString imageInputNote READ imageInputNote NOTIFY modelChanged)
    // After a reply whose pictures went through the vision tower: "1 picture encoded in 0.4 s"; else "".
    Q_PROPERTY(QString imageStats READ imageStats NOTIFY statsChanged)

public:
    explicit ChatController(QObject* parent = nullptr);
    ~ChatController() override;

    ConversationListModel* conversations() { return &conversations_; }
    MessageListModel* messages() { return &messages_; }
    ChatSettings* settings() { return &settings_; }
    RemoteServers* remotes() { return &remotes_; }
    AttachmentListModel* attachments() { return &attachments_; }
    bool modelSeesImages() const { return !projector_.isEmpty(); }
    // The projector's file name when the model sees pictures; else why it does not.
    QString imageInputNote() const;
    QString imageStats() const;
    bool remoteModel() const;  // the loaded model is "remote:<server>/<model>"
    qint64 currentConversation() const { return current_; }
    QString databasePath() const { return databasePath_; }
    void setDatabasePath(const QString& path);
    QString backend() const { return backend_; }
    void setBackend(const QString& b);
    QString modelPath() const { return modelPath_; }
    QString modelName() const;
    QString deviceName() const { return device_; }
    QString deviceKind() const;
    bool modelLoaded() const { return !modelPath_.isEmpty(); }
    QString lostModel() const { return lostModel_; }
    bool loading() const { return loading_; }
    double loadProgress() const { return loadProgress_; }
    bool loadTuning() const { return loadTuning_; }
    bool generating() const { return requestId_ != 0; }
    double tokensPerSecond() const { return tokensPerSecond_; }
    int contextUsed() const { return contextUsed_; }
    int contextSize() const { return contextSize_; }
    QVariantMap lastStats() const { return lastStats_; }  // EngineWorker::finished's stats
    QString banner() const { return banner_; }
    QString notice() const { return notice_; }
    QString undoText() const { return undoText_; }
    const ChatStore& store() const { return store_; }
    // The engine thread's loaded model, for the app's API server (LocalApiServer).
    std::shared_ptr<SharedSession> sharedSession() const;
    QStringList documentLibraries() const { return libraries_; }
    QVariantMap libraryTitles() const { return libraryTitles_; }
    void setLibraryTitles(const QVariantMap& titles);
    QStringList documentLibraryNames() const;

    Q_INVOKABLE void loadModel(const QString& path);
    Q_INVOKABLE void loadModelUrl(const QUrl& url) { loadModel(urlToPath(url)); }
    Q_INVOKABLE QString urlToPath(const QUrl& url) const { return url.isLocalFile() ? url.toLocalFile() : url.toString(); }
    Q_INVOKABLE void newConversation();
    Q_INVOKABLE void selectConversation(qint64 id);
    Q_INVOKABLE bool send(const QString& text);
    Q_INVOKABLE void stop();
    // Answers the last prompt again; the current answer joins its alternatives.
    Q_INVOKABLE bool regenerate();
    // Shows alternative `index` of a model message (the shown one takes its place).
    Q_INVOKABLE bool showAlternative(qint64 messageId, int index);
    // Replaces a user message and everything after it, then sends the new text.
    Q_INVOKABLE bool editAndResend(qint64 messageId, const QString& text);
    // Pictures (chat_controller_images.cpp). Whether pictures may be attached
    // now: with no model loaded yes (send checks); with one that sees none no,
    // and the banner says why and what to do.
    Q_INVOKABLE bool canAttachImages();
    // Files from a file dialog or a drop: each is checked off the UI thread
    // and joins the composer, or the banner gives its reason. Returns how many
    // were queued.
    Q_INVOKABLE int attachImages(const QList<QUrl>& urls);
    // Ctrl+V in the composer: the clipboard's picture files or picture (as
    // PNG). False when it holds neither, or holds text (the text is pasted).
    Q_INVOKABLE bool pasteImages();
    Q_INVOKABLE bool removeAttachment(int index);
    // Writes the conversation as "markdown" or "json" ("" = by the file's
    // suffix: .json, else Markdown) to a path or file URL, all or nothing.
    Q_INVOKABLE bool exportConversation(qint64 id, const QString& pathOrUrl, const QString& format);
    Q_INVOKABLE void renameConversation(qint64 id, const QString& title);
    // Hides the conversation at once and deletes it after a few seconds
    // (or at the next delete, or on exit) unless undoDelete() comes first.
    Q_INVOKABLE void deleteConversation(qint64 id);
    Q_INVOKABLE void undoDelete();
    Q_INVOKABLE void commitPendingDelete();
    Q_INVOKABLE void search(const QString& text);
    Q_INVOKABLE void dismissBanner();
    Q_INVOKABLE void copyText(const QString& text) const;
    Q_INVOKABLE bool copyLastAnswer() const;  // the newest model message's text

    // Chat with documents (chat_controller_documents.cpp). A path or file URL
    // of an index file (.sqlite/.db); false when it is no file or already there.
    Q_INVOKABLE bool attachDocumentLibrary(const QString& pathOrUrl);
    Q_INVOKABLE bool detachDocumentLibrary(const QString& path);
    // Opens source `number` (1-based) of a model message: a PDF in the
    // built-in viewer (pdfSourceRequested), anything else with the system's handler.
    Q_INVOKABLE bool openSource(qint64 messageId, int number);
    // A link clicked in a message: a citation opens its source, a web link the browser.
    Q_INVOKABLE void activateLink(qint64 messageId, const QString& link);

signals:
    void currentConversationChanged();
    void databasePathChanged();
    void backendChanged();
    void modelChanged();
    void loadingChanged();
    void generatingChanged();
    void statsChanged();
    void bannerChanged();
    void noticeChanged();
    void undoChanged();
    void replyFinished();  // a reply ended (done, stopped or failed) and is saved
    void documentLibrariesChanged();
    // pageIndex is 0-based (the viewer's); search: a word to highlight on it.
    void pdfSourceRequested(const QUrl& file, const QString& fileName, int pageIndex, const QString& search);
    // Retrieval for the running reply is done: the user message the model
    // was given (passages and question) and how many sources it cites.
    void documentsRetrieved(const QString& prompt, int sources);

private:
    bool ensureStore();
    // send() and editAndResend(): `images` are stored paths the message
    // keeps; with `takePending`, the composer's pictures are added to them.
    bool sendMessage(const QString& text, QStringList images, bool takePending);
    // Moves the composer's pictures into the conversation's folder (before
    // the message row is written) and appends their stored paths.
    bool adoptAttachments(QStringList* images);
    // Why pictures cannot go to the loaded model now ("" when they can).
    QString imageRefusal() const;
    // A message's pictures as the engine thread takes them: absolute paths.
    QVariantList imagePaths(const StoredMessage& m) const;
    // What the worker's stats say about pictures left out ("" when none were).
    QString imagesLeftOutNotice(const QVariantMap& stats) const;
    void refreshConversations();
    void setBanner(const QString& text);
    void setNotice(const QString& text);
    void flushReply(bool partial);
    void onLoaded(const QString& path, const QString& device, int contextSize, const QString& projector,
                  const QString& imageNote);
    void onLoadFailed(const QString& path, const QString& error);
    void onDelta(quint64 requestId, const QString& thinking, const QString& answer);
    void onFinished(quint64 requestId, const QVariantMap& stats);
    void onFailed(quint64 requestId, const QString& error, bool modelLost);
    QVariantMap samplingSettings() const;  // settings' sampling plus a fresh seed
    // Queues a reply into the model message `reply` (already in the list and the store).
    void startReply(const StoredMessage& reply);
    void queueGenerate(const QVariantList& history);  // with retrieval when libraries are attached
    void onDocumentsRetrieved(quint64 requestId, const QString& prompt, const QString& sourcesJson,
                              const QStringList& skipped, int dropped);
    void loadLibraries();  // the current conversation's
    // Remote models (chat_controller_remote.cpp): loadModel("remote:<id>/<model>")
    // reads the key, lists the server's models, then is "loaded".
    void setUpRemote();
    void loadRemoteModel(const QString& key);
    void startRemoteReply(const QVariantList& history);
    // A saved server was edited (reconnect) or removed (back to "No model", with a banner).
    void onRemoteServerEdited(const QString& endpointId);
    void onRemoteServerRemoved(const QString& endpointId, const QString& name);

    ChatStore store_;
    ChatSettings settings_;
    bool storeOpen_ = false;
    ConversationListModel conversations_;
    MessageListModel messages_;
    QThread thread_;
    EngineWorker* worker_ = nullptr;  // lives on thread_
    QTimer flushTimer_;
    QTimer undoTimer_;
    // Deltas are applied to the view at most once a frame: a fast GPU sends
    // hundreds a second, and each update re-lays out the streaming message.
    QTimer deltaTimer_;
    QString pendingThinking_, pendingAnswer_;
    void applyPendingDeltas();
    qint64 pendingDelete_ = 0;
    QString undoText_;

    QString databasePath_, backend_, modelPath_, device_, banner_, notice_, filter_, lostModel_;
    QString pendingModel_;
    QVariantMap lastStats_;
    qint64 current_ = 0;
    qint64 replyMessageId_ = 0;
    quint64 requestId_ = 0, nextRequest_ = 1;
    bool loading_ = false, loadTuning_ = false;
    double loadProgress_ = 0, tokensPerSecond_ = 0;
    int contextUsed_ = 0, contextSize_ = 0, replyTokens_ = 0;
    QElapsedTimer thinkingClock_;  // runs from the reply's first thought to its first answer text
    int thinkingMs_ = 0;
    QStringList libraries_;
    QVariantMap libraryTitles_;
    QString documentNotice_;  // what retrieval found wanting, shown after the reply
    QString imageNotice_;     // pictures a remote reply did not get, shown after the reply
    AttachmentListModel attachments_;
    QString projector_, imageNote_;  // the loaded model's projector path, or why it has none
    RemoteServers remotes_{facetDataDir()};
    RemoteReplySource* remote_ = nullptr;  // a child: replies of remote models
    QString remoteLabel_;                  // "<model> · <server>"
};
