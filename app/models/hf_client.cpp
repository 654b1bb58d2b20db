#include "hf_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

#include "file_download.h"

HfClient::HfClient(QObject* parent) : QObject(parent) {
    const QString env = qEnvironmentVariable("FACET_HF_ENDPOINT");
    endpoint_ = QUrl(env.isEmpty() ? QStringLiteral("https://huggingface.co") : env);
}

QString HfClient::refuseReason(const QUrl& url) { return FileDownload::urlProblem(url); }

void HfClient::get(const QUrl& url, std::function<void(QByteArray, QString)> done) {
    if (const QString why = refuseReason(url); !why.isEmpty()) {
        done({}, why);
        return;
    }
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    req.setTransferTimeout(30000);
    req.setRawHeader("Accept", "application/json");
    if (!token_.isEmpty() && url.host() == endpoint_.host()) req.setRawHeader("Authorization", "Bearer " + token_.toUtf8());
    QNetworkReply* reply = net_.get(req);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status >= 400) {
            QString why = status == 401 || status == 403
                              ? tr("the repository is gated or private: add a Hugging Face token in the settings")
                          : status == 404 ? tr("not found on Hugging Face")
                                          : reply->errorString();
            done({}, tr("%1 (%2)").arg(why, reply->url().toString()));
            return;
        }
        done(reply->readAll(), {});
    });
}

void HfClient::search(const QString& text, std::function<void(QList<HfRepo>, QString)> done) {
    QUrl url = endpoint_;
    url.setPath("/api/models");
    QUrlQuery q;
    q.addQueryItem("search", text.trimmed().isEmpty() ? QStringLiteral("gemma-4") : text.trimmed());
    q.addQueryItem("filter", "gguf");
    q.addQueryItem("sort", "downloads");
    q.addQueryItem("direction", "-1");
    q.addQueryItem("limit", "50");
    url.setQuery(q);
    get(url, [done = std::move(done)](const QByteArray& body, const QString& error) {
        if (!error.isEmpty()) return done({}, error);
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (!doc.isArray()) return done({}, tr("unexpected answer from the Hugging Face search"));
        QList<HfRepo> out;
        for (const QJsonValue& v : doc.array()) {
            const QJsonObject o = v.toObject();
            HfRepo r;
            r.id = o.value("id").toString(o.value("modelId").toString());
            r.downloads = o.value("downloads").toInteger();
            r.likes = o.value("likes").toInteger();
            r.updated = o.value("lastModified").toString();
            if (!r.id.isEmpty()) out << r;
        }
        done(out, {});
    });
}

void HfClient::listFiles(const QString& repo, std::function<void(QList<HfFile>, QString)> done) {
    if (!repo.contains('/') || repo.contains("..") || repo.startsWith('/')) {
        done({}, tr("not a repository name: %1 (expected owner/name)").arg(repo));
        return;
    }
    QUrl url = endpoint_;
    url.setPath("/api/models/" + repo + "/tree/main");
    url.setQuery("recursive=true");
    get(url, [done = std::move(done)](const QByteArray& body, const QString& error) {
        if (!error.isEmpty()) return done({}, error);
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (!doc.isArray()) return done({}, tr("unexpected answer from the Hugging Face file list"));
        QList<HfFile> out;
        for (const QJsonValue& v : doc.array()) {
            const QJsonObject o = v.toObject();
            if (o.value("type").toString() != "file") continue;
            HfFile f;
            f.path = o.value("path").toString();
            f.size = o.value("size").toInteger();
            const QJsonObject lfs = o.value("lfs").toObject();
            if (!lfs.isEmpty()) {
                f.sha256 = lfs.value("oid").toString().toLower();
                f.size = lfs.value("size").toInteger(f.size);
            }
            // Paths come from the network: nothing that could leave the target folder.
            if (f.path.isEmpty() || f.path.startsWith('/') || f.path.split('/').contains(".."))
                continue;
            out << f;
        }
        done(out, {});
    });
}

QUrl HfClient::fileUrl(const QString& repo, const QString& path) const {
    QUrl url = endpoint_;
    url.setPath("/" + repo + "/resolve/main/" + path);
    return url;
}
