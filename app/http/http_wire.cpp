#include "http_wire.h"

namespace facet::http {

bool statusHasNoBody(int status) {
    return status < 200 || status == 204 || status == 304;
}

const char* reasonPhrase(int status) {
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    }
    return "Unknown";
}

namespace {

bool safeField(const QByteArray& s) {
    return !s.contains('\r') && !s.contains('\n') && !s.contains('\0');
}

bool serverOwned(const QByteArray& name) {
    return name.compare("content-length", Qt::CaseInsensitive) == 0 ||
           name.compare("transfer-encoding", Qt::CaseInsensitive) == 0 ||
           name.compare("connection", Qt::CaseInsensitive) == 0;
}

}  // namespace

QByteArray responseHead(int status, const HeaderList& headers, Framing framing, qint64 contentLength,
                        bool keepAlive, bool http10) {
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto& [name, value] : headers) {
        if (name.isEmpty() || serverOwned(name) || !safeField(name) || !safeField(value) || name.contains(':'))
            continue;
        out += name + ": " + value + "\r\n";
    }
    switch (framing) {
    case Framing::ContentLength: out += "Content-Length: " + QByteArray::number(contentLength) + "\r\n"; break;
    case Framing::Chunked: out += "Transfer-Encoding: chunked\r\n"; break;
    case Framing::UntilClose: keepAlive = false; break;
    case Framing::NoBody: break;
    }
    if (!keepAlive)
        out += "Connection: close\r\n";
    else if (http10)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
}

QByteArray chunk(QByteArrayView data) {
    if (data.isEmpty()) return {};
    QByteArray out = QByteArray::number(data.size(), 16) + "\r\n";
    out.reserve(out.size() + data.size() + 2);
    out.append(data);
    out += "\r\n";
    return out;
}

}  // namespace facet::http
