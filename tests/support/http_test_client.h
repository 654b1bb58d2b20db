// A test client for HttpServer over real QTcpSocket connections on
// loopback: raw requests out, whole responses (Content-Length, chunked or
// until close) back, with the server's framing checked on the way. Shared by
// the tst_http_server* tests. Every wait is bounded by kHangMs.
#pragma once

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QtTest>

#include <optional>

#include "http_server.h"
#include "support/hang_guard.h"

namespace facet::test {

using http::HeaderList;
using http::HttpRequest;
using http::HttpResponder;
using http::HttpServerOptions;

struct Response {
    int status = 0;
    HeaderList headers;
    QByteArray body;
    bool chunked = false;

    QByteArray header(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
        return {};
    }
    bool hasHeader(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return true;
        return false;
    }
    bool hasAnyCorsHeader() const {
        for (const auto& h : headers)
            if (h.first.toLower().startsWith("access-control-")) return true;
        return false;
    }
    QJsonObject error() const { return QJsonDocument::fromJson(body).object().value("error").toObject(); }
};

// One response from the front of `buf` (removed from it), or nothing while
// incomplete. `closed`: the connection ended, so a body without length is whole.
inline std::optional<Response> takeResponse(QByteArray& buf, bool closed) {
    const qsizetype headEnd = buf.indexOf("\r\n\r\n");
    if (headEnd < 0) return std::nullopt;
    const QList<QByteArray> lines = buf.left(headEnd).split('\n');
    Response r;
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || statusLine[0] != "HTTP/1.1") return std::nullopt;
    r.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        r.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    qsizetype pos = headEnd + 4;
    if (r.header("transfer-encoding") == "chunked") {
        r.chunked = true;
        for (;;) {
            const qsizetype eol = buf.indexOf("\r\n", pos);
            if (eol < 0) return std::nullopt;
            bool ok = false;
            const qsizetype size = buf.mid(pos, eol - pos).toLongLong(&ok, 16);
            if (!ok) return std::nullopt;
            if (buf.size() < eol + 2 + size + 2) return std::nullopt;
            r.body += buf.mid(eol + 2, size);
            pos = eol + 2 + size + 2;
            if (size == 0) break;
        }
    } else if (r.hasHeader("content-length")) {
        const qsizetype length = r.header("content-length").toLongLong();
        if (buf.size() < pos + length) return std::nullopt;
        r.body = buf.mid(pos, length);
        pos += length;
    } else if (r.status != 204 && r.status != 304) {
        if (!closed) return std::nullopt;
        r.body = buf.mid(pos);
        pos = buf.size();
    }
    buf.remove(0, pos);
    return r;
}

// A test client that records everything it receives.
class Client {
public:
    Client(const QHostAddress& address, quint16 port) {
        QObject::connect(&socket, &QTcpSocket::readyRead, [this] { received += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, [this] { closed = true; });
        socket.connectToHost(address, port);
    }
    bool waitConnected() {
        return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; }, kHangMs);
    }
    bool waitClosed() {
        return QTest::qWaitFor([this] { return closed || socket.state() == QAbstractSocket::UnconnectedState; },
                               kHangMs);
    }
    void send(const QByteArray& bytes) {
        if (!waitConnected()) return;  // the next wait then fails
        socket.write(bytes);
        socket.flush();
    }
    // The next whole response (nothing when the connection ended first).
    std::optional<Response> next() {
        std::optional<Response> r;
        (void)QTest::qWaitFor([&] { return bool(r = takeResponse(received, closed)) || closed; }, kHangMs);
        if (!r) r = takeResponse(received, true);
        return r;
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
};

inline QByteArray get(const QByteArray& path, const QByteArray& extra = {}, quint16 port = 0) {
    const QByteArray host = port ? "localhost:" + QByteArray::number(port) : QByteArray("localhost");
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n";
}

// Answers "METHOD PATH BODY" in text.
inline void echo(const HttpRequest& r, HttpResponder* responder) {
    responder->send(200, {{"Content-Type", "text/plain"}}, r.method + ' ' + r.path + ' ' + r.body);
}

inline HttpServerOptions loopbackV4() {
    HttpServerOptions o;
    o.listenAddresses = {QHostAddress(QHostAddress::LocalHost)};
    return o;
}

inline const QHostAddress kV4{QHostAddress::LocalHost};

}  // namespace facet::test
