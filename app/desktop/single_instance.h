// One Facet window per user: the first launch listens on a local socket, a
// later `facet [MODEL]` hands its model path to it and exits. The wire
// format is a magic, a big-endian length and an absolute path in UTF-8 (or
// nothing: "just raise"); the first instance answers "OK\n".
#pragma once

#include <QLocalServer>
#include <QObject>
#include <QString>

class QLocalSocket;

class SingleInstance : public QObject {
    Q_OBJECT
public:
    enum class Role {
        Primary,     // this process listens: it opens the window
        Secondary,   // a running instance took the message: exit 0
        Standalone,  // no server possible (or the running one did not answer): open a window alone
    };

    static constexpr int kMaxPathBytes = 32 * 1024;  // longer messages are refused

    explicit SingleInstance(QObject* parent = nullptr);
    ~SingleInstance() override;

    // $FACET_INSTANCE_NAME, else the app id plus the user, so two users never meet.
    static QString defaultServerName();
    QString serverName() const { return name_; }
    void setServerName(const QString& name) { name_ = name; }

    // Hands `path` (absolute, or empty: raise only) to a running instance, or
    // becomes the one others hand theirs to. Blocks for short I/O timeouts only.
    Role start(const QString& path);
    bool listening() const { return server_.isListening(); }

signals:
    // Another launch asked for the window; `path` is absolute or empty.
    void activationRequested(const QString& path);

private:
    enum class Delivery { Delivered, NoServer, NoAnswer };
    Delivery deliver(const QString& path) const;
    bool listen();
    void onNewConnection();
    void onReadyRead(QLocalSocket* socket);

    QString name_;
    QLocalServer server_;
};
