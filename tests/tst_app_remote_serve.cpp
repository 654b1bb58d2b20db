// The app's remote mode against Facet's own server, a real round trip:
// `facet-cli serve` runs a tiny model with an API key; the chat adds it as a
// remote server, loads its model and sends a message. With greedy sampling
// the reply must be exactly what the same model gives in a local chat — the
// API and the app share the engine path, so any difference is a bug in the
// request, the template or the stream.
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_controller.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

using namespace facet::test;

namespace {

const QString kKey = QStringLiteral("sk-facet-roundtrip-2718");

}  // namespace

class TstAppRemoteServe : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QHash<QString, QString> keyring_;
    QString model_;

    std::unique_ptr<ChatController> make(const QString& name) {
        const QString data = dir_.filePath(name);
        QDir().mkpath(data);
        qputenv("FACET_DATA_DIR", data.toUtf8());
        auto c = std::make_unique<ChatController>();
        c->setDatabasePath(data + "/chats.sqlite");
        c->settings()->setFile(data + "/settings.ini");
        c->remotes()->setSecretStore(std::make_unique<MemoryKeyring>(&keyring_));
        return c;
    }

    // Greedy, short, no thinking: the same request both ways.
    static void greedy(ChatController& c) {
        c.settings()->setTemperature(0);
        c.settings()->setMaxTokens(12);
        c.settings()->setThinking(false);
    }

    static QString replyTo(ChatController& c, const QString& text) {
        QSignalSpy done(&c, &ChatController::replyFinished);
        if (!c.send(text) || !done.wait(kHangMs)) return QStringLiteral("<no reply: %1>").arg(c.banner());
        return c.messages()->items().last().text;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_BACKEND", "cpu");
        model_ = dir_.filePath("tiny.gguf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model_});
        QVERIFY(mk.waitForFinished(kHangMs) && mk.exitCode() == 0);
    }

    void remoteReplyEqualsTheLocalOne() {
        // Local first.
        auto local = make("local");
        local->loadModel(model_);
        QTRY_VERIFY_WITH_TIMEOUT(!local->loading(), kHangMs);
        QVERIFY2(local->modelLoaded(), qPrintable(local->banner()));
        greedy(*local);
        const QString expected = replyTo(*local, "Tell me about rivers.");
        QVERIFY(!expected.startsWith("<no reply"));
        QVERIFY(!expected.isEmpty());
        local.reset();

        // The same model behind facet-cli serve.
        QProcess serve;
        serve.setProcessChannelMode(QProcess::SeparateChannels);
        serve.start(cliPath(), {"serve", "--model", model_, "--port", "0", "--api-key", kKey, "--backend", "cpu"});
        QVERIFY(serve.waitForStarted(kHangMs));
        QTRY_VERIFY_WITH_TIMEOUT(serve.canReadLine(), kHangMs);
        const QString line = QString::fromUtf8(serve.readLine()).trimmed();
        QVERIFY2(line.startsWith("listening on http://127.0.0.1:"), qPrintable(line));
        const QString base = line.mid(QStringLiteral("listening on ").size());

        auto remote = make("remote");
        QVERIFY(remote->remotes()->save("Facet serve", base, kKey, false));
        QTRY_VERIFY_WITH_TIMEOUT(!remote->remotes()->modelKeys().isEmpty(), kHangMs);
        QCOMPARE(remote->remotes()->modelKeys().size(), 1);
        QVERIFY(remote->remotes()->modelKeys().first().endsWith("/tiny"));  // the file name without .gguf
        remote->loadModel(remote->remotes()->modelKeys().first());
        QTRY_VERIFY_WITH_TIMEOUT(!remote->loading(), kHangMs);
        QVERIFY2(remote->modelLoaded(), qPrintable(remote->banner()));
        greedy(*remote);
        QCOMPARE(replyTo(*remote, "Tell me about rivers."), expected);
        QCOMPARE(remote->banner(), QString());
        QVERIFY(remote->lastStats().value("promptTokens").toInt() > 0);

        serve.terminate();
        QVERIFY(serve.waitForFinished(kHangMs));
        QCOMPARE(serve.exitCode(), 0);
    }
};

QTEST_MAIN(TstAppRemoteServe)
#include "tst_app_remote_serve.moc"
