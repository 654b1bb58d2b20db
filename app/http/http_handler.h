// The contract between Facet's HTTP/1.1 server (app/http, facet_http) and
// what serves requests on it (the OpenAI-compatible API in app/server). The
// server owns sockets, parsing, limits, timeouts, Host/CORS/auth checks and
// framing; a handler sees one parsed request and answers through a responder.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>

#include <functional>

namespace facet::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct HttpRequest {
    QByteArray method;  // "GET", "POST", ...
    QByteArray path;    // decoded path without the query: "/v1/chat/completions"
    QByteArray query;   // after '?', raw; may be empty
    HeaderList headers; // as received (names keep their case)
    QByteArray body;    // whole body (Content-Length or de-chunked)
    QHostAddress peer;

    // First header with this name, compared case-insensitively; empty when absent.
    QByteArray header(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
        return {};
    }
};

// One request's answer. Lives on the server's thread: call it there (marshal
// with QMetaObject::invokeMethod from an engine thread). Exactly one of
// send() or beginStream()…end() per request; calls after the client left
// are ignored, and isOpen() says so.
// Lifetime: the server creates it per request and deletes it (deleteLater)
// once its response is finished by send() or end() — also when the client
// left first, so a handler that saw disconnected() still calls end() to free
// it. Until then the pointer stays valid; unfinished ones die with the server.
class HttpResponder : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~HttpResponder() override = default;

    // A whole response with Content-Length.
    virtual void send(int status, const HeaderList& headers, const QByteArray& body) = 0;
    // Status line and headers now (Transfer-Encoding: chunked), then write() chunks, then end().
    virtual void beginStream(int status, const HeaderList& headers) = 0;
    virtual void write(const QByteArray& data) = 0;
    virtual void end() = 0;
    virtual bool isOpen() const = 0;

signals:
    // The client closed the connection (or it was dropped) before end(): stop the work for it.
    void disconnected();
};

// Called on the server's thread once per request that passed the server's
// own checks (size limits, Host, CORS preflight, API key).
using HttpHandler = std::function<void(const HttpRequest& request, HttpResponder* responder)>;

}  // namespace facet::http
