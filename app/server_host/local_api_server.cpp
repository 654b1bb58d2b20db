#include "local_api_server.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHostAddress>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QRegularExpression>

#include "chat_controller.h"
#include "chat_settings.h"
#include "http_server.h"
#include "logged_responder.h"
#include "openai_api.h"
#include "secret_store.h"
#include "shared_chat_engine.h"

namespace {

const QString kKeyName = QStringLiteral("facet-local-api-server");  // the secret store's entry; never rename
constexpr int kDefaultPort = 11435;

// "sk-facet-" + base64url of 32 random bytes, as facet-cli serve makes them
// (secret scanners know the prefix).
QString randomApiKey() {
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    return QStringLiteral("sk-facet-") +
           QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

}  // namespace

LocalApiServer::LocalApiServer(QObject* parent)
    : QObject(parent), settingsFile_(ChatSettings().file()), secrets_(makeDefaultSecretStore(facetDataDir())) {}

// The server first (its responders report to the log), then the API, whose
// queue stops a running job within a token, then the engine.
LocalApiServer::~LocalApiServer() {
    http_.reset();
    api_.reset();
    engine_.reset();
}

void LocalApiServer::setSettingsFile(const QString& path) {
    settingsFile_ = path;
    settings_.reset();
    emit settingsChanged();
}

void LocalApiServer::setSecretStore(std::unique_ptr<SecretStore> store) { secrets_ = std::move(store); }

QSettings& LocalApiServer::settings() const {
    if (!settings_) settings_ = std::make_unique<QSettings>(settingsFile_, QSettings::IniFormat);
    return *settings_;
}

void LocalApiServer::setValue(const QString& key, const QVariant& value) {
    if (settings().value(key) == value) return;
    settings().setValue(key, value);
    settings().sync();
    emit settingsChanged();
}

bool LocalApiServer::enabled() const { return settings().value("server/enabled", false).toBool(); }
int LocalApiServer::port() const { return settings().value("server/port", kDefaultPort).toInt(); }
bool LocalApiServer::lanAccess() const { return settings().value("server/lanAccess", false).toBool(); }

QStringList LocalApiServer::allowedOrigins() const {
    return settings().value("server/allowedOrigins", QStringList()).toStringList();
}

void LocalApiServer::setChat(ChatController* chat) {
    if (chat_ || !chat) return;  // one chat for the server's life: its engine holds that chat's model
    chat_ = chat;
    engine_ = std::make_unique<SharedChatEngine>(chat->sharedSession());
    api_ = std::make_unique<facet::server::OpenAiApi>(*engine_, nullptr, facet::server::OpenAiApi::Options{});
    connect(api_.get(), &facet::server::OpenAiApi::generationFinished, this, &LocalApiServer::onGenerationFinished);
    setReasoningField(reasoningField());
    // The engine thread swaps the model before the chat reports it.
    connect(chat, &ChatController::modelChanged, this, &LocalApiServer::modelChanged);
    // The engine keeps the model's state alive; without the chat nothing is left to serve.
    connect(chat, &QObject::destroyed, this, [this] { stop(); });
    emit chatChanged();
    if (enabled()) ensureKeyThenStart();
}

void LocalApiServer::setEnabled(bool on) {
    setValue("server/enabled", on);
    if (on) return ensureKeyThenStart();
    stop();
    setError({});
}

void LocalApiServer::setPort(int port) {
    if (port < 0 || port > 65535 || port == this->port()) return;
    setValue("server/port", port);
    restart();
}

bool LocalApiServer::reasoningField() const { return settings().value("server/reasoningField", false).toBool(); }

void LocalApiServer::setReasoningField(bool reasoning) {
    setValue("server/reasoningField", reasoning);
    if (api_) api_->setReasoningField(reasoning ? QStringLiteral("reasoning") : QStringLiteral("reasoning_content"));
}

void LocalApiServer::setLanAccess(bool on) {
    if (on == lanAccess()) return;
    setValue("server/lanAccess", on);
    restart();
}

bool LocalApiServer::addAllowedOrigin(const QString& origin) {
    // An Origin header: scheme://host[:port], nothing after (browsers send no path).
    static const QRegularExpression form(
        QStringLiteral(R"(^[a-z][a-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[^/\s:?#@\[\]]+)(:[0-9]{1,5})?$)"));
    const QString o = origin.trimmed();
    QStringList list = allowedOrigins();
    if (!form.match(o).hasMatch()) {
        setError(tr("\"%1\" is not an origin like http://localhost:3000 (scheme, host, optional port).").arg(o));
        return false;
    }
    if (list.contains(o)) return false;
    list.append(o);
    setValue("server/allowedOrigins", list);
    setError({});
    restart();
    return true;
}

void LocalApiServer::removeAllowedOrigin(const QString& origin) {
    QStringList list = allowedOrigins();
    if (!list.removeAll(origin)) return;
    setValue("server/allowedOrigins", list);
    restart();
}

void LocalApiServer::copyText(const QString& text) const {
    if (QClipboard* c = QGuiApplication::clipboard()) c->setText(text);
}

void LocalApiServer::regenerateKey() { storeKey(randomApiKey()); }

void LocalApiServer::ensureKeyThenStart() {
    if (!api_ || !enabled()) return;  // starts when the chat arrives
    if (!apiKey_.isEmpty()) return restart();
    if (keyPending_) return;
    keyPending_ = true;
    std::weak_ptr<int> alive = alive_;
    secrets_->read(kKeyName, [this, alive](const QString& secret, const QString& error) {
        if (alive.expired()) return;
        keyPending_ = false;
        if (!error.isEmpty()) return setError(tr("Cannot read the API key: %1").arg(error));
        if (secret.isEmpty()) return storeKey(randomApiKey());  // first start: a key of its own
        apiKey_ = secret;
        keyLocation_ = secrets_->location();
        emit apiKeyChanged();
        restart();
    });
}

void LocalApiServer::storeKey(const QString& key) {
    keyPending_ = true;
    std::weak_ptr<int> alive = alive_;
    secrets_->write(kKeyName, key, [this, alive, key](const QString& error) {
        if (alive.expired()) return;
        keyPending_ = false;
        if (!error.isEmpty()) return setError(tr("Cannot store the API key: %1").arg(error));
        apiKey_ = key;
        keyLocation_ = secrets_->location();
        emit apiKeyChanged();
        restart();  // the old key stops working now
    });
}

void LocalApiServer::stop() {
    if (!http_) return;
    http_.reset();  // drops connections: their responders log 499 and their jobs are cancelled
    emit stateChanged();
}

void LocalApiServer::restart() {
    stop();
    if (!enabled() || !api_ || !chat_ || apiKey_.isEmpty()) return;
    facet::http::HttpServerOptions so;
    so.port = static_cast<quint16>(port());
    // As facet-cli serve: a full queue (1 + 32) twice over plus idle keep-alive clients.
    so.maxConnections = 128;
    so.apiKey = apiKey_.toUtf8();
    for (const QString& o : allowedOrigins()) so.allowedOrigins.append(o.toUtf8());
    if (lanAccess()) {
        // Other machines name this one by its host name (mDNS: NAME.local) or its address.
        const QByteArray host = QHostInfo::localHostName().toUtf8().toLower();
        if (!host.isEmpty()) so.allowedHosts = {host, host + ".local"};
    }
    facet::server::OpenAiApi* api = api_.get();
    auto handler = [this, api](const facet::http::HttpRequest& request, facet::http::HttpResponder* responder) {
        QPointer<RequestLogModel> log(&log_);
        auto* logged = new LoggedResponder(request, responder, [log](const RequestLogEntry& e) {
            if (log) log->add(e);
        });
        live_.insert(logged, logged);
        connect(logged, &QObject::destroyed, this, [this, key = static_cast<const QObject*>(logged)] { live_.remove(key); });
        api->handle(request, logged);
    };
    // Both IP versions; a machine without IPv6 gets IPv4 alone.
    const QList<QList<QHostAddress>> tries =
        lanAccess() ? QList<QList<QHostAddress>>{{QHostAddress(QHostAddress::Any)}, {QHostAddress(QHostAddress::AnyIPv4)}}
                    : QList<QList<QHostAddress>>{{QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)},
                                                 {QHostAddress(QHostAddress::LocalHost)}};
    QString error;
    for (const QList<QHostAddress>& addresses : tries) {
        so.listenAddresses = addresses;
        http_ = std::make_unique<facet::http::HttpServer>(so, handler);
        error = http_->listen();
        if (error.isEmpty()) break;
        http_.reset();
    }
    if (!http_) return setError(tr("Cannot listen on port %1: %2").arg(port()).arg(error));
    setError({});
    emit stateChanged();
}

void LocalApiServer::setError(const QString& error) {
    if (error == lastError_) return;
    lastError_ = error;
    emit stateChanged();
}

bool LocalApiServer::running() const { return http_ && http_->isListening(); }
int LocalApiServer::boundPort() const { return running() ? http_->port() : 0; }

QString LocalApiServer::address() const {
    return running() ? QStringLiteral("http://127.0.0.1:%1").arg(boundPort()) : QString();
}

QString LocalApiServer::lanAddress() const {
    if (!running() || !lanAccess()) return {};
    for (const QHostAddress& a : QNetworkInterface::allAddresses())
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            return QStringLiteral("http://%1:%2").arg(a.toString()).arg(boundPort());
    return {};
}

QString LocalApiServer::modelId() const {
    return engine_ && engine_->modelLoaded() ? QString::fromStdString(engine_->modelId()) : QString();
}

void LocalApiServer::onGenerationFinished(const facet::http::HttpResponder* responder, int promptTokens,
                                          int completionTokens, double seconds) {
    if (LoggedResponder* r = live_.value(responder)) r->noteUsage(promptTokens, completionTokens, seconds);
}
