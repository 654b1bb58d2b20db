// RemoteServers: what the "Add remote server" dialog and the model picker
// bind to. It owns the endpoint list (RemoteEndpointStore) and the secret
// store for their API keys; "Test connection" lists a server's models
// without saving anything; save() writes the endpoint to the servers file,
// the key to the secret store (the system keyring, or a 0600 file when no
// keyring answers; keyLocation says which), then refreshes the model list.
// Everything is asynchronous: the window never waits for the network or D-Bus.
#pragma once

#include <QObject>
#include <QStringList>
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <memory>

#include "openai_client.h"
#include "remote_endpoint_store.h"
#include "remote_server_list.h"
#include "secret_store.h"

class RemoteServers : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatController")
    // Remote models for the picker: keys ("remote:<id>/<model>") and labels ("<model> · <server>").
    Q_PROPERTY(QStringList modelKeys READ modelKeys NOTIFY serversChanged)
    Q_PROPERTY(QStringList modelLabels READ modelLabels NOTIFY serversChanged)
    // The saved servers, one row each (for Edit and Remove).
    Q_PROPERTY(RemoteServerList* servers READ servers CONSTANT)
    Q_PROPERTY(bool testing READ testing NOTIFY testChanged)
    Q_PROPERTY(QString testError READ testError NOTIFY testChanged)
    Q_PROPERTY(QStringList testModels READ testModels NOTIFY testChanged)
    // After save(): where the key went ("the system keyring", "file …"), or the error.
    Q_PROPERTY(QString keyLocation READ keyLocation NOTIFY saveChanged)
    Q_PROPERTY(bool keyInFile READ keyInFile NOTIFY saveChanged)
    Q_PROPERTY(QString saveError READ saveError NOTIFY saveChanged)
    // The id of the server the last save() or updateServer() stored ("" none):
    // the dialog edits that one from then on, so a second Save never adds a copy.
    Q_PROPERTY(QString lastSavedId READ lastSavedId NOTIFY saveChanged)

public:
    // Servers in <dataDir>/remote-servers.json; keys in makeDefaultSecretStore(dataDir).
    explicit RemoteServers(const QString& dataDir, QObject* parent = nullptr);
    ~RemoteServers() override;

    // Tests put an in-memory keyring here (before any save).
    void setSecretStore(std::unique_ptr<SecretStore> store) { secrets_ = std::move(store); }
    const RemoteEndpointStore& store() const { return store_; }

    QStringList modelKeys() const;
    RemoteServerList* servers() { return &list_; }
    QStringList modelLabels() const;
    bool testing() const { return testing_; }
    QString testError() const { return testError_; }
    QStringList testModels() const { return testModels_; }
    QString keyLocation() const { return keyLocation_; }
    bool keyInFile() const { return keyInFile_; }
    QString lastSavedId() const { return lastSavedId_; }
    QString saveError() const { return saveError_; }

    // "" when the text is a usable address, else why not.
    Q_INVOKABLE QString urlError(const QString& baseUrl) const;
    // The address as requests will use it (http(s)://host:port/path, no /v1).
    Q_INVOKABLE QString normalizedUrl(const QString& baseUrl) const;
    Q_INVOKABLE bool needsInsecureConfirmation(const QString& baseUrl) const;
    // Lists the server's models into testModels, or testError. With an empty
    // key and the id of a saved server (editing it), the saved key is used.
    Q_INVOKABLE void testConnection(const QString& baseUrl, const QString& apiKey, bool allowInsecure,
                                    const QString& endpointId = {});
    // Forgets the last test's models and error (the dialog opens for another server).
    Q_INVOKABLE void clearTest();
    // Adds a server (saveError says why not); the key is stored asynchronously
    // (saveChanged, then serversChanged when its models are listed).
    Q_INVOKABLE bool save(const QString& name, const QString& baseUrl, const QString& apiKey, bool allowInsecure);
    // Changes a saved server's name, address and plain-http confirmation; the
    // key in the secret store is replaced only when newKey is not empty.
    // saveChanged as for save(); serverEdited once the key is where it belongs.
    Q_INVOKABLE bool updateServer(const QString& id, const QString& name, const QString& baseUrl, const QString& newKey,
                                  bool allowInsecure);
    // Drops the server from the servers file and its key from the secret store.
    Q_INVOKABLE bool removeServer(const QString& id);
    Q_INVOKABLE QString labelOf(const QString& modelKey) const;

    // The endpoint's key ("" when it has none), through the secret store.
    void readKey(const QString& endpointId, std::function<void(const QString& key, const QString& error)> done);
    // Asks the server for its models again and saves them.
    void refreshModels(const QString& endpointId);

signals:
    void serversChanged();
    void testChanged();
    void saveChanged();
    void keySaved(const QString& endpointId);  // the key is in the secret store
    // An edited server's address or key is in place (a chat using it reconnects).
    void serverEdited(const QString& endpointId);
    void serverRemoved(const QString& endpointId, const QString& name);

private:
    bool persist();
    void notifyServers();  // the list model, then serversChanged
    // save() and updateServer(): id "" adds a server; keepKey leaves the secret as it is.
    bool store(const QString& id, const QString& name, const QString& baseUrl, const QString& apiKey, bool allowInsecure,
               bool keepKey);
    void startTest(const QUrl& url, const QString& apiKey, bool allowInsecure);

    RemoteEndpointStore store_;
    RemoteServerList list_;
    std::unique_ptr<SecretStore> secrets_;
    OpenAiClient tester_;
    bool testing_ = false;
    QString testError_, testUrl_;
    QStringList testModels_;
    QList<ModelEntry> testEntries_;
    QString keyLocation_, saveError_;
    QString lastSavedId_;
    bool keyInFile_ = false;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // callbacks check it
};
