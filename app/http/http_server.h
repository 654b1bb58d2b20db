// Facet's HTTP/1.1 server (openai-server.md §4.3, §7.4) on QTcpServer: it
// owns sockets, parsing, limits, timeouts and the Host/CORS/API-key checks,
// and hands each request that passed them to one HttpHandler.
//
// Threading: a plain QObject; it serves on the thread it lives in (the
// caller's, or moveToThread() it before listen()). Handlers and responders
// run there too.
//
// Connection cap: connection number maxConnections+1 is accepted, answered
// "503 Service Unavailable" (unavailable_error / too_many_connections) with
// Connection: close, and closed without reading a request.
#pragma once

#include "http_handler.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace facet::http {

class HttpConnection;

struct HttpServerOptions {
    // Loopback only by default, IPv4 and IPv6 both (Node may resolve localhost to ::1 first).
    QList<QHostAddress> listenAddresses{QHostAddress(QHostAddress::LocalHost),
                                        QHostAddress(QHostAddress::LocalHostIPv6)};
    quint16 port = 0;                   // 0: a free port, the same on every address; see port()
    qint64 maxBodyBytes = 32LL << 20;   // larger: 413, decided from Content-Length before the body
    qint64 maxHeaderBytes = 64 * 1024;  // request line + fields; larger: 431
    int maxHeaderFields = 100;          // more: 431
    int headerTimeoutMs = 30000;        // a request header not complete this long after it began: 408 + close (slowloris)
    int idleTimeoutMs = 30000;          // keep-alive connection with no request started: closed
    int maxConnections = 64;            // open connections; beyond: 503 + close
    QByteArray apiKey;                  // empty: no auth; else "Authorization: Bearer KEY" or "X-Api-Key: KEY"
    QList<QByteArray> openPaths{"/health"};  // paths that need no key
    QList<QByteArray> allowedHosts;     // Host names beyond loopback and the local address ("*.lan" allowed)
    QList<QByteArray> allowedOrigins;   // CORS allow-list (exact origins); empty: CORS off
};

class HttpServer : public QObject {
    Q_OBJECT
public:
    HttpServer(HttpServerOptions options, HttpHandler handler, QObject* parent = nullptr);
    ~HttpServer() override;

    // Binds every listen address on one port. Empty on success, else why not
    // (then nothing is left listening).
    QString listen();
    // Stops listening and drops every connection (their responders report disconnected).
    void close();

    bool isListening() const;
    quint16 port() const;  // the bound port (the chosen one when options.port was 0)
    QList<QHostAddress> listeningAddresses() const;
    int connectionCount() const { return m_connectionCount; }
    const HttpServerOptions& options() const { return m_options; }

signals:
    void connectionCountChanged(int count);

private:
    void acceptPending(QTcpServer* listener);
    void refuse(QTcpSocket* socket);

    HttpServerOptions m_options;
    HttpHandler m_handler;
    QList<QTcpServer*> m_listeners;
    quint16 m_port = 0;
    int m_connectionCount = 0;
};

}  // namespace facet::http
