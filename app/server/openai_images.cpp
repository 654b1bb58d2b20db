#include "openai_images.h"

#include "image_loader.h"
#include "runtime/image_encoder.h"

namespace facet::server {

namespace {

// HF's smallest budget, for "low" (Gemma's documentation: quick classification).
constexpr int kImageTokensLow = 70;

}  // namespace

ApiResult<std::shared_ptr<const ChatImage>> decodeImageBytes(const QByteArray& bytes, int maxTokens,
                                                             const QString& param) {
    auto rgb = loadImageData(bytes);
    if (!rgb.ok()) return invalidValue(param, QStringLiteral("The picture cannot be used: %1").arg(QString::fromStdString(rgb.message())));
    return makeChatImage(std::move(rgb).value(), maxTokens);
}

ApiResult<ImagePart> readImagePart(const QJsonObject& part, const QString& param) {
    const QJsonValue iu = part.value(QLatin1String("image_url"));
    // {"image_url": "..."} (a bare string) is accepted too, as several clients send it.
    const QJsonObject obj = iu.isObject() ? iu.toObject() : QJsonObject{{QStringLiteral("url"), iu}};
    const QString urlParam = param + QStringLiteral(".image_url.url");
    if (!obj.value(QLatin1String("url")).isString())
        return invalidValue(urlParam, QStringLiteral("An image_url part needs an 'image_url' object with a 'url' string"));
    ImagePart out;
    out.param = urlParam;
    const QJsonValue detail = obj.value(QLatin1String("detail"));
    if (!detail.isUndefined() && !detail.isNull()) {
        const QString d = detail.toString();
        if (d == QLatin1String("low")) out.maxTokens = kImageTokensLow;
        else if (d == QLatin1String("high")) out.maxTokens = kImageTokensDetailed;
        else if (d != QLatin1String("auto"))
            return invalidValue(param + QStringLiteral(".image_url.detail"),
                                QStringLiteral("'detail' must be auto, low or high"));
    }
    const QString url = obj.value(QLatin1String("url")).toString();
    if (url.startsWith(QLatin1String("data:"), Qt::CaseInsensitive)) {
        // data:[<media type>][;base64],<data>: pictures come base64-encoded.
        const int comma = url.indexOf(QLatin1Char(','));
        if (comma < 0 || !url.left(comma).endsWith(QLatin1String(";base64"), Qt::CaseInsensitive))
            return invalidValue(urlParam, QStringLiteral("A data URL must be base64-encoded (data:image/png;base64,...)"));
        const auto decoded = QByteArray::fromBase64Encoding(url.mid(comma + 1).toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.isEmpty())
            return invalidValue(urlParam, QStringLiteral("The data URL's base64 is invalid or empty"));
        auto image = decodeImageBytes(decoded.decoded, out.maxTokens, urlParam);
        if (!image.ok()) return image.error();
        out.image = image.value();
        return out;
    }
    if (url.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
        url.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)) {
        out.url = url;
        return out;
    }
    return invalidValue(urlParam, QStringLiteral("The image URL must be a base64 data URL or an http(s) address"));
}

}  // namespace facet::server
