// A small HTTP/1.1 server on 127.0.0.1 (random port) for download tests: it
// serves in-memory files with Content-Length and byte ranges (206, 416),
// 404s unknown paths, answers redirects, and injects faults per path (drop
// the connection after N body bytes, stall after N bytes until released,
// delay the answer). Every request is recorded with its headers. One request
// per connection (Connection: close); bodies go out in chunks as the socket
// drains, so a drop or stall happens mid-body.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace facet::test {

class TestHttpServer : public QObject {
    Q_OBJECT
public:
    struct Request {
        QByteArray method, path;
        QHash<QByteArray, QByteArray> headers;  // names lower-cased
        int status = 0;                         // what the server answered
        qint64 bodyBytesSent = 0;               // body bytes handed to the socket

        QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
        // Start of "Range: bytes=N-", or -1 without a Range header.
        qint64 rangeStart() const;
    };

    explicit TestHttpServer(QObject* parent = nullptr);
    ~TestHttpServer() override;

    bool listen();  // 127.0.0.1, a free port
    quint16 port() const { return server_.serverPort(); }
    QUrl url(const QString& path) const;  // http://127.0.0.1:PORT/path

    void addFile(const QByteArray& path, const QByteArray& body,
                 const QByteArray& contentType = "application/octet-stream");
    void removeFile(const QByteArray& path) { files_.remove(path); }
    // `to` is a path on this server or a full URL; status 301/302/303/307/308.
    void addRedirect(const QByteArray& from, const QByteArray& to, int status = 302);

    // The next `times` requests for `path` get `afterBytes` body bytes, then the connection closes.
    void dropAfter(const QByteArray& path, qint64 afterBytes, int times = 1);
    // The next `times` requests for `path` get `afterBytes` body bytes, then nothing (socket kept
    // open) until releaseStalls() or the client gives up.
    void stallAfter(const QByteArray& path, qint64 afterBytes, int times = 1);
    void releaseStalls();  // stalled answers continue to the end
    void setDelay(const QByteArray& path, int ms);  // wait before answering
    void setIgnoreRange(const QByteArray& path, bool ignore) { ignoreRange_[path] = ignore; }  // answer 200 + whole body
    void setChunkSize(int bytes) { chunkSize_ = bytes; }

    const QList<Request>& requests() const { return requests_; }
    QList<Request> requestsFor(const QByteArray& path) const;
    void clearRequests() { requests_.clear(); }

signals:
    void requestReceived(const QByteArray& path);

private:
    struct Fault {
        enum Kind { Drop, Stall } kind = Drop;
        qint64 afterBytes = 0;
        int times = 0;
    };
    struct File {
        QByteArray body, contentType;
    };
    struct Connection {
        QByteArray input;
        bool answered = false;
        int request = -1;       // index into requests_
        QByteArray body;        // the part of the file being sent
        qint64 sent = 0;
        qint64 limit = -1;      // stop after this many body bytes (-1: all)
        bool stallAtLimit = false;
        bool held = false;      // stalled, waiting for releaseStalls()
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void answer(QTcpSocket* socket);
    void respond(QTcpSocket* socket, int status, const QList<QPair<QByteArray, QByteArray>>& headers,
                 const QByteArray& body, bool headOnly);
    void pump(QTcpSocket* socket);

    QTcpServer server_;
    QHash<QByteArray, File> files_;
    QHash<QByteArray, QPair<QByteArray, int>> redirects_;
    QHash<QByteArray, Fault> faults_;
    QHash<QByteArray, int> delays_;
    QHash<QByteArray, bool> ignoreRange_;
    QHash<QTcpSocket*, Connection> connections_;
    QList<Request> requests_;
    int chunkSize_ = 256 * 1024;
};

}  // namespace facet::test
