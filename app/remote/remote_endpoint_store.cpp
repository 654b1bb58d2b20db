#include "remote_endpoint_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSaveFile>
#include <QUuid>

namespace {
const QString kPrefix = QStringLiteral("remote:");
}

QString remoteModelKey(const QString& endpointId, const QString& modelId) { return kPrefix + endpointId + '/' + modelId; }

bool isRemoteModelKey(const QString& key) { return key.startsWith(kPrefix); }

bool splitRemoteModelKey(const QString& key, QString* endpointId, QString* modelId) {
    if (!isRemoteModelKey(key)) return false;
    const qsizetype slash = key.indexOf('/', kPrefix.size());
    if (slash < 0 || slash + 1 >= key.size()) return false;
    *endpointId = key.mid(kPrefix.size(), slash - kPrefix.size());
    *modelId = key.mid(slash + 1);
    return !endpointId->isEmpty();
}

bool RemoteEndpointStore::load(QString* error) {
    endpoints_.clear();
    QFile f(file_);
    if (!f.exists()) return true;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("Could not read %1: %2").arg(file_, f.errorString());
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        *error = QObject::tr("%1 is not valid JSON: %2").arg(file_, pe.errorString());
        return false;
    }
    for (const QJsonValue& v : doc.object().value("servers").toArray()) {
        const QJsonObject o = v.toObject();
        RemoteEndpoint e;
        e.id = o.value("id").toString();
        e.name = o.value("name").toString();
        e.baseUrl = QUrl(o.value("baseUrl").toString());
        e.allowInsecure = o.value("allowInsecure").toBool();
        e.keyLocation = o.value("keyLocation").toString();
        for (const QJsonValue& m : o.value("models").toArray())
            e.models.push_back({m.toObject().value("id").toString(), m.toObject().value("contextLength").toInt()});
        if (!e.id.isEmpty() && e.baseUrl.isValid()) endpoints_.push_back(e);
    }
    return true;
}

bool RemoteEndpointStore::save(QString* error) const {
    QJsonArray servers;
    for (const RemoteEndpoint& e : endpoints_) {
        QJsonArray models;
        for (const ModelEntry& m : e.models) models.push_back(QJsonObject{{"id", m.id}, {"contextLength", m.contextLength}});
        servers.push_back(QJsonObject{{"id", e.id},
                                      {"name", e.name},
                                      {"baseUrl", e.baseUrl.toString()},
                                      {"allowInsecure", e.allowInsecure},
                                      {"keyLocation", e.keyLocation},
                                      {"models", models}});
    }
    QDir().mkpath(QFileInfo(file_).absolutePath());
    QSaveFile f(file_);
    if (!f.open(QIODevice::WriteOnly)) {
        *error = QObject::tr("Could not write %1: %2").arg(file_, f.errorString());
        return false;
    }
    f.write(QJsonDocument(QJsonObject{{"servers", servers}}).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        *error = QObject::tr("Could not write %1: %2").arg(file_, f.errorString());
        return false;
    }
    return true;
}

const RemoteEndpoint* RemoteEndpointStore::find(const QString& id) const {
    for (const RemoteEndpoint& e : endpoints_)
        if (e.id == id) return &e;
    return nullptr;
}

QString RemoteEndpointStore::upsert(RemoteEndpoint e) {
    if (e.id.isEmpty()) e.id = QUuid::createUuid().toString(QUuid::Id128).left(12);
    for (RemoteEndpoint& old : endpoints_)
        if (old.id == e.id) {
            old = e;
            return e.id;
        }
    endpoints_.push_back(e);
    return e.id;
}

bool RemoteEndpointStore::remove(const QString& id) {
    return endpoints_.removeIf([&](const RemoteEndpoint& e) { return e.id == id; }) > 0;
}
