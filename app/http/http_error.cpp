#include "http_error.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace facet::http {

QByteArray HttpError::jsonBody() const {
    QJsonObject error{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), QString::fromLatin1(type)},
        {QStringLiteral("param"), QJsonValue::Null},
        {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                : QJsonValue(QString::fromLatin1(code))},
    };
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

HttpError badRequest(const QString& message) {
    return {400, "invalid_request_error", "bad_request", message};
}

}  // namespace facet::http
