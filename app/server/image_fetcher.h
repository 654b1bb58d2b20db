// Fetches the pictures a chat request names by http(s) address, when the
// server's owner allowed that (facet-cli serve --allow-image-urls): one GET
// after another on the server's thread, never blocking it, each bounded
// (20 MiB, 20 s, 3 redirects, http(s) only) and decoded as a data URL's
// bytes are (openai_images.h). The owner is a QObject that outlives the
// fetch or deletes it; a responder that disconnects ends it early.
#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "api_error.h"
#include "openai_request.h"

namespace facet::server {

class ImageFetcher : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kMaxBytes = 20LL << 20;
    static constexpr int kTimeoutMs = 20000;

    // `done` gets the pictures in the order of `urls`, or the first error.
    using Done = std::function<void(std::vector<std::shared_ptr<const ChatImage>>, std::optional<ApiError>)>;
    ImageFetcher(QNetworkAccessManager& network, std::vector<ImageUrl> urls, Done done, QObject* parent);
    void start();

private:
    void next();
    void finish(std::optional<ApiError> error);

    QNetworkAccessManager& network_;
    std::vector<ImageUrl> urls_;
    std::vector<std::shared_ptr<const ChatImage>> images_;
    Done done_;
};

}  // namespace facet::server
