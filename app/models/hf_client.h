// The few Hugging Face Hub API calls the model manager needs: search model
// repositories, list a repository's files with sizes and LFS sha256, and the
// URL a file downloads from. The endpoint is https://huggingface.co, or
// FACET_HF_ENDPOINT (tests point it at a local server; plain http is allowed
// only for 127.0.0.1 / localhost). A token, when set, goes only to the endpoint.
#pragma once

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QUrl>
#include <functional>

struct HfRepo {
    QString id;  // "owner/name"
    qint64 downloads = 0, likes = 0;
    QString updated;
};

struct HfFile {
    QString path;
    qint64 size = 0;
    QString sha256;  // the LFS object id; empty for small files kept in git
};

class HfClient : public QObject {
    Q_OBJECT
public:
    explicit HfClient(QObject* parent = nullptr);

    QUrl endpoint() const { return endpoint_; }
    void setEndpoint(const QUrl& url) { endpoint_ = url; }
    void setToken(const QString& token) { token_ = token; }
    QString token() const { return token_; }
    // An error text when `url` may not be fetched (plain http off localhost).
    static QString refuseReason(const QUrl& url);

    // Model repositories matching `text` with GGUF files, most downloaded first.
    void search(const QString& text, std::function<void(QList<HfRepo>, QString error)> done);
    // Every file of `repo` at main (recursively), with sizes and LFS sha256.
    void listFiles(const QString& repo, std::function<void(QList<HfFile>, QString error)> done);
    QUrl fileUrl(const QString& repo, const QString& path) const;

private:
    void get(const QUrl& url, std::function<void(QByteArray body, QString error)> done);
    QNetworkAccessManager net_;
    QUrl endpoint_;
    QString token_;
};
