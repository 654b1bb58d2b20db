#include "support/test_http_server.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace facet::test {

namespace {

constexpr qint64 kMaxHeaderBytes = 64 * 1024;  // a request head beyond this is refused with 431

QByteArray reasonPhrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 206: return "Partial Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 404: return "Not Found";
        case 416: return "Range Not Satisfiable";
        case 431: return "Request Header Fields Too Large";
        default: return "Status";
    }
}

}  // namespace

qint64 TestHttpServer::Request::rangeStart() const {
    const QByteArray range = header("range").trimmed();
    if (!range.startsWith("bytes=")) return -1;
    const QByteArray spec = range.mid(6);
    bool ok = false;
    const qint64 start = spec.left(spec.indexOf('-')).toLongLong(&ok);
    return ok ? start : -1;
}

TestHttpServer::TestHttpServer(QObject* parent) : QObject(parent) {
    connect(&server_, &QTcpServer::newConnection, this, &TestHttpServer::onNewConnection);
}

TestHttpServer::~TestHttpServer() {
    for (QTcpSocket* s : connections_.keys()) {
        s->disconnect(this);
        s->abort();
        delete s;
    }
}

bool TestHttpServer::listen() { return server_.listen(QHostAddress::LocalHost, 0); }

QUrl TestHttpServer::url(const QString& path) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

void TestHttpServer::addFile(const QByteArray& path, const QByteArray& body, const QByteArray& contentType) {
    files_.insert(path, {body, contentType});
}

void TestHttpServer::addRedirect(const QByteArray& from, const QByteArray& to, int status) {
    redirects_.insert(from, {to, status});
}

void TestHttpServer::dropAfter(const QByteArray& path, qint64 afterBytes, int times) {
    faults_.insert(path, {Fault::Drop, afterBytes, times});
}

void TestHttpServer::stallAfter(const QByteArray& path, qint64 afterBytes, int times) {
    faults_.insert(path, {Fault::Stall, afterBytes, times});
}

void TestHttpServer::setDelay(const QByteArray& path, int ms) { delays_.insert(path, ms); }

QList<TestHttpServer::Request> TestHttpServer::requestsFor(const QByteArray& path) const {
    QList<Request> out;
    for (const Request& r : requests_)
        if (r.path == path) out.append(r);
    return out;
}

void TestHttpServer::releaseStalls() {
    for (auto it = connections_.begin(); it != connections_.end(); ++it) {
        if (!it->stallAtLimit) continue;
        it->stallAtLimit = false;
        it->limit = -1;
        if (it->held) {
            it->held = false;
            QTimer::singleShot(0, it.key(), [this, s = it.key()] { pump(s); });
        }
    }
}

void TestHttpServer::onNewConnection() {
    while (QTcpSocket* s = server_.nextPendingConnection()) {
        s->setParent(nullptr);  // owned by connections_, deleted on disconnect
        connections_.insert(s, {});
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
        connect(s, &QTcpSocket::bytesWritten, this, [this, s] { pump(s); });
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
            connections_.remove(s);
            s->deleteLater();
        });
    }
}

void TestHttpServer::onReadyRead(QTcpSocket* socket) {
    auto it = connections_.find(socket);
    if (it == connections_.end()) return;
    it->input += socket->readAll();
    if (it->answered) return;  // one request per connection; later bytes are ignored
    if (!it->input.contains("\r\n\r\n")) {
        if (it->input.size() > kMaxHeaderBytes) {
            it->answered = true;
            respond(socket, 431, {}, {}, false);
        }
        return;
    }
    it->answered = true;
    const QList<QByteArray> lines = it->input.left(it->input.indexOf("\r\n\r\n")).split('\n');
    Request req;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    req.method = first.value(0);
    req.path = first.value(1);
    for (int i = 1; i < lines.size(); ++i) {
        const int colon = lines[i].indexOf(':');
        if (colon > 0) req.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    requests_.append(req);
    it->request = int(requests_.size()) - 1;
    emit requestReceived(req.path);
    const int delay = delays_.value(req.path, 0);
    if (delay > 0)
        QTimer::singleShot(delay, socket, [this, socket] { answer(socket); });
    else
        answer(socket);
}

void TestHttpServer::answer(QTcpSocket* socket) {
    auto it = connections_.find(socket);
    if (it == connections_.end()) return;
    const Request req = requests_.value(it->request);
    const bool head = req.method == "HEAD";
    if (req.method != "GET" && !head) return respond(socket, 400, {}, {}, false);
    if (redirects_.contains(req.path)) {
        const auto [to, status] = redirects_.value(req.path);
        return respond(socket, status, {{"Location", to}}, {}, head);
    }
    if (!files_.contains(req.path)) return respond(socket, 404, {{"Content-Type", "text/plain"}}, "not found\n", head);
    const File& file = files_[req.path];
    const qint64 size = file.body.size();
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", file.contentType}, {"Accept-Ranges", "bytes"}};
    qint64 start = req.rangeStart();
    if (!req.header("range").isEmpty() && start < 0) return respond(socket, 400, {}, {}, head);
    if (ignoreRange_.value(req.path)) start = -1;
    if (start >= size)  // also start == size: nothing left to send
        return respond(socket, 416, {{"Content-Range", "bytes */" + QByteArray::number(size)}}, {}, head);
    const bool ranged = start >= 0;
    if (ranged)
        headers.append({"Content-Range", "bytes " + QByteArray::number(start) + '-' + QByteArray::number(size - 1) +
                                             '/' + QByteArray::number(size)});
    auto fault = faults_.find(req.path);
    if (!head && fault != faults_.end() && fault->times > 0) {
        it->limit = fault->afterBytes;
        it->stallAtLimit = fault->kind == Fault::Stall;
        if (--fault->times == 0) faults_.erase(fault);
    }
    respond(socket, ranged ? 206 : 200, headers, file.body.mid(ranged ? start : 0), head);
}

void TestHttpServer::respond(QTcpSocket* socket, int status, const QList<QPair<QByteArray, QByteArray>>& headers,
                             const QByteArray& body, bool headOnly) {
    Connection& c = connections_[socket];
    if (c.request >= 0 && c.request < requests_.size()) requests_[c.request].status = status;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    socket->write(head);
    c.body = headOnly ? QByteArray() : body;
    c.sent = 0;
    pump(socket);
}

// Writes the next chunk when the socket has drained; honours drop and stall limits.
void TestHttpServer::pump(QTcpSocket* socket) {
    auto it = connections_.find(socket);
    if (it == connections_.end() || !it->answered || it->held) return;
    if (socket->bytesToWrite() > chunkSize_) return;
    const qint64 end = it->limit >= 0 ? std::min<qint64>(it->limit, it->body.size()) : it->body.size();
    if (it->sent < end) {
        const qint64 n = std::min<qint64>(chunkSize_, end - it->sent);
        socket->write(it->body.constData() + it->sent, n);
        it->sent += n;
        if (it->request >= 0 && it->request < requests_.size()) requests_[it->request].bodyBytesSent = it->sent;
        return;  // bytesWritten calls back
    }
    if (it->limit >= 0 && it->limit < it->body.size()) {
        if (it->stallAtLimit) {
            it->held = true;  // keep the socket open, send nothing
            return;
        }
        if (socket->bytesToWrite() > 0) return;  // drop once what was sent is out
    }
    socket->disconnectFromHost();  // graceful: pending bytes are flushed first
}

}  // namespace facet::test
