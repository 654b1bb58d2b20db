#include "http_server.h"

#include "http_connection.h"
#include "http_error.h"
#include "http_wire.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace facet::http {

namespace {

// With port 0 the first address picks a port the others may already have
// taken; that many fresh picks before giving up.
constexpr int kPortPickAttempts = 8;

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_handler(std::move(handler)) {}

HttpServer::~HttpServer() {
    close();
}

QString HttpServer::listen() {
    close();
    if (m_options.listenAddresses.isEmpty()) return QStringLiteral("no listen address configured");
    QString lastError;
    for (int attempt = 0; attempt < kPortPickAttempts; ++attempt) {
        quint16 port = m_options.port;
        bool ok = true;
        for (const QHostAddress& address : m_options.listenAddresses) {
            auto* listener = new QTcpServer(this);
            if (!listener->listen(address, port)) {
                lastError = QStringLiteral("listen on %1 port %2: %3")
                                .arg(address.toString())
                                .arg(port)
                                .arg(listener->errorString());
                delete listener;
                ok = false;
                break;
            }
            port = listener->serverPort();
            connect(listener, &QTcpServer::newConnection, this, [this, listener] { acceptPending(listener); });
            m_listeners.append(listener);
        }
        if (ok) {
            m_port = port;
            return {};
        }
        close();
        if (m_options.port != 0) break;  // a fixed port: retrying cannot help
    }
    return lastError;
}

void HttpServer::close() {
    for (QTcpServer* listener : std::as_const(m_listeners)) listener->close();
    qDeleteAll(m_listeners);
    m_listeners.clear();
    m_port = 0;
    for (HttpConnection* connection : findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly))
        connection->abort();
}

bool HttpServer::isListening() const {
    return !m_listeners.isEmpty();
}

quint16 HttpServer::port() const {
    return m_port;
}

QList<QHostAddress> HttpServer::listeningAddresses() const {
    QList<QHostAddress> out;
    for (const QTcpServer* listener : m_listeners) out.append(listener->serverAddress());
    return out;
}

void HttpServer::acceptPending(QTcpServer* listener) {
    while (QTcpSocket* socket = listener->nextPendingConnection()) {
        if (m_connectionCount >= m_options.maxConnections) {
            refuse(socket);
            continue;
        }
        auto* connection = new HttpConnection(socket, m_options, m_handler, this, this);
        ++m_connectionCount;
        connect(connection, &HttpConnection::closed, this, [this] {
            --m_connectionCount;
            emit connectionCountChanged(m_connectionCount);
        });
        emit connectionCountChanged(m_connectionCount);
    }
}

void HttpServer::refuse(QTcpSocket* socket) {
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const HttpError error{503, "unavailable_error", "too_many_connections",
                          QStringLiteral("too many open connections (%1); try again later")
                              .arg(m_options.maxConnections)};
    const QByteArray body = error.jsonBody();
    socket->write(responseHead(503, {{"Content-Type", "application/json"}, {"Retry-After", "1"}},
                               Framing::ContentLength, body.size(), false, false) +
                  body);
    socket->disconnectFromHost();
}

}  // namespace facet::http
