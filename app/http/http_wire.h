// Response bytes on the wire (RFC 9112 §4, §7.1): the status line, headers
// with the server's own framing fields, and chunks.
#pragma once

#include "http_handler.h"

namespace facet::http {

enum class Framing {
    ContentLength,  // send(): the whole body, its length known
    Chunked,        // beginStream() on HTTP/1.1
    UntilClose,     // beginStream() on HTTP/1.0: the body ends when the connection closes
    NoBody,         // 1xx, 204, 304
};

// Statuses whose responses never carry a body (RFC 9110 §6.4.1).
bool statusHasNoBody(int status);

const char* reasonPhrase(int status);

// "HTTP/1.1 200 OK\r\n" + headers + framing + Connection + "\r\n". The
// handler's own Content-Length, Transfer-Encoding and Connection fields are
// dropped (the server frames), as is any field holding CR, LF or NUL (no
// response splitting).
QByteArray responseHead(int status, const HeaderList& headers, Framing framing, qint64 contentLength,
                        bool keepAlive, bool http10);

// One chunk: hex size CRLF data CRLF. Empty data is not a chunk (that would end the body).
QByteArray chunk(QByteArrayView data);
inline constexpr QByteArrayView kLastChunk = "0\r\n\r\n";

}  // namespace facet::http
