// Base URLs of remote OpenAI-compatible servers. Users paste them in many
// shapes ("host:8000", "http://host:8000/v1/", "https://x.org/api/v1");
// normalizeBaseUrl keeps scheme, host, port and path, drops a trailing "/"
// and a trailing "/v1", so apiUrl() builds "<base>/v1/<route>" exactly once
// (openai-server.md §6.3: base URL confusion is a common complaint).
#pragma once

#include <QString>
#include <QUrl>

struct NormalizedUrl {
    QUrl url;       // scheme://host[:port][/path], no trailing "/" or "/v1"; empty on error
    QString error;  // why the text is not a usable base URL
    bool ok() const { return error.isEmpty(); }
};

// A missing scheme means http:// for loopback hosts and https:// otherwise.
NormalizedUrl normalizeBaseUrl(const QString& text);

// "<base>/v1/<route>", route without a leading slash ("models", "chat/completions").
QUrl apiUrl(const QUrl& base, const QString& route);

// localhost, *.localhost, 127.0.0.0/8 and ::1.
bool isLoopbackHost(const QString& host);

// Plain http to a host that is not loopback sends the key and the chat in
// clear text: allowed only when the user confirmed it (allowInsecure).
bool needsInsecureConfirmation(const QUrl& base);

// "" when `base` may be used; else the reason (for the banner or the dialog).
QString checkTransport(const QUrl& base, bool allowInsecure);
