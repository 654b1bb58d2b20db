#include "http_connection.h"

#include <sys/socket.h>

#include "http_policy.h"
#include "http_wire.h"

#include <QTcpSocket>

namespace facet::http {

// --- ConnectionResponder -----------------------------------------------------

ConnectionResponder::ConnectionResponder(HttpConnection* connection, const ParsedRequest& request,
                                         HeaderList serverHeaders, QObject* owner)
    : HttpResponder(owner),
      m_connection(connection),
      m_keepAlive(request.keepAlive),
      m_http10(request.http10),
      m_head(request.request.method == "HEAD"),
      m_serverHeaders(std::move(serverHeaders)) {}

bool ConnectionResponder::isOpen() const {
    return m_state != State::Done && m_connection && m_connection->isOpen();
}

void ConnectionResponder::send(int status, const HeaderList& headers, const QByteArray& body) {
    if (m_state != State::Pending) return;
    if (isOpen()) {
        const bool bodyless = statusHasNoBody(status);
        const QByteArray head = responseHead(status, m_serverHeaders + headers,
                                             bodyless ? Framing::NoBody : Framing::ContentLength, body.size(),
                                             m_keepAlive, m_http10);
        m_connection->writeBytes(bodyless || m_head ? head : head + body);
        if (m_connection) m_connection->responseFinished(m_keepAlive);
    }
    finish();
}

void ConnectionResponder::beginStream(int status, const HeaderList& headers) {
    if (m_state != State::Pending) return;
    m_state = State::Streaming;
    if (!isOpen()) return;
    m_bodyless = statusHasNoBody(status) || m_head;
    // HTTP/1.0 has no chunked coding: the body then ends with the connection.
    m_chunked = !m_http10 && !statusHasNoBody(status);
    const Framing framing = statusHasNoBody(status) ? Framing::NoBody
                            : m_http10             ? Framing::UntilClose
                                                   : Framing::Chunked;
    m_connection->writeBytes(responseHead(status, m_serverHeaders + headers, framing, 0,
                                          m_keepAlive && framing != Framing::UntilClose, m_http10));
}

void ConnectionResponder::write(const QByteArray& data) {
    if (m_state != State::Streaming || m_bodyless || data.isEmpty() || !isOpen()) return;
    m_connection->writeBytes(m_chunked ? chunk(data) : data);
}

void ConnectionResponder::end() {
    if (m_state == State::Done) return;
    if (m_state == State::Streaming && isOpen()) {
        if (m_chunked && !m_head) m_connection->writeBytes(kLastChunk);
        if (m_connection) m_connection->responseFinished(m_keepAlive && (m_chunked || m_bodyless));
    }
    finish();
}

void ConnectionResponder::finish() {
    m_state = State::Done;
    deleteLater();
}

void ConnectionResponder::connectionLost() {
    if (m_state == State::Done || m_lostReported) return;
    m_lostReported = true;
    emit disconnected();
}

// --- HttpConnection ----------------------------------------------------------

namespace {

// Bounds what Qt buffers from the socket while a request is with the handler;
// the kernel's window then pushes back on the client.
constexpr qint64 kSocketReadBuffer = 256 * 1024;

}  // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, const HttpServerOptions& options, HttpHandler handler,
                               QObject* responderOwner, QObject* parent)
    : QObject(parent),
      m_socket(socket),
      m_options(options),
      m_handler(std::move(handler)),
      m_responderOwner(responderOwner),
      m_parser(HttpLimits{options.maxHeaderBytes, options.maxHeaderFields, options.maxBodyBytes}) {
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);  // SSE deltas go out at once
    m_socket->setReadBufferSize(kSocketReadBuffer);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    armTimer();
    // Bytes may have arrived before the signals were connected.
    QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

bool HttpConnection::isOpen() const {
    return !m_closing && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool HttpConnection::writeBytes(QByteArrayView bytes) {
    if (m_socket->state() != QAbstractSocket::ConnectedState) return false;
    m_socket->write(bytes.data(), bytes.size());
    m_socket->flush();
    if (m_socket->bytesToWrite() > kMaxUnsentBytes) {  // the client stopped reading (openai-server.md §4.3)
        abort();
        return false;
    }
    return true;
}

void HttpConnection::abort() {
    m_closing = true;
    m_socket->abort();  // emits disconnected while connected
    onDisconnected();   // and covers the case where it did not
}

void HttpConnection::responseFinished(bool keepAlive) {
    m_active = nullptr;
    m_busy = false;
    ++m_answered;
    if (!keepAlive) {
        m_closing = true;
        // Lingering close: the client may still be sending a body we refused
        // (413); closing the socket now would make the kernel reset the
        // connection and the client lose our answer. So: FIN once the answer
        // is out, then discard input until the client closes.
        connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::halfCloseWhenSent);
        halfCloseWhenSent();
        // A client that never reads or never closes would hold the slot for ever: drop it after a while.
        if (m_socket->state() != QAbstractSocket::UnconnectedState) m_timer.start(m_options.idleTimeoutMs);
        return;
    }
    // Queued: a handler answering inside its own call must not recurse into the next request.
    QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

void HttpConnection::halfCloseWhenSent() {
    if (m_halfClosed || m_socket->bytesToWrite() > 0 || m_socket->state() != QAbstractSocket::ConnectedState) return;
    m_halfClosed = true;
    ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
}

void HttpConnection::readAvailable() {
    if (m_closing) {
        m_socket->readAll();  // discarded: nothing more will be answered
        return;
    }
    if (m_busy) return;  // read after the current answer
    const QByteArray bytes = m_socket->readAll();
    if (!bytes.isEmpty()) m_parser.feed(bytes);
    processBuffered();
}

void HttpConnection::processBuffered() {
    while (!m_busy && !m_closing) {
        ParseOutcome outcome = m_parser.next();
        if (auto* error = std::get_if<HttpError>(&outcome)) {
            answerAndClose(*error);
            return;
        }
        if (auto* parsed = std::get_if<ParsedRequest>(&outcome)) {
            dispatch(std::move(*parsed));
            continue;
        }
        if (m_parser.takeContinueRequest()) writeBytes("HTTP/1.1 100 Continue\r\n\r\n");
        armTimer();
        return;
    }
}

void HttpConnection::armTimer() {
    if (m_busy || m_closing || m_parser.readingBody()) {
        m_timer.stop();
        return;
    }
    // The header deadline runs from the request's first byte and is never
    // pushed back by later bytes: a client trickling one byte at a time
    // (slowloris) still runs out.
    // A new connection is expected to send a request at once: header deadline too.
    const TimerMode mode = m_parser.hasPartialRequest() || m_answered == 0 ? TimerMode::Header : TimerMode::Idle;
    if (m_timer.isActive() && mode == m_timerMode) return;
    m_timerMode = mode;
    m_timer.start(mode == TimerMode::Header ? m_options.headerTimeoutMs : m_options.idleTimeoutMs);
}

void HttpConnection::onTimeout() {
    if (m_closing) {
        abort();
        return;
    }
    if (m_busy) return;
    if (m_timerMode == TimerMode::Header)
        answerAndClose({408, "invalid_request_error", "request_timeout",
                        QStringLiteral("request header not received within %1 ms").arg(m_options.headerTimeoutMs)});
    else
        responseFinished(false);
}

void HttpConnection::dispatch(ParsedRequest parsed) {
    HttpRequest& request = parsed.request;
    request.peer = m_socket->peerAddress();

    // Host first: a DNS-rebinding page must learn nothing, not even CORS (§7.4).
    const QByteArray host = request.header("host");
    if ((!parsed.http10 || !host.isEmpty()) &&
        !hostAllowed(host, m_socket->localAddress(), m_options.allowedHosts)) {
        answer(parsed,
               {403, "permission_error", "host_not_allowed",
                QStringLiteral("Host '%1' is not allowed; add it to the server's allowed hosts")
                    .arg(QString::fromLatin1(host.left(256)))},
               {});
        return;
    }
    CorsDecision cors = corsFor(request, m_options.allowedOrigins);
    if (cors.error) {
        answer(parsed, *cors.error, cors.headers);
        return;
    }
    if (cors.preflight) {  // answered without auth: browsers never send credentials on a preflight
        m_busy = true;
        writeBytes(responseHead(204, cors.headers, Framing::NoBody, 0, parsed.keepAlive, parsed.http10));
        responseFinished(parsed.keepAlive);
        return;
    }
    if (std::optional<HttpError> denied = checkApiKey(request, m_options.apiKey, m_options.openPaths)) {
        HeaderList headers = cors.headers;
        headers.emplace_back("WWW-Authenticate", "Bearer");
        answer(parsed, *denied, headers);
        return;
    }
    m_busy = true;
    m_timer.stop();
    auto* responder = new ConnectionResponder(this, parsed, cors.headers, m_responderOwner);
    m_active = responder;
    if (!m_handler) {
        responder->send(503, {{"Content-Type", "application/json"}},
                        HttpError{503, "unavailable_error", "no_handler", QStringLiteral("no handler")}.jsonBody());
        return;
    }
    m_handler(request, responder);
}

void HttpConnection::answer(const ParsedRequest& parsed, const HttpError& error, HeaderList headers) {
    m_busy = true;
    headers.emplace_back("Content-Type", "application/json");
    const QByteArray body = error.jsonBody();
    QByteArray bytes = responseHead(error.status, headers, Framing::ContentLength, body.size(), parsed.keepAlive,
                                    parsed.http10);
    if (parsed.request.method != "HEAD") bytes += body;
    writeBytes(bytes);
    responseFinished(parsed.keepAlive);
}

void HttpConnection::answerAndClose(const HttpError& error) {
    ParsedRequest closing;
    closing.keepAlive = false;
    answer(closing, error, {});
}

void HttpConnection::onDisconnected() {
    m_closing = true;
    m_timer.stop();
    if (m_active) m_active->connectionLost();
    m_active = nullptr;
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        emit closed();
        deleteLater();
    }
}

}  // namespace facet::http
