#include "http_policy.h"

namespace facet::http {

namespace {

bool allDigits(QByteArrayView s) {
    if (s.isEmpty() || s.size() > 5) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool isTokenChar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool sameAddress(const QHostAddress& a, const QHostAddress& b) {
    return !a.isNull() && a.isEqual(b, QHostAddress::TolerantConversion);
}

bool nameListed(const QByteArray& name, const QList<QByteArray>& names) {
    for (const QByteArray& n : names) {
        const QByteArray pattern = n.toLower();
        if (pattern == name) return true;
        if (pattern.startsWith("*.") && name.endsWith(pattern.mid(1)) && name.size() > pattern.size() - 1)
            return true;
    }
    return false;
}

}  // namespace

bool hostAllowed(QByteArrayView hostView, const QHostAddress& localAddress,
                 const QList<QByteArray>& extraNames) {
    const QByteArray host = hostView.toByteArray().trimmed().toLower();
    if (host.isEmpty()) return false;
    if (host.startsWith('[')) {  // IPv6 literal, RFC 3986 §3.2.2
        const qsizetype close = host.indexOf(']');
        if (close < 0) return false;
        const QByteArray rest = host.mid(close + 1);
        if (!rest.isEmpty() && !(rest.startsWith(':') && allDigits(QByteArrayView(rest).sliced(1)))) return false;
        QHostAddress address;
        if (!address.setAddress(QString::fromLatin1(host.mid(1, close - 1)))) return false;
        if (address.protocol() != QAbstractSocket::IPv6Protocol) return false;
        return address.isLoopback() || sameAddress(address, localAddress) || nameListed(host.left(close + 1), extraNames);
    }
    if (host.count(':') > 1) return false;
    QByteArray name = host;
    if (const qsizetype colon = host.indexOf(':'); colon >= 0) {
        if (!allDigits(QByteArrayView(host).sliced(colon + 1))) return false;
        name = host.left(colon);
    }
    if (name.endsWith('.')) name.chop(1);  // "localhost." is the same name
    if (name.isEmpty()) return false;
    if (name == "localhost" || name.endsWith(".localhost")) return true;  // RFC 6761 §6.3
    QHostAddress address;
    bool dottedQuad = name.count('.') == 3;
    for (char c : name) dottedQuad = dottedQuad && ((c >= '0' && c <= '9') || c == '.');
    if (dottedQuad && address.setAddress(QString::fromLatin1(name)) &&
        address.protocol() == QAbstractSocket::IPv4Protocol)
        return address.isLoopback() || sameAddress(address, localAddress) || nameListed(name, extraNames);
    return nameListed(name, extraNames);
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b) {
    // Walk the longer length so the loop does not stop at the first difference.
    const qsizetype n = std::max(a.size(), b.size());
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
        const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
        diff |= unsigned(x ^ y);
    }
    return diff == 0;
}

std::optional<HttpError> checkApiKey(const HttpRequest& request, const QByteArray& apiKey,
                                     const QList<QByteArray>& openPaths) {
    if (apiKey.isEmpty() || openPaths.contains(request.path)) return std::nullopt;
    QByteArray presented;
    const QByteArray authorization = request.header("authorization").trimmed();
    if (authorization.size() > 7 && authorization.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        presented = authorization.mid(7).trimmed();
    else
        presented = request.header("x-api-key").trimmed();
    if (!presented.isEmpty() && constantTimeEquals(presented, apiKey)) return std::nullopt;
    return HttpError{401, "authentication_error", "invalid_api_key",
                     presented.isEmpty()
                         ? QStringLiteral("missing API key: send \"Authorization: Bearer <key>\"")
                         : QStringLiteral("invalid API key")};
}

CorsDecision corsFor(const HttpRequest& request, const QList<QByteArray>& allowedOrigins) {
    CorsDecision d;
    if (allowedOrigins.isEmpty()) return d;
    d.headers.emplace_back("Vary", "Origin");
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !allowedOrigins.contains(origin)) return d;
    d.headers.emplace_back("Access-Control-Allow-Origin", origin);
    const QByteArray requestedMethod = request.header("access-control-request-method");
    if (request.method != "OPTIONS" || requestedMethod.isEmpty()) return d;

    // Preflight (Fetch standard §3.2.2). The requested header names are
    // echoed back, so each must be a token: nothing else reaches the response.
    QList<QByteArray> names;
    for (const QByteArray& part : request.header("access-control-request-headers").split(',')) {
        const QByteArray name = part.trimmed();
        if (name.isEmpty()) continue;
        for (char c : name)
            if (!isTokenChar(c)) {
                d.error = badRequest(QStringLiteral("malformed Access-Control-Request-Headers"));
                return d;
            }
        names.append(name);
    }
    d.preflight = true;
    d.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    if (!names.isEmpty()) d.headers.emplace_back("Access-Control-Allow-Headers", names.join(", "));
    d.headers.emplace_back("Access-Control-Max-Age", "600");
    return d;
}

}  // namespace facet::http
