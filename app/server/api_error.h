// OpenAI-shaped API errors: {"error":{"message","type","param","code"}} with
// the HTTP status that goes with them (openai-server.md §7.3). Handlers
// return these as values; one place turns them into bytes.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <utility>
#include <variant>

namespace facet::server {

struct ApiError {
    int status = 400;
    QString type = QStringLiteral("invalid_request_error");
    QString code;        // empty → null
    QString param;       // empty → null
    QString message;
    QJsonObject extra;   // added beside message/type (llama.cpp-style n_prompt_tokens, n_ctx)
    int retryAfterSeconds = 0;  // > 0: a Retry-After header goes with it
};

// 400 invalid_request_error / invalid_value, naming the parameter.
ApiError invalidValue(const QString& param, const QString& message);
// 400 unsupported_parameter: a feature this server does not implement (never silently ignored).
ApiError unsupportedParameter(const QString& param, const QString& message);
ApiError modelNotFound(const QString& model);
ApiError contextLengthExceeded(int promptTokens, int contextSize);
ApiError queueFull(int retryAfterSeconds);
ApiError serverError(const QString& message);  // 500 server_error
ApiError noModelLoaded();  // 503 unavailable_error / model_not_loaded (the app between models)

QJsonObject errorObject(const ApiError& e);  // the inner {"message",...}
QByteArray errorBody(const ApiError& e);     // {"error":{...}} as compact JSON

// A value or the API error that stops the request.
template <typename T>
class ApiResult {
public:
    ApiResult(T value) : v_(std::move(value)) {}
    ApiResult(ApiError error) : v_(std::move(error)) {}
    bool ok() const { return v_.index() == 0; }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    const ApiError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, ApiError> v_;
};

}  // namespace facet::server
