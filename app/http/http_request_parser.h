// Incremental HTTP/1.1 request parser (RFC 9112): fed arbitrary byte slices,
// it yields whole requests in order (pipelining) or one clean error. No
// sockets, so tests split and fuzz it. Every size is bounded before it is
// buffered: the header block (431), the body from Content-Length alone or as
// chunks arrive (413), a chunk-size line (400).
#pragma once

#include "http_error.h"
#include "http_handler.h"

#include <QByteArrayView>

#include <optional>
#include <variant>

namespace facet::http {

struct HttpLimits {
    qint64 maxHeaderBytes = 64 * 1024;  // request line + header fields (also trailers)
    int maxHeaderFields = 100;
    qint64 maxBodyBytes = 32LL << 20;
};

struct ParsedRequest {
    HttpRequest request;  // peer left empty: the connection knows it
    bool keepAlive = true;  // 1.1 unless "Connection: close"; 1.0 only with "keep-alive"
    bool http10 = false;
};

// What next() found: nothing whole yet, a request, or an error (sticky: the
// parser stops; the connection answers it and closes).
using ParseOutcome = std::variant<std::monostate, ParsedRequest, HttpError>;

class HttpRequestParser {
public:
    explicit HttpRequestParser(HttpLimits limits = {});

    void feed(QByteArrayView bytes);
    ParseOutcome next();

    bool failed() const { return m_phase == Phase::Failed; }
    // Bytes of a request that is not complete yet are buffered.
    bool hasPartialRequest() const;
    // The current request's header is complete; its body is still arriving.
    bool readingBody() const;
    // The current request asked for "Expect: 100-continue" and its body has
    // not arrived; true once per request (the connection answers 100).
    bool takeContinueRequest();

private:
    enum class Phase { Header, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, Trailer, Failed };

    std::optional<HttpError> parseHead();
    std::optional<HttpError> stepHeader(bool* progressed);
    std::optional<HttpError> stepBody(bool* progressed);
    std::optional<QByteArray> takeLine(qint64 maxBytes, bool* tooLong);
    ParseOutcome fail(HttpError error);
    ParsedRequest finish();

    HttpLimits m_limits;
    Phase m_phase = Phase::Header;
    QByteArray m_buf;
    qsizetype m_pos = 0;          // first unconsumed byte of m_buf
    qsizetype m_scan = 0;         // where the search for the next '\n' resumes
    qint64 m_headBytes = 0;       // header (or trailer) bytes of this request so far
    QList<QByteArray> m_lines;    // request line and field lines, CRLF stripped
    ParsedRequest m_current;
    qint64 m_bodyLeft = 0;        // FixedBody: bytes to come; ChunkData: bytes of this chunk
    bool m_wantsContinue = false;
    HttpError m_error;
};

}  // namespace facet::http
