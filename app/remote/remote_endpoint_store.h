// RemoteEndpointStore: the remote OpenAI-compatible servers the user added,
// kept in <dataDir>/remote-servers.json: id, name, normalized base URL,
// whether plain http to another host was confirmed, and the models the
// server listed last. API keys are never in this file: they live in a
// SecretStore under the endpoint's id.
#pragma once

#include <QList>
#include <QString>
#include <QUrl>

#include "openai_chunk.h"

struct RemoteEndpoint {
    QString id;  // stable: the secret store's key and part of "remote:<id>/<model>"
    QString name;
    QUrl baseUrl;
    bool allowInsecure = false;
    QString keyLocation;  // where the key went when saved ("" = no key), shown in the UI
    QList<ModelEntry> models;
};

class RemoteEndpointStore {
public:
    explicit RemoteEndpointStore(const QString& file) : file_(file) {}

    // Reads the file; error says why it could not (a missing file is no error).
    bool load(QString* error);
    bool save(QString* error) const;  // atomically

    const QList<RemoteEndpoint>& endpoints() const { return endpoints_; }
    const RemoteEndpoint* find(const QString& id) const;
    // Adds `e` (a new id when e.id is empty) or replaces the endpoint with its id; returns the id.
    QString upsert(RemoteEndpoint e);
    bool remove(const QString& id);
    QString file() const { return file_; }

private:
    QString file_;
    QList<RemoteEndpoint> endpoints_;
};

// "remote:<endpointId>/<modelId>": the model key ChatController loads.
// The model id may itself contain "/" (e.g. "google/gemma-4-e4b-it").
QString remoteModelKey(const QString& endpointId, const QString& modelId);
bool isRemoteModelKey(const QString& key);
// Splits a key; false when it is not one.
bool splitRemoteModelKey(const QString& key, QString* endpointId, QString* modelId);
