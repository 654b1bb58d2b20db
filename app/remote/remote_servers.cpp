#include "remote_servers.h"

#include "remote_url.h"

RemoteServers::RemoteServers(const QString& dataDir, QObject* parent)
    : QObject(parent), store_(dataDir + QStringLiteral("/remote-servers.json")), secrets_(makeDefaultSecretStore(dataDir)) {
    QString error;
    if (!store_.load(&error)) saveError_ = error;
    list_.sync(store_.endpoints());
    connect(&tester_, &OpenAiClient::modelsListed, this, [this](const QList<ModelEntry>& models) {
        testing_ = false;
        testError_.clear();
        testEntries_ = models;
        testModels_.clear();
        for (const ModelEntry& m : models) testModels_.push_back(m.id);
        if (testModels_.isEmpty()) testError_ = tr("The server answered but lists no models");
        emit testChanged();
    });
    connect(&tester_, &OpenAiClient::modelsFailed, this, [this](const QString& error) {
        testing_ = false;
        testError_ = error;
        testModels_.clear();
        testEntries_.clear();
        emit testChanged();
    });
}

RemoteServers::~RemoteServers() = default;

QStringList RemoteServers::modelKeys() const {
    QStringList keys;
    for (const RemoteEndpoint& e : store_.endpoints())
        for (const ModelEntry& m : e.models) keys.push_back(remoteModelKey(e.id, m.id));
    return keys;
}

QStringList RemoteServers::modelLabels() const {
    QStringList labels;
    for (const RemoteEndpoint& e : store_.endpoints())
        for (const ModelEntry& m : e.models) labels.push_back(tr("%1 · %2").arg(m.id, e.name));
    return labels;
}

QString RemoteServers::labelOf(const QString& modelKey) const {
    QString id, model;
    if (!splitRemoteModelKey(modelKey, &id, &model)) return modelKey;
    const RemoteEndpoint* e = store_.find(id);
    return e ? tr("%1 · %2").arg(model, e->name) : model;
}

QString RemoteServers::urlError(const QString& baseUrl) const { return normalizeBaseUrl(baseUrl).error; }

QString RemoteServers::normalizedUrl(const QString& baseUrl) const {
    const NormalizedUrl n = normalizeBaseUrl(baseUrl);
    return n.ok() ? n.url.toString() : QString();
}

bool RemoteServers::needsInsecureConfirmation(const QString& baseUrl) const {
    const NormalizedUrl n = normalizeBaseUrl(baseUrl);
    return n.ok() && ::needsInsecureConfirmation(n.url);
}

void RemoteServers::testConnection(const QString& baseUrl, const QString& apiKey, bool allowInsecure,
                                   const QString& endpointId) {
    const NormalizedUrl n = normalizeBaseUrl(baseUrl);
    testModels_.clear();
    testEntries_.clear();
    if (!n.ok()) {
        testing_ = false;
        testError_ = n.error;
        emit testChanged();
        return;
    }
    testing_ = true;
    testError_.clear();
    testUrl_ = n.url.toString();
    emit testChanged();
    if (apiKey.trimmed().isEmpty() && store_.find(endpointId)) {  // editing: the key field stays empty
        readKey(endpointId, [this, url = n.url, allowInsecure](const QString& key, const QString& error) {
            if (!error.isEmpty()) {
                testing_ = false;
                testError_ = tr("Could not read the saved API key: %1").arg(error);
                return emit testChanged();
            }
            startTest(url, key, allowInsecure);
        });
        return;
    }
    startTest(n.url, apiKey.trimmed(), allowInsecure);
}

void RemoteServers::startTest(const QUrl& url, const QString& apiKey, bool allowInsecure) {
    tester_.setServer(url, apiKey, allowInsecure);
    tester_.listModels();  // answers through modelsListed / modelsFailed
}

void RemoteServers::clearTest() {
    testModels_.clear();
    testEntries_.clear();
    testError_.clear();
    testUrl_.clear();
    emit testChanged();
}

bool RemoteServers::persist() {
    QString error;
    if (store_.save(&error)) return true;
    saveError_ = error;
    emit saveChanged();
    return false;
}

void RemoteServers::notifyServers() {
    list_.sync(store_.endpoints());
    emit serversChanged();
}

bool RemoteServers::save(const QString& name, const QString& baseUrl, const QString& apiKey, bool allowInsecure) {
    return store({}, name, baseUrl, apiKey, allowInsecure, false);
}

bool RemoteServers::updateServer(const QString& id, const QString& name, const QString& baseUrl, const QString& newKey,
                                 bool allowInsecure) {
    return store(id, name, baseUrl, newKey, allowInsecure, true);
}

bool RemoteServers::store(const QString& id, const QString& name, const QString& baseUrl, const QString& apiKey,
                          bool allowInsecure, bool keepKey) {
    const NormalizedUrl n = normalizeBaseUrl(baseUrl);
    saveError_ = n.ok() ? checkTransport(n.url, allowInsecure) : n.error;
    keyLocation_.clear();
    keyInFile_ = false;
    const RemoteEndpoint* old = id.isEmpty() ? nullptr : store_.find(id);
    if (saveError_.isEmpty() && !id.isEmpty() && !old) saveError_ = tr("This server was removed");
    if (!saveError_.isEmpty()) {
        emit saveChanged();
        return false;
    }
    RemoteEndpoint e;
    if (old) e = *old;  // its id, key location and models
    e.name = name.trimmed().isEmpty() ? n.url.host() : name.trimmed();
    const bool moved = old && old->baseUrl != n.url;
    e.baseUrl = n.url;
    e.allowInsecure = allowInsecure && ::needsInsecureConfirmation(n.url);
    if (testUrl_ == n.url.toString() && !testEntries_.isEmpty())
        e.models = testEntries_;  // what "Test connection" listed
    else if (moved)
        e.models.clear();  // another address: its models are listed below
    const QString key = apiKey.trimmed();
    const bool edit = old != nullptr;
    if (keepKey && key.isEmpty()) keyLocation_ = e.keyLocation;
    const RemoteEndpointStore before = store_;
    const QString savedId = store_.upsert(e);
    if (!persist()) {
        store_ = before;
        return false;
    }
    lastSavedId_ = savedId;
    notifyServers();
    emit saveChanged();
    if (keepKey && key.isEmpty()) {  // the saved key stays as it is
        emit serverEdited(savedId);
        refreshModels(savedId);
        return true;
    }
    std::weak_ptr<int> alive = alive_;
    auto stored = [this, alive, id = savedId, hasKey = !key.isEmpty(), edit](const QString& error) {
        if (alive.expired()) return;
        saveError_ = error;
        keyInFile_ = hasKey && error.isEmpty() && secrets_->inFile();
        keyLocation_ = hasKey && error.isEmpty() ? secrets_->location() : QString();
        if (const RemoteEndpoint* ep = store_.find(id)) {
            RemoteEndpoint copy = *ep;
            copy.keyLocation = keyLocation_;
            store_.upsert(copy);
            persist();
            notifyServers();
        }
        emit saveChanged();
        if (error.isEmpty()) emit keySaved(id);
        if (edit) emit serverEdited(id);
        refreshModels(id);
    };
    if (key.isEmpty())
        secrets_->remove(savedId, stored);
    else
        secrets_->write(savedId, key, stored);
    return true;
}

bool RemoteServers::removeServer(const QString& id) {
    const RemoteEndpoint* e = store_.find(id);
    if (!e) return false;
    const QString name = e->name;
    const RemoteEndpointStore before = store_;
    store_.remove(id);
    if (!persist()) {
        store_ = before;
        return false;
    }
    secrets_->remove(id, [](const QString&) {});
    notifyServers();
    emit serverRemoved(id, name);
    return true;
}

void RemoteServers::readKey(const QString& endpointId, std::function<void(const QString&, const QString&)> done) {
    std::weak_ptr<int> alive = alive_;
    secrets_->read(endpointId, [alive, done = std::move(done)](const QString& key, const QString& error) {
        if (!alive.expired()) done(key, error);
    });
}

void RemoteServers::refreshModels(const QString& endpointId) {
    const RemoteEndpoint* e = store_.find(endpointId);
    if (!e) return;
    auto* client = new OpenAiClient(this);
    readKey(endpointId, [this, client, endpointId](const QString& key, const QString&) {
        const RemoteEndpoint* ep = store_.find(endpointId);
        if (!ep) return client->deleteLater();
        client->setServer(ep->baseUrl, key, ep->allowInsecure);
        connect(client, &OpenAiClient::modelsListed, this, [this, client, endpointId](const QList<ModelEntry>& models) {
            client->deleteLater();
            const RemoteEndpoint* cur = store_.find(endpointId);
            if (!cur) return;
            RemoteEndpoint copy = *cur;
            copy.models = models;
            store_.upsert(copy);
            persist();
            notifyServers();
        });
        connect(client, &OpenAiClient::modelsFailed, client, &QObject::deleteLater);
        client->listModels();
    });
}
