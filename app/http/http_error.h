// An HTTP-level refusal as a value: the status plus the OpenAI error fields
// (openai-server.md §7.3) its JSON body carries.
#pragma once

#include <QByteArray>
#include <QString>

namespace facet::http {

struct HttpError {
    int status = 400;
    QByteArray type;  // "invalid_request_error", "authentication_error", ...
    QByteArray code;  // "request_too_large", "invalid_api_key", ...
    QString message;  // one line for the client

    // {"error":{"message":...,"type":...,"param":null,"code":...}}
    QByteArray jsonBody() const;
};

HttpError badRequest(const QString& message);

}  // namespace facet::http
