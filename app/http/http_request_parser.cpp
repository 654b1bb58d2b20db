#include "http_request_parser.h"

namespace facet::http {

namespace {

constexpr qint64 kMaxChunkSizeLine = 4096;  // hex size + extensions; RFC 9112 §7.1 sets none

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s) {
    if (s.isEmpty()) return false;
    for (char c : s)
        if (!isTokenChar(c)) return false;
    return true;
}

// Field values may hold HTAB, visible ASCII, SP and obs-text; any other
// control byte (a bare CR above all) is how smuggling starts.
bool isFieldValue(QByteArrayView s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    return true;
}

QByteArray trimmedOws(QByteArrayView s) {
    qsizetype b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return s.sliced(b, e - b).toByteArray();
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decodes a path; nullopt on a broken escape or a decoded NUL.
std::optional<QByteArray> decodePath(QByteArrayView raw) {
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            out.append(raw[i]);
            continue;
        }
        if (i + 2 >= raw.size()) return std::nullopt;
        const int hi = hexValue(raw[i + 1]), lo = hexValue(raw[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;
        out.append(char(hi * 16 + lo));
        i += 2;
    }
    return out;
}

// Comma-separated tokens of a Connection field, lower-cased.
bool hasConnectionToken(const HttpRequest& r, QByteArrayView token) {
    for (const auto& h : r.headers) {
        if (h.first.compare("connection", Qt::CaseInsensitive) != 0) continue;
        for (const QByteArray& part : h.second.split(','))
            if (trimmedOws(part).compare(token, Qt::CaseInsensitive) == 0) return true;
    }
    return false;
}

HttpError tooLarge(const QString& message) {
    return {413, "invalid_request_error", "request_too_large", message};
}

HttpError headerTooLarge(const QString& message) {
    return {431, "invalid_request_error", "request_header_fields_too_large", message};
}

}  // namespace

HttpRequestParser::HttpRequestParser(HttpLimits limits) : m_limits(limits) {}

void HttpRequestParser::feed(QByteArrayView bytes) {
    if (m_phase == Phase::Failed) return;
    // Drop what is consumed before growing, so a long keep-alive stream of
    // chunks does not keep it all.
    if (m_pos > 0 && m_pos >= m_buf.size() / 2) {
        m_buf.remove(0, m_pos);
        m_scan -= m_pos;
        m_pos = 0;
    }
    m_buf.append(bytes);
}

bool HttpRequestParser::hasPartialRequest() const {
    return m_phase != Phase::Header || m_buf.size() > m_pos || m_headBytes > 0;
}

bool HttpRequestParser::readingBody() const {
    return m_phase != Phase::Header && m_phase != Phase::Failed;
}

bool HttpRequestParser::takeContinueRequest() {
    const bool wants = m_wantsContinue;
    m_wantsContinue = false;
    return wants;
}

ParseOutcome HttpRequestParser::fail(HttpError error) {
    m_phase = Phase::Failed;
    m_error = std::move(error);
    m_buf.clear();
    m_pos = m_scan = 0;
    return m_error;
}

std::optional<QByteArray> HttpRequestParser::takeLine(qint64 maxBytes, bool* tooLong) {
    const qsizetype nl = m_buf.indexOf('\n', std::max(m_scan, m_pos));
    if (nl < 0) {
        m_scan = m_buf.size();
        *tooLong = m_buf.size() - m_pos > maxBytes;
        return std::nullopt;
    }
    const qsizetype length = nl - m_pos;
    if (length + 1 > maxBytes) {
        *tooLong = true;
        return std::nullopt;
    }
    QByteArray line = m_buf.mid(m_pos, length);
    if (line.endsWith('\r')) line.chop(1);
    m_pos = nl + 1;
    m_scan = m_pos;
    return line;
}

ParseOutcome HttpRequestParser::next() {
    if (m_phase == Phase::Failed) return m_error;
    for (;;) {
        bool progressed = false;
        const bool header = m_phase == Phase::Header;
        std::optional<HttpError> error = header ? stepHeader(&progressed) : stepBody(&progressed);
        if (error) return fail(std::move(*error));
        if (m_phase == Phase::Header && !header) return finish();  // body just completed
        if (!progressed) return std::monostate{};
    }
}

std::optional<HttpError> HttpRequestParser::stepHeader(bool* progressed) {
    bool tooLong = false;
    const qint64 room = m_limits.maxHeaderBytes - m_headBytes;
    std::optional<QByteArray> line = takeLine(room, &tooLong);
    if (tooLong)
        return headerTooLarge(QStringLiteral("request header is larger than %1 bytes")
                                  .arg(m_limits.maxHeaderBytes));
    if (!line) return std::nullopt;
    *progressed = true;
    m_headBytes += line->size() + 1;
    if (!line->isEmpty()) {
        if (m_lines.size() > m_limits.maxHeaderFields)
            return headerTooLarge(QStringLiteral("more than %1 header fields").arg(m_limits.maxHeaderFields));
        m_lines.append(*line);
        return std::nullopt;
    }
    if (m_lines.isEmpty()) return std::nullopt;  // RFC 9112 §2.2: blank lines before a request are ignored
    return parseHead();
}

std::optional<HttpError> HttpRequestParser::parseHead() {
    ParsedRequest& p = m_current;
    HttpRequest& r = p.request;

    // Request line: method SP target SP version, single spaces (RFC 9112 §3).
    const QList<QByteArray> parts = m_lines.first().split(' ');
    if (parts.size() != 3) return badRequest(QStringLiteral("malformed request line"));
    const QByteArray& version = parts[2];
    if (version == "HTTP/1.1") {
        p.http10 = false;
    } else if (version == "HTTP/1.0") {
        p.http10 = true;
    } else if (version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.' &&
               version[5] >= '0' && version[5] <= '9' && version[7] >= '0' && version[7] <= '9') {
        return HttpError{505, "invalid_request_error", "http_version_not_supported",
                         QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported")};
    } else {
        return badRequest(QStringLiteral("malformed HTTP version"));
    }
    if (!isToken(parts[0])) return badRequest(QStringLiteral("malformed method"));
    r.method = parts[0];

    QByteArray target = parts[1];
    if (target.isEmpty() || !isFieldValue(target) || target.contains('\t'))
        return badRequest(QStringLiteral("malformed request target"));
    if (target.startsWith("http://") || target.startsWith("https://")) {  // absolute-form (§3.2.2)
        const qsizetype authority = target.indexOf("//") + 2;
        const qsizetype slash = target.indexOf('/', authority);
        target = slash < 0 ? QByteArray("/") : target.mid(slash);
    }
    if (target == "*") {
        if (r.method != "OPTIONS") return badRequest(QStringLiteral("'*' is only valid for OPTIONS"));
        r.path = target;
    } else {
        if (!target.startsWith('/')) return badRequest(QStringLiteral("request target must start with '/'"));
        const qsizetype q = target.indexOf('?');
        const std::optional<QByteArray> path = decodePath(QByteArrayView(target).first(q < 0 ? target.size() : q));
        if (!path) return badRequest(QStringLiteral("malformed percent-encoding in path"));
        r.path = *path;
        r.query = q < 0 ? QByteArray() : target.mid(q + 1);
    }

    // Field lines: token ':' OWS value OWS; no obs-fold, no space before ':'.
    for (qsizetype i = 1; i < m_lines.size(); ++i) {
        const QByteArray& line = m_lines[i];
        if (line.startsWith(' ') || line.startsWith('\t'))
            return badRequest(QStringLiteral("obsolete line folding is not accepted"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return badRequest(QStringLiteral("malformed header field"));
        QByteArray value = trimmedOws(QByteArrayView(line).sliced(colon + 1));
        if (!isFieldValue(value)) return badRequest(QStringLiteral("control character in header value"));
        r.headers.append({line.left(colon), value});
    }
    m_lines.clear();

    // Framing (RFC 9112 §6): Content-Length or chunked, never both.
    int hosts = 0;
    std::optional<QByteArray> contentLength;
    QByteArray transferEncoding;
    bool hasTransferEncoding = false;
    for (const auto& [name, value] : r.headers) {
        if (name.compare("host", Qt::CaseInsensitive) == 0) ++hosts;
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            if (contentLength && *contentLength != value)
                return badRequest(QStringLiteral("conflicting Content-Length fields"));
            contentLength = value;
        }
        if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            hasTransferEncoding = true;
            if (!transferEncoding.isEmpty()) transferEncoding += ',';
            transferEncoding += value;
        }
    }
    if (hosts > 1 || (hosts == 0 && !p.http10))
        return badRequest(QStringLiteral("exactly one Host header is required"));

    p.keepAlive = p.http10 ? hasConnectionToken(r, "keep-alive") : !hasConnectionToken(r, "close");
    m_wantsContinue = false;
    if (!p.http10)
        for (const auto& [name, value] : r.headers)
            if (name.compare("expect", Qt::CaseInsensitive) == 0 && value.compare("100-continue", Qt::CaseInsensitive) == 0)
                m_wantsContinue = true;

    if (hasTransferEncoding) {
        if (p.http10) return badRequest(QStringLiteral("Transfer-Encoding is not valid in HTTP/1.0"));
        if (contentLength) return badRequest(QStringLiteral("both Content-Length and Transfer-Encoding"));
        // RFC 9112 §6.3: without chunked as the final coding the body length is
        // unknown, which MUST be a 400; codings before chunked are refused alike.
        if (trimmedOws(transferEncoding).compare("chunked", Qt::CaseInsensitive) != 0)
            return HttpError{400, "invalid_request_error", "unsupported_transfer_encoding",
                             QStringLiteral("only Transfer-Encoding: chunked is supported")};
        m_phase = Phase::ChunkSize;
        return std::nullopt;
    }
    qint64 length = 0;
    if (contentLength) {
        const QByteArray& digits = *contentLength;
        if (digits.isEmpty()) return badRequest(QStringLiteral("malformed Content-Length"));
        for (char c : digits)
            if (c < '0' || c > '9') return badRequest(QStringLiteral("malformed Content-Length"));
        if (digits.size() > 18 || (length = digits.toLongLong()) > m_limits.maxBodyBytes)
            return tooLarge(QStringLiteral("request body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
    }
    m_bodyLeft = length;
    m_phase = Phase::FixedBody;
    if (length == 0) m_wantsContinue = false;
    return std::nullopt;
}

std::optional<HttpError> HttpRequestParser::stepBody(bool* progressed) {
    QByteArray& body = m_current.request.body;
    switch (m_phase) {
    case Phase::FixedBody: {
        const qint64 take = std::min<qint64>(m_bodyLeft, m_buf.size() - m_pos);
        if (take > 0) {
            body.append(QByteArrayView(m_buf).sliced(m_pos, take));
            m_pos += take;
            m_bodyLeft -= take;
            m_wantsContinue = false;
        }
        if (m_bodyLeft == 0) {
            m_phase = Phase::Header;
            *progressed = true;
        }
        return std::nullopt;
    }
    case Phase::ChunkSize: {
        bool tooLong = false;
        std::optional<QByteArray> line = takeLine(kMaxChunkSizeLine, &tooLong);
        if (tooLong) return badRequest(QStringLiteral("chunk-size line too long"));
        if (!line) return std::nullopt;
        *progressed = true;
        m_wantsContinue = false;
        const qsizetype semicolon = line->indexOf(';');
        const QByteArray hex = trimmedOws(QByteArrayView(*line).first(semicolon < 0 ? line->size() : semicolon));
        if (hex.isEmpty() || hex.size() > 15) return badRequest(QStringLiteral("malformed chunk size"));
        qint64 size = 0;
        for (char c : hex) {
            const int v = hexValue(c);
            if (v < 0) return badRequest(QStringLiteral("malformed chunk size"));
            size = size * 16 + v;
        }
        if (size > m_limits.maxBodyBytes - body.size())
            return tooLarge(QStringLiteral("request body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
        m_bodyLeft = size;
        m_phase = size == 0 ? Phase::Trailer : Phase::ChunkData;
        if (size == 0) m_headBytes = 0;  // trailers get their own header budget
        return std::nullopt;
    }
    case Phase::ChunkData: {
        const qint64 take = std::min<qint64>(m_bodyLeft, m_buf.size() - m_pos);
        if (take > 0) {
            body.append(QByteArrayView(m_buf).sliced(m_pos, take));
            m_pos += take;
            m_bodyLeft -= take;
        }
        if (m_bodyLeft == 0) {
            m_phase = Phase::ChunkDataEnd;
            *progressed = true;
        }
        return std::nullopt;
    }
    case Phase::ChunkDataEnd: {
        const qsizetype avail = m_buf.size() - m_pos;
        if (avail < 1) return std::nullopt;
        qsizetype eol = 0;
        if (m_buf[m_pos] == '\n') {
            eol = 1;
        } else if (m_buf[m_pos] == '\r') {
            if (avail < 2) return std::nullopt;
            if (m_buf[m_pos + 1] != '\n') return badRequest(QStringLiteral("chunk data not followed by CRLF"));
            eol = 2;
        } else {
            return badRequest(QStringLiteral("chunk data not followed by CRLF"));
        }
        m_pos += eol;
        m_scan = m_pos;
        m_phase = Phase::ChunkSize;
        *progressed = true;
        return std::nullopt;
    }
    case Phase::Trailer: {
        // Trailer fields are read and dropped (RFC 9112 §7.1.2 lets a server discard them).
        bool tooLong = false;
        std::optional<QByteArray> line = takeLine(m_limits.maxHeaderBytes - m_headBytes, &tooLong);
        if (tooLong) return headerTooLarge(QStringLiteral("chunked trailer section too large"));
        if (!line) return std::nullopt;
        *progressed = true;
        m_headBytes += line->size() + 1;
        if (line->isEmpty()) m_phase = Phase::Header;
        return std::nullopt;
    }
    case Phase::Header:
    case Phase::Failed:
        break;
    }
    return std::nullopt;
}

ParsedRequest HttpRequestParser::finish() {
    ParsedRequest done = std::move(m_current);
    m_current = {};
    m_headBytes = 0;
    m_bodyLeft = 0;
    m_wantsContinue = false;
    m_buf.remove(0, m_pos);
    m_pos = 0;
    m_scan = 0;
    return done;
}

}  // namespace facet::http
