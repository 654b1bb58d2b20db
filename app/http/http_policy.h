// The server's own checks on a parsed request (openai-server.md §7.4), pure
// functions so tests can call them directly: the Host allow-list against DNS
// rebinding, the API key, and CORS (off unless origins are listed).
#pragma once

#include "http_error.h"
#include "http_handler.h"

#include <optional>

namespace facet::http {

// Host header value (with or without port) naming this server: localhost,
// *.localhost, 127.0.0.0/8, [::1], the address the client connected to,
// and `extraNames` (exact, or "*.example.org" for any subdomain).
bool hostAllowed(QByteArrayView host, const QHostAddress& localAddress,
                 const QList<QByteArray>& extraNames);

// Equal bytes, in time that depends on the lengths only.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// Nothing when `apiKey` is empty, the path is open, or the request carries the
// key as "Authorization: Bearer KEY" or "X-Api-Key: KEY"; else the 401.
std::optional<HttpError> checkApiKey(const HttpRequest& request, const QByteArray& apiKey,
                                     const QList<QByteArray>& openPaths);

struct CorsDecision {
    HeaderList headers;  // to add to whatever answers this request
    bool preflight = false;  // an allowed preflight: answer 204 with `headers`, no auth, no handler
    std::optional<HttpError> error;  // a preflight asking for malformed header names
};

// CORS off (`allowedOrigins` empty): no headers at all. On: "Vary: Origin"
// always, the exact origin echoed when listed, preflights from listed
// origins answered by the server.
CorsDecision corsFor(const HttpRequest& request, const QList<QByteArray>& allowedOrigins);

}  // namespace facet::http
