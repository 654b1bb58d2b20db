// LocalApiServer: the Server page's controller. It serves the
// OpenAI-compatible API (app/server) on Facet's HTTP server (app/http) over
// the chat's loaded model, shared with the chat (SharedChatEngine), and
// keeps the page's settings: on/off, port, LAN access, allowed origins (in
// the settings INI, group server/) and the API key (in the secret store,
// never in the INI). Every /v1 route needs the key; /health is open.
//
// Loopback by default; LAN access listens on every interface, which is
// safe only because a key always exists here. The default port is 11435
// (Ollama's 11434 plus one, so both can run). Port 0 picks a free port
// (tests): boundPort and address say which.
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSettings>
#include <QStringList>
#include <QtQml/qqmlregistration.h>
#include <memory>

#include "chat_controller.h"
#include "request_log_model.h"

class LoggedResponder;
class SecretStore;
class SharedChatEngine;
namespace facet::http {
class HttpResponder;
class HttpServer;
}
namespace facet::server {
class OpenAiApi;
}

class LocalApiServer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    // The chat whose model the API serves; set once, from QML.
    Q_PROPERTY(ChatController* chat READ chat WRITE setChat NOTIFY chatChanged)
    Q_PROPERTY(bool enabled READ enabled WRITE setEnabled NOTIFY settingsChanged)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY settingsChanged)
    Q_PROPERTY(bool lanAccess READ lanAccess WRITE setLanAccess NOTIFY settingsChanged)
    // Thinking under "reasoning" (newer vLLM clients) instead of "reasoning_content".
    Q_PROPERTY(bool reasoningField READ reasoningField WRITE setReasoningField NOTIFY settingsChanged)
    Q_PROPERTY(QStringList allowedOrigins READ allowedOrigins NOTIFY settingsChanged)
    Q_PROPERTY(QString apiKey READ apiKey NOTIFY apiKeyChanged)  // "" until read from the store
    // Where the key is kept, for the page: "the system keyring" or "file <path>".
    Q_PROPERTY(QString keyLocation READ keyLocation NOTIFY apiKeyChanged)
    Q_PROPERTY(bool running READ running NOTIFY stateChanged)
    Q_PROPERTY(int boundPort READ boundPort NOTIFY stateChanged)  // 0 when not running
    Q_PROPERTY(QString address READ address NOTIFY stateChanged)  // "http://127.0.0.1:PORT" or ""
    // With LAN access: "http://<this machine's LAN address>:PORT" (first IPv4), else "".
    Q_PROPERTY(QString lanAddress READ lanAddress NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY stateChanged)  // why it is not running ("" = fine)
    Q_PROPERTY(RequestLogModel* requestLog READ requestLog CONSTANT)
    // The id /v1/models lists: the chat's local model file without .gguf; "" when none is loaded.
    Q_PROPERTY(QString modelId READ modelId NOTIFY modelChanged)

public:
    explicit LocalApiServer(QObject* parent = nullptr);
    ~LocalApiServer() override;

    // Tests: settings file and key store (before setChat); defaults are the
    // chat's settings file and makeDefaultSecretStore(facetDataDir()).
    void setSettingsFile(const QString& path);
    void setSecretStore(std::unique_ptr<SecretStore> store);

    ChatController* chat() const { return chat_; }
    void setChat(ChatController* chat);
    bool enabled() const;
    void setEnabled(bool on);
    int port() const;
    void setPort(int port);
    bool lanAccess() const;
    void setLanAccess(bool on);
    bool reasoningField() const;
    void setReasoningField(bool reasoning);
    QStringList allowedOrigins() const;
    QString apiKey() const { return apiKey_; }
    QString keyLocation() const { return keyLocation_; }
    bool running() const;
    int boundPort() const;
    QString address() const;
    QString lanAddress() const;
    QString lastError() const { return lastError_; }
    RequestLogModel* requestLog() { return &log_; }
    QString modelId() const;

    // A new key; the old one stops working at once (the server restarts).
    Q_INVOKABLE void regenerateKey();
    // "scheme://host[:port]" exactly as browsers send Origin; false (and
    // lastError says why) when it is not one, or already listed.
    Q_INVOKABLE bool addAllowedOrigin(const QString& origin);
    Q_INVOKABLE void removeAllowedOrigin(const QString& origin);
    Q_INVOKABLE void copyText(const QString& text) const;

signals:
    void chatChanged();
    void settingsChanged();
    void apiKeyChanged();
    void stateChanged();
    void modelChanged();

private:
    QSettings& settings() const;  // made on first use
    void setValue(const QString& key, const QVariant& value);
    // Reads the key (making and storing one on first use), then starts.
    void ensureKeyThenStart();
    void storeKey(const QString& key);
    // Stops, then listens again with the current settings when enabled and the key is known.
    void restart();
    void stop();
    void setError(const QString& error);
    void onGenerationFinished(const facet::http::HttpResponder* responder, int promptTokens, int completionTokens,
                              double seconds);

    QPointer<ChatController> chat_;
    QString settingsFile_;
    mutable std::unique_ptr<QSettings> settings_;
    std::unique_ptr<SecretStore> secrets_;
    std::unique_ptr<SharedChatEngine> engine_;
    std::unique_ptr<facet::server::OpenAiApi> api_;
    std::unique_ptr<facet::http::HttpServer> http_;
    QHash<const QObject*, LoggedResponder*> live_;  // responders in flight, for their usage
    RequestLogModel log_;
    QString apiKey_, keyLocation_, lastError_;
    bool keyPending_ = false;  // a read or write of the key is under way
    // Callbacks of the asynchronous secret store run after this may be gone.
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};
