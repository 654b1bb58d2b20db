#include "image_fetcher.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace facet::server {

ImageFetcher::ImageFetcher(QNetworkAccessManager& network, std::vector<ImageUrl> urls, Done done, QObject* parent)
    : QObject(parent), network_(network), urls_(std::move(urls)), done_(std::move(done)) {}

void ImageFetcher::start() { next(); }

void ImageFetcher::finish(std::optional<ApiError> error) {
    Done done = std::move(done_);
    done_ = nullptr;
    deleteLater();
    if (done) done(error ? std::vector<std::shared_ptr<const ChatImage>>{} : std::move(images_), std::move(error));
}

void ImageFetcher::next() {
    if (images_.size() == urls_.size()) return finish(std::nullopt);
    const ImageUrl& u = urls_[images_.size()];
    const QString param = u.param;
    QNetworkRequest request{QUrl(u.url)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(3);
    request.setTransferTimeout(kTimeoutMs);
    QNetworkReply* reply = network_.get(request);
    reply->setParent(this);
    auto fail = [this, param, reply](const QString& why) {
        reply->disconnect(this);
        reply->abort();
        finish(invalidValue(param, why));
    };
    connect(reply, &QNetworkReply::downloadProgress, this, [fail](qint64 received, qint64 total) {
        if (received > kMaxBytes || total > kMaxBytes)
            fail(QStringLiteral("The picture at this address is larger than %1 MiB").arg(kMaxBytes >> 20));
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, param, maxTokens = u.maxTokens, url = u.url] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString scheme = reply->url().scheme();
        if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
            return finish(invalidValue(param, QStringLiteral("The picture's address led outside http(s)")));
        if (reply->error() != QNetworkReply::NoError || status < 200 || status >= 300)
            return finish(invalidValue(param, QStringLiteral("Fetching the picture at %1 failed: %2")
                                                  .arg(url, reply->error() != QNetworkReply::NoError
                                                                ? reply->errorString()
                                                                : QStringLiteral("HTTP %1").arg(status))));
        auto image = decodeImageBytes(reply->readAll(), maxTokens, param);
        if (!image.ok()) return finish(image.error());
        images_.push_back(image.value());
        next();
    });
}

}  // namespace facet::server
