// A responder in front of the server's own: the API answers through it, it
// passes every call on and notes the status, so the request log sees each
// answer whichever route sent it. It is a child of the real responder, so
// it dies with it; the entry is reported once, when the answer is complete
// or the client leaves first (status 499).
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <functional>

#include "http_handler.h"
#include "request_log_model.h"

class LoggedResponder final : public facet::http::HttpResponder {
    Q_OBJECT
public:
    using Report = std::function<void(const RequestLogEntry&)>;
    LoggedResponder(const facet::http::HttpRequest& request, facet::http::HttpResponder* target, Report report);

    void send(int status, const facet::http::HeaderList& headers, const QByteArray& body) override;
    void beginStream(int status, const facet::http::HeaderList& headers) override;
    void write(const QByteArray& data) override;
    void end() override;
    bool isOpen() const override;

    // The API's usage for this request (OpenAiApi::generationFinished), before its answer.
    void noteUsage(int promptTokens, int completionTokens, double engineSeconds);

private:
    void complete(int status);

    QPointer<facet::http::HttpResponder> target_;
    Report report_;
    RequestLogEntry entry_;
    QElapsedTimer clock_;
    bool reported_ = false;
};
