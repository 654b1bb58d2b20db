// Pictures in chat requests (OpenAI's image_url content parts): a base64
// data URL is decoded here with the app's picture decoder (hostile files
// refused, app/vision/image_loader.h); an http(s) URL is only noted, for the
// server to fetch when its owner allowed that (ImageFetcher) and to refuse
// otherwise. "detail" sets the picture's soft-token budget: low 70, high
// 1120, auto the model's default (280).
#pragma once

#include <QJsonObject>
#include <QString>
#include <memory>

#include "api_error.h"
#include "chat/chat_image.h"

namespace facet::server {

struct ImagePart {
    std::shared_ptr<const ChatImage> image;  // decoded (a data URL); null while `url` waits to be fetched
    QString url;                             // http(s) address to fetch
    int maxTokens = 0;                       // from "detail"; 0 = the model's default
    QString param;                           // "messages[0].content[1].image_url.url", for errors
};

// One {"type":"image_url","image_url":{"url":…,"detail":…}} part; `param`
// names it in errors ("messages[0].content[1]").
ApiResult<ImagePart> readImagePart(const QJsonObject& part, const QString& param);

// Decodes fetched or inlined picture bytes into a ChatImage (errors name `param`).
ApiResult<std::shared_ptr<const ChatImage>> decodeImageBytes(const QByteArray& bytes, int maxTokens,
                                                             const QString& param);

}  // namespace facet::server
