// One client connection: reads requests in order through HttpRequestParser,
// runs the server's checks, hands a request at a time to the handler and
// writes its answer. The next pipelined request is not read until the
// current answer is complete, so a client cannot queue unbounded work.
#pragma once

#include "http_request_parser.h"
#include "http_server.h"

#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace facet::http {

class HttpConnection;

// What a request's handler answers through. It outlives its connection: it
// is deleted (later) once its response is finished, send() or end(), also
// when those come after the client left; the server deletes unfinished ones
// when it is destroyed.
class ConnectionResponder final : public HttpResponder {
    Q_OBJECT
public:
    ConnectionResponder(HttpConnection* connection, const ParsedRequest& request, HeaderList serverHeaders,
                        QObject* owner);

    void send(int status, const HeaderList& headers, const QByteArray& body) override;
    void beginStream(int status, const HeaderList& headers) override;
    void write(const QByteArray& data) override;
    void end() override;
    bool isOpen() const override;

    // The connection closed: report it unless the response was finished.
    void connectionLost();

private:
    enum class State { Pending, Streaming, Done };

    void finish();

    QPointer<HttpConnection> m_connection;
    State m_state = State::Pending;
    bool m_keepAlive;
    bool m_http10;
    bool m_head;          // HEAD: headers only
    bool m_bodyless = false;  // streamed status that may not carry a body
    bool m_chunked = false;
    bool m_lostReported = false;
    HeaderList m_serverHeaders;  // CORS fields, added to whatever the handler answers
};

class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(QTcpSocket* socket, const HttpServerOptions& options, HttpHandler handler,
                   QObject* responderOwner, QObject* parent);

    bool isOpen() const;
    // Writes now (the socket has LowDelayOption); false when closed. A client
    // that stops reading while more than kMaxUnsentBytes pile up is dropped.
    bool writeBytes(QByteArrayView bytes);
    // The current response is complete: close, or go on with the next request.
    void responseFinished(bool keepAlive);
    void abort();

    static constexpr qint64 kMaxUnsentBytes = 16LL << 20;

signals:
    void closed();

private:
    enum class TimerMode { Header, Idle };

    void readAvailable();
    void processBuffered();
    void dispatch(ParsedRequest parsed);
    void answer(const ParsedRequest& parsed, const HttpError& error, HeaderList headers);
    void answerAndClose(const HttpError& error);
    void armTimer();
    void onTimeout();
    void onDisconnected();
    void halfCloseWhenSent();

    QTcpSocket* m_socket;
    HttpServerOptions m_options;
    HttpHandler m_handler;
    QObject* m_responderOwner;
    HttpRequestParser m_parser;
    QTimer m_timer;
    TimerMode m_timerMode = TimerMode::Header;
    QPointer<ConnectionResponder> m_active;
    bool m_busy = false;     // a request is with the handler
    bool m_closing = false;  // no more requests: input is discarded
    bool m_halfClosed = false;  // our FIN is sent (lingering close)
    bool m_closedEmitted = false;
    int m_answered = 0;      // responses finished on this connection
};

}  // namespace facet::http
