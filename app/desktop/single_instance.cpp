#include "single_instance.h"

#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QTimer>
#include <QtEndian>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace {

const QByteArray kMagic = QByteArrayLiteral("FACET-OPEN1");
const qsizetype kHeaderBytes = kMagic.size() + 4;  // magic, then the payload length (big-endian)
const QByteArray kAck = QByteArrayLiteral("OK\n");
// I/O timeouts: a running instance answers at once, from its event loop.
constexpr int kConnectMs = 2000;
constexpr int kAckMs = 5000;
// How long a launch waits for another one that is deciding who is first.
constexpr int kLockMs = 5000;
// A client that connects and never finishes its message is dropped.
constexpr int kIdleClientMs = 10000;

QByteArray frame(const QString& path) {
    const QByteArray payload = path.toUtf8();
    QByteArray out = kMagic;
    out.resize(kHeaderBytes);
    qToBigEndian<quint32>(static_cast<quint32>(payload.size()), out.data() + kMagic.size());
    return out + payload;
}

}  // namespace

// No socket options: with them Qt binds elsewhere and renames over the name,
// which would hide a running instance. The name lies in the user's runtime folder.
SingleInstance::SingleInstance(QObject* parent) : QObject(parent), name_(defaultServerName()) {
    connect(&server_, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultServerName() {
    const QString overridden = qEnvironmentVariable("FACET_INSTANCE_NAME");
    if (!overridden.isEmpty()) return overridden;
#ifdef Q_OS_UNIX
    // The user's runtime folder (XDG_RUNTIME_DIR; without one, Qt's private
    // 0700 /tmp/runtime-<user>) is the user's alone, so nobody else can take
    // the name first, and it is emptied at logout. Inside Flatpak only
    // $XDG_RUNTIME_DIR/app/<id> is shared between the app's instances.
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtime.isEmpty() && QFileInfo(runtime).isDir()) {
        const QString flatpakId = qEnvironmentVariable("FLATPAK_ID");
        const QString dir = flatpakId.isEmpty() ? runtime : runtime + QStringLiteral("/app/") + flatpakId;
        if (QFileInfo(dir).isDir() && QFileInfo(dir).isWritable())
            return dir + QStringLiteral("/io.github.facet.Facet.instance");
    }
    // (Only where no runtime folder can be had: a per-user name in /tmp.)
    const QString user = QString::number(::getuid());
#else
    const QString user = qEnvironmentVariable("USERNAME");
#endif
    return QStringLiteral("io.github.facet.Facet-") + user;
}

SingleInstance::Role SingleInstance::start(const QString& path) {
    Delivery d = deliver(path);
    if (d == Delivery::Delivered) return Role::Secondary;
    if (d == Delivery::NoAnswer) return Role::Standalone;

    // Two launches at once must not both decide they are first (each would
    // remove the other's socket): the lock lets one decide at a time.
    QLockFile lock((QDir::isAbsolutePath(name_) ? name_ : QDir(QDir::tempPath()).filePath(name_)) + QStringLiteral(".lock"));
    if (lock.tryLock(kLockMs)) {
        d = deliver(path);  // the launch we waited for may be listening now
        if (d == Delivery::Delivered) return Role::Secondary;
        if (d == Delivery::NoAnswer) return Role::Standalone;
        // Nobody answers: a socket file still there was left by a killed instance.
        if (!server_.listen(name_) && server_.serverError() == QAbstractSocket::AddressInUseError) {
            QLocalServer::removeServer(name_);
            server_.listen(name_);
        }
        return server_.isListening() ? Role::Primary : Role::Standalone;
    }
    // No lock (its folder unwritable, or a stuck launch holds it): listen, and
    // if another launch got the name first, hand the path to it once.
    if (server_.listen(name_)) return Role::Primary;
    if (server_.serverError() == QAbstractSocket::AddressInUseError && deliver(path) == Delivery::Delivered)
        return Role::Secondary;
    return Role::Standalone;
}

SingleInstance::Delivery SingleInstance::deliver(const QString& path) const {
    QLocalSocket socket;
    socket.connectToServer(name_);
    if (!socket.waitForConnected(kConnectMs)) return Delivery::NoServer;
    socket.write(frame(path));
    socket.flush();
    QByteArray reply;
    while (reply.size() < kAck.size() && (socket.bytesAvailable() > 0 || socket.waitForReadyRead(kAckMs)))
        reply += socket.readAll();
    return reply.startsWith(kAck) ? Delivery::Delivered : Delivery::NoAnswer;
}

void SingleInstance::onNewConnection() {
    while (QLocalSocket* socket = server_.nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        QTimer::singleShot(kIdleClientMs, socket, [socket] { socket->abort(); });
        if (socket->bytesAvailable() > 0) onReadyRead(socket);
    }
}

// Reads one framed message; anything else (a wrong magic, a length over the
// bound, bytes after the message, a bad path) drops the connection unanswered.
void SingleInstance::onReadyRead(QLocalSocket* socket) {
    if (socket->state() != QLocalSocket::ConnectedState) return;
    const QByteArray head = socket->peek(kHeaderBytes);
    const qsizetype magicSeen = std::min(head.size(), kMagic.size());
    if (head.left(magicSeen) != kMagic.left(magicSeen)) return socket->abort();
    if (head.size() < kHeaderBytes) return;  // the rest is on its way
    const quint32 length = qFromBigEndian<quint32>(head.constData() + kMagic.size());
    if (length > static_cast<quint32>(kMaxPathBytes)) return socket->abort();
    const qsizetype total = kHeaderBytes + static_cast<qsizetype>(length);
    if (socket->bytesAvailable() < total) return;
    if (socket->bytesAvailable() > total) return socket->abort();
    const QByteArray payload = socket->read(total).mid(kHeaderBytes);

    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString path = utf8(payload);
    if (utf8.hasError() || path.contains(QChar(0)) || (!path.isEmpty() && !QDir::isAbsolutePath(path)))
        return socket->abort();
    // Answer first: the waiting launch exits while this one opens the model.
    // A launch that gave up waiting has opened its own window: if the answer
    // cannot reach it, this one must not open the model too.
    if (socket->write(kAck) != kAck.size() || !socket->flush() || socket->state() != QLocalSocket::ConnectedState)
        return socket->abort();
    socket->disconnectFromServer();
    emit activationRequested(path);
}
