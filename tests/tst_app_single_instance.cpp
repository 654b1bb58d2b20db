// One Facet per user (app/desktop/single_instance): a second SingleInstance
// hands its absolute path (or nothing: "raise") to the first; a socket file
// left by a killed instance is taken over; garbage, oversized and malformed
// messages are dropped unanswered and never reach the window. Then the real
// thing: Main.qml offscreen in this process, wired as app/main.cpp wires it,
// and the built `facet` binary started with a model path: it exits 0 without
// a window of its own, and this window un-minimizes and opens the model (or
// shows an error for a folder that is no model).
#include <QDir>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QtEndian>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "desktop/launch_options.h"
#include "desktop/single_instance.h"
#include "desktop/window_activation.h"
#include "model_info_controller.h"
#include "model_path_check.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"
#include "support/window_shot.h"

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;
using Role = SingleInstance::Role;

namespace {

QString appPath() { return qEnvironmentVariable("FACET_APP", QStringLiteral(FACET_APP)); }

// A name no other test run uses (ctest may run several binaries at once).
QString uniqueName() {
    static int n = 0;
    return QStringLiteral("facet-tst-%1-%2").arg(QCoreApplication::applicationPid()).arg(++n);
}

// What a second launch does, on a thread of its own (a second process would
// not share the first one's event loop either): its role once it returns.
Role startSecond(const QString& name, const QString& path) {
    Role role = Role::Standalone;
    QThread* t = QThread::create([&] {
        SingleInstance second;
        second.setServerName(name);
        role = second.start(path);
    });
    t->start();
    // The first instance answers from this thread's event loop.
    if (!QTest::qWaitFor([t] { return t->isFinished(); }, kHangMs)) qFatal("the second launch hung");
    delete t;
    return role;
}

QByteArray header(quint32 length) {
    QByteArray out("FACET-OPEN1");
    char len[4];
    qToBigEndian<quint32>(length, len);
    return out + QByteArray(len, 4);
}

}  // namespace

class TstAppSingleInstance : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
    }

    void serverNameIsPerUserAndOverridable() {
        qunsetenv("FACET_INSTANCE_NAME");
        const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
        const QByteArray flatpak = qgetenv("FLATPAK_ID");
        qunsetenv("FLATPAK_ID");
#ifdef Q_OS_UNIX
        // No XDG_RUNTIME_DIR: Qt's private runtime folder (0700, this user's), never a shared /tmp name.
        qunsetenv("XDG_RUNTIME_DIR");
        const QString name = SingleInstance::defaultServerName();
        QVERIFY2(name.endsWith("/io.github.facet.Facet.instance"), qPrintable(name));
        const QFileInfo folder(QFileInfo(name).absolutePath());
        QCOMPARE(folder.ownerId(), ::getuid());
        QCOMPARE(folder.permissions() & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
        // The user's runtime folder holds the socket; inside Flatpak, the app's shared part of it.
        QTemporaryDir runtimeDir;
        QVERIFY(QDir(runtimeDir.path()).mkpath("app/io.github.facet.Facet"));
        qputenv("XDG_RUNTIME_DIR", runtimeDir.path().toUtf8());
        QCOMPARE(SingleInstance::defaultServerName(), runtimeDir.path() + "/io.github.facet.Facet.instance");
        qputenv("FLATPAK_ID", "io.github.facet.Facet");
        QCOMPARE(SingleInstance::defaultServerName(), runtimeDir.path() + "/app/io.github.facet.Facet/io.github.facet.Facet.instance");
        qunsetenv("FLATPAK_ID");
#endif
        if (runtime.isNull()) qunsetenv("XDG_RUNTIME_DIR"); else qputenv("XDG_RUNTIME_DIR", runtime);
        if (!flatpak.isNull()) qputenv("FLATPAK_ID", flatpak);
        qputenv("FACET_INSTANCE_NAME", "facet-tst-override");
        QCOMPARE(SingleInstance().serverName(), QString("facet-tst-override"));
        qunsetenv("FACET_INSTANCE_NAME");
    }

    void pathArgumentsBecomeAbsolute() {
        QCOMPARE(facet::absolutePathArgument(""), QString());
        QCOMPARE(facet::absolutePathArgument("models/a.gguf"), QDir::current().absoluteFilePath("models/a.gguf"));
        QCOMPARE(facet::absolutePathArgument("/x/../y/b.gguf"), QString("/y/b.gguf"));
        QCOMPARE(facet::absolutePathArgument("file:///tmp/m%20n.gguf"), QString("/tmp/m n.gguf"));
    }

    void secondHandsItsPathToTheFirst() {
        const QString name = uniqueName();
        SingleInstance first;
        first.setServerName(name);
        QCOMPARE(first.start({}), Role::Primary);
        QVERIFY(first.listening());
        QSignalSpy asked(&first, &SingleInstance::activationRequested);
        const QString path = facet::absolutePathArgument("some folder/ü model.gguf");
        QCOMPARE(startSecond(name, path), Role::Secondary);
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, kHangMs);
        QCOMPARE(asked.at(0).at(0).toString(), path);

        // Nothing to open: the first only comes to the front.
        QCOMPARE(startSecond(name, {}), Role::Secondary);
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 2, kHangMs);
        QCOMPARE(asked.at(1).at(0).toString(), QString());
    }

#ifdef Q_OS_UNIX
    // A killed Facet leaves its socket file: nobody answers on it, so the next
    // launch removes it and listens, and launches after it reach that one.
    void staleSocketIsTakenOver() {
        const QString name = uniqueName();
        const QByteArray file = QDir(QDir::tempPath()).filePath(name).toLocal8Bit();
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        QVERIFY(size_t(file.size()) < sizeof(addr.sun_path));
        memcpy(addr.sun_path, file.constData(), size_t(file.size()));
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
        ::close(fd);  // bound, never listening: what a killed process leaves
        QVERIFY(QFileInfo::exists(QString::fromLocal8Bit(file)));

        SingleInstance first;
        first.setServerName(name);
        QCOMPARE(first.start({}), Role::Primary);
        QSignalSpy asked(&first, &SingleInstance::activationRequested);
        QCOMPARE(startSecond(name, "/models/after-a-crash.gguf"), Role::Secondary);
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, kHangMs);
        QCOMPARE(asked.at(0).at(0).toString(), QString("/models/after-a-crash.gguf"));
    }
#endif

    void garbageIsDropped_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("not the protocol") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QTest::newRow("binary noise") << QByteArray("\x00\xff\x13\x37 FACET", 10);
        QTest::newRow("over the bound") << header(SingleInstance::kMaxPathBytes + 1) + QByteArray(4096, '/');
        QTest::newRow("huge length") << header(0xffffffffu);
        QTest::newRow("bad UTF-8") << header(4) + QByteArray("/\xff\xfe\xfd");
        QTest::newRow("relative path") << header(6) + QByteArray("a.gguf");
        QTest::newRow("NUL in path") << header(4) + QByteArray("/a\0b", 4);
        QTest::newRow("bytes after it") << header(2) + QByteArray("/aEXTRA");
    }

    void garbageIsDropped() {
        QFETCH(QByteArray, bytes);
        const QString name = uniqueName();
        SingleInstance first;
        first.setServerName(name);
        QCOMPARE(first.start({}), Role::Primary);
        QSignalSpy asked(&first, &SingleInstance::activationRequested);

        QLocalSocket client;
        QSignalSpy closed(&client, &QLocalSocket::disconnected);
        client.connectToServer(name);
        QVERIFY(client.waitForConnected(kHangMs));
        client.write(bytes);
        client.flush();
        QVERIFY(closed.wait(kHangMs));  // the first instance hung up...
        QCOMPARE(client.readAll(), QByteArray());  // ...without answering
        QCOMPARE(asked.size(), 0);

        // It still serves a proper launch.
        QCOMPARE(startSecond(name, "/still/here.gguf"), Role::Secondary);
        QTRY_COMPARE_WITH_TIMEOUT(asked.size(), 1, kHangMs);
        QCOMPARE(asked.at(0).at(0).toString(), QString("/still/here.gguf"));
    }

    // The built app as a second launch, handing a relative model path to
    // Main.qml in this process (minimized first: it must come back).
    void secondLaunchOpensTheModelInTheRunningWindow() {
        QTest::failOnWarning(QRegularExpression("qrc:/Facet/"));
        const QString model = dir_.filePath("handed.gguf");
        QProcess mk;  // a tiny model with the real Gemma vocabulary (the chat needs its turn tokens)
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model});
        QVERIFY(mk.waitForFinished(kHangMs));
        QCOMPARE(mk.exitCode(), 0);
        const QString notModel = dir_.filePath("Holiday pictures");
        QVERIFY(QDir().mkpath(notModel));

        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        auto* info = window->findChild<ModelInfoController*>();
        QVERIFY(chat && info);
        const QString name = uniqueName();
        SingleInstance instance;
        instance.setServerName(name);
        QCOMPARE(instance.start({}), Role::Primary);
        facet::routeActivationsToWindow(instance, window);  // as app/main.cpp does
        // This window's data went to FACET_DATA_DIR: a second Facet showing a window would write there too.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(dir_.filePath("data/chats.sqlite")), kHangMs);

        window->setWindowStates(Qt::WindowMinimized);
        QTRY_VERIFY_WITH_TIMEOUT(window->windowStates() & Qt::WindowMinimized, kHangMs);
        QProcess second;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FACET_INSTANCE_NAME", name);
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("FACET_DATA_DIR", dir_.filePath("second-data"));
        env.insert("FACET_CONFIG_DIR", dir_.filePath("second-config"));
        second.setProcessEnvironment(env);
        second.setWorkingDirectory(dir_.path());
        second.start(appPath(), {"handed.gguf"});
        QVERIFY2(second.waitForStarted(kHangMs), qPrintable(second.errorString()));
        // The window's event loop must run while the second one waits for its answer.
        QTRY_VERIFY_WITH_TIMEOUT(second.state() == QProcess::NotRunning, kHangMs);
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());
        QVERIFY2(!QFileInfo::exists(dir_.filePath("second-data")), "the second launch made a window of its own");

        QTRY_VERIFY_WITH_TIMEOUT(!(window->windowStates() & Qt::WindowMinimized), kHangMs);
        QVERIFY(window->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(info->modelPath(), model, kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(!chat->loading() && (chat->modelLoaded() || !chat->banner().isEmpty()), kHangMs);
        QVERIFY2(chat->banner().isEmpty(), qPrintable(chat->banner()));
        QCOMPARE(chat->modelPath(), model);

        // A folder that holds no model ("Open with Facet" on any folder): a
        // clear error in the window, no crash, the loaded model kept.
        QProcess third;
        third.setProcessEnvironment(env);
        third.start(appPath(), {notModel});
        QVERIFY(third.waitForStarted(kHangMs));
        QTRY_VERIFY_WITH_TIMEOUT(third.state() == QProcess::NotRunning, kHangMs);
        QCOMPARE(third.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!chat->banner().isEmpty(), kHangMs);
        QVERIFY2(chat->banner().contains("“Holiday pictures” holds no model"), qPrintable(chat->banner()));
        QCOMPARE(info->error(), chat->banner());
        QVERIFY(!chat->loading());
        QCOMPARE(chat->modelPath(), model);
        QVERIFY(saveFrame(window, QCoreApplication::applicationDirPath() + "/single_instance_not_a_model.png"));
    }

    // What "Open with Facet" may hand over that is no model: said before any load.
    void pathsThatAreNoModelAreExplained() {
        QCOMPARE(modelPathProblem(dataFile("e2b-like.q8_0.gguf")), QString());
        const QString folder = dir_.filePath("hf-folder");
        QVERIFY(QDir().mkpath(folder));
        QVERIFY2(modelPathProblem(folder).contains("holds no model"), qPrintable(modelPathProblem(folder)));
        QFile config(folder + "/config.json");
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.close();
        QCOMPARE(modelPathProblem(folder), QString());  // the engine judges the rest
        QFile notes(dir_.filePath("notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("GGU");
        notes.close();
        QVERIFY2(modelPathProblem(notes.fileName()).contains("“notes.txt” is not a model"),
                 qPrintable(modelPathProblem(notes.fileName())));
        QVERIFY(modelPathProblem(dir_.filePath("gone.gguf")).contains("no such file or folder"));
#ifdef Q_OS_UNIX
        // A named pipe with no writer: opening it would block for good; it is refused unopened.
        const QString fifo = dir_.filePath("model.gguf");
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QVERIFY2(modelPathProblem(fifo).contains("“model.gguf” is not a model"), qPrintable(modelPathProblem(fifo)));
#endif
    }

    void helpNamesTheNewInstanceOption() {
        QProcess help;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        help.setProcessEnvironment(env);
        help.start(appPath(), {"--help"});
        QVERIFY(help.waitForFinished(kHangMs));
        QCOMPARE(help.exitCode(), 0);
        const QString text = QString::fromUtf8(help.readAllStandardOutput());
        QVERIFY2(text.contains("--new-instance") && text.contains("MODEL"), qPrintable(text));
    }
};

QTEST_MAIN(TstAppSingleInstance)
#include "tst_app_single_instance.moc"
