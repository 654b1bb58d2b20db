#include "api_error.h"

#include <QJsonDocument>

namespace facet::server {

ApiError invalidValue(const QString& param, const QString& message) {
    return ApiError{400, QStringLiteral("invalid_request_error"), QStringLiteral("invalid_value"), param, message, {}, 0};
}

ApiError unsupportedParameter(const QString& param, const QString& message) {
    return ApiError{400, QStringLiteral("invalid_request_error"), QStringLiteral("unsupported_parameter"), param,
                    message, {}, 0};
}

ApiError modelNotFound(const QString& model) {
    return ApiError{404, QStringLiteral("not_found_error"), QStringLiteral("model_not_found"), QStringLiteral("model"),
                    QStringLiteral("The model '%1' does not exist").arg(model), {}, 0};
}

ApiError contextLengthExceeded(int promptTokens, int contextSize) {
    ApiError e{400, QStringLiteral("invalid_request_error"), QStringLiteral("context_length_exceeded"),
               QStringLiteral("messages"),
               QStringLiteral("This model's maximum context length is %1 tokens. However, your messages resulted in "
                              "%2 tokens.")
                   .arg(contextSize)
                   .arg(promptTokens),
               {}, 0};
    e.extra.insert(QStringLiteral("n_prompt_tokens"), promptTokens);
    e.extra.insert(QStringLiteral("n_ctx"), contextSize);
    return e;
}

ApiError queueFull(int retryAfterSeconds) {
    return ApiError{429, QStringLiteral("rate_limit_error"), QStringLiteral("queue_full"), {},
                    QStringLiteral("The server is busy: too many requests are waiting. Retry later."), {},
                    retryAfterSeconds};
}

ApiError serverError(const QString& message) {
    return ApiError{500, QStringLiteral("server_error"), QStringLiteral("server_error"), {}, message, {}, 0};
}

ApiError noModelLoaded() {
    return ApiError{503, QStringLiteral("unavailable_error"), QStringLiteral("model_not_loaded"), {},
                    QStringLiteral("no model is loaded in Facet"), {}, 0};
}

QJsonObject errorObject(const ApiError& e) {
    QJsonObject o = e.extra;
    o.insert(QStringLiteral("message"), e.message);
    o.insert(QStringLiteral("type"), e.type);
    o.insert(QStringLiteral("param"), e.param.isEmpty() ? QJsonValue() : QJsonValue(e.param));
    o.insert(QStringLiteral("code"), e.code.isEmpty() ? QJsonValue() : QJsonValue(e.code));
    return o;
}

QByteArray errorBody(const ApiError& e) {
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), errorObject(e)}}).toJson(QJsonDocument::Compact);
}

}  // namespace facet::server
