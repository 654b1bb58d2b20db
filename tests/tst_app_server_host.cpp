// The app's local API server (Settings → Server) over the chat's own model,
// through the real ChatController, EngineWorker and HTTP: no model → 503;
// the key guards /v1 (401 without it, the old one after a regenerate) and
// never lands in the settings INI; an answer shows in the request log with
// its status and tokens; and the chat and the API share one model and one KV
// cache without disturbing each other — greedy replies are the same with
// API requests run between (and beside) the chat's turns as without them.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_controller.h"
#include "local_api_server.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"
#include "support/http_test_client.h"
#include "support/test_paths.h"

using namespace facet::test;

namespace {

const QByteArray kRivers = R"({"model":"tiny","messages":[{"role":"user","content":"Name a river."}],)"
                           R"("temperature":0,"max_tokens":10})";

}  // namespace

class TstAppServerHost : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_;
    QHash<QString, QString> keyring_;
    QString firstApiAnswer_;  // the greedy answer to kRivers, from the first request

    struct Rig {
        std::unique_ptr<ChatController> chat;
        std::unique_ptr<LocalApiServer> server;
    };

    Rig make(const QString& name) {
        const QString data = dir_.filePath(name);
        QDir().mkpath(data);
        Rig r;
        r.chat = std::make_unique<ChatController>();
        r.chat->setDatabasePath(data + "/chats.sqlite");
        r.chat->settings()->setFile(data + "/settings.ini");
        r.chat->settings()->setTemperature(0);  // greedy, short, no thinking
        r.chat->settings()->setMaxTokens(10);
        r.chat->settings()->setThinking(false);
        r.server = std::make_unique<LocalApiServer>();
        r.server->setSettingsFile(data + "/settings.ini");  // the chat's file: the key must stay out of it
        r.server->setSecretStore(std::make_unique<MemoryKeyring>(&keyring_));
        r.server->setPort(0);
        r.server->setChat(r.chat.get());
        return r;
    }

    static bool load(ChatController& chat, const QString& path) {
        chat.loadModel(path);
        return QTest::qWaitFor([&] { return !chat.loading(); }, kHangMs) && chat.modelLoaded();
    }

    static bool start(LocalApiServer& server) {
        server.setEnabled(true);
        return QTest::qWaitFor([&] { return server.running(); }, kHangMs);
    }

    static QByteArray request(const LocalApiServer& server, const QByteArray& method, const QByteArray& path,
                              const QByteArray& body, const QString& key) {
        QByteArray r = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(server.boundPort()) + "\r\n";
        if (!key.isEmpty()) r += "Authorization: Bearer " + key.toUtf8() + "\r\n";
        if (!body.isEmpty()) r += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        return r + "\r\n" + body;
    }

    static Response call(const LocalApiServer& server, const QByteArray& method, const QByteArray& path,
                         const QByteArray& body, const QString& key) {
        Client client(kV4, quint16(server.boundPort()));
        client.send(request(server, method, path, body, key));
        return client.next().value_or(Response{});
    }

    static QString answerOf(const Response& r) {
        return QJsonDocument::fromJson(r.body).object()["choices"].toArray().at(0).toObject()["message"].toObject()
            ["content"].toString();
    }

    static QString reply(ChatController& chat, const QString& text) {
        QSignalSpy done(&chat, &ChatController::replyFinished);
        if (!chat.send(text) || !done.wait(kHangMs)) return QStringLiteral("<no reply: %1>").arg(chat.banner());
        return chat.messages()->items().last().text;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_BACKEND", "cpu");
        qputenv("FACET_DATA_DIR", dir_.filePath("data").toUtf8());
        qputenv("FACET_CONFIG_DIR", dir_.filePath("config").toUtf8());
        model_ = dir_.filePath("tiny.gguf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model_});
        QVERIFY(mk.waitForFinished(kHangMs) && mk.exitCode() == 0);
    }

    void noModelAnswers503() {
        Rig r = make("nomodel");
        QVERIFY2(start(*r.server), qPrintable(r.server->lastError()));
        QVERIFY(r.server->address().startsWith("http://127.0.0.1:"));
        const Response chat = call(*r.server, "POST", "/v1/chat/completions", kRivers, r.server->apiKey());
        QCOMPARE(chat.status, 503);
        QCOMPARE(chat.error()["message"].toString(), QString("no model is loaded in Facet"));
        QCOMPARE(chat.error()["type"].toString(), QString("unavailable_error"));
        const Response models = call(*r.server, "GET", "/v1/models", {}, r.server->apiKey());
        QCOMPARE(models.status, 200);
        QCOMPARE(QJsonDocument::fromJson(models.body).object()["data"].toArray().size(), 0);
    }

    void servesTheChatModelAndLogsIt() {
        Rig r = make("serve");
        QAbstractItemModelTester tester(r.server->requestLog());
        QVERIFY(load(*r.chat, model_));
        QVERIFY2(start(*r.server), qPrintable(r.server->lastError()));
        QVERIFY(r.server->apiKey().startsWith("sk-facet-"));
        QCOMPARE(r.server->modelId(), QString("tiny"));

        const Response models = call(*r.server, "GET", "/v1/models", {}, r.server->apiKey());
        QCOMPARE(models.status, 200);
        QCOMPARE(QJsonDocument::fromJson(models.body).object()["data"].toArray().at(0).toObject()["id"].toString(),
                 QString("tiny"));  // the file name without .gguf
        QCOMPARE(call(*r.server, "POST", "/v1/chat/completions", kRivers, {}).status, 401);

        const Response answer = call(*r.server, "POST", "/v1/chat/completions", kRivers, r.server->apiKey());
        QCOMPARE(answer.status, 200);
        firstApiAnswer_ = answerOf(answer);
        QVERIFY(!firstApiAnswer_.isEmpty());
        const QJsonObject usage = QJsonDocument::fromJson(answer.body).object()["usage"].toObject();

        // Newest first: the chat completion, then /v1/models; the 401 never reached the API.
        RequestLogModel* log = r.server->requestLog();
        QCOMPARE(log->rowCount(), 2);
        const RequestLogEntry& e = log->entries().first();
        QCOMPARE(e.method, QString("POST"));
        QCOMPARE(e.path, QString("/v1/chat/completions"));
        QCOMPARE(e.status, 200);
        QCOMPARE(e.promptTokens, usage["prompt_tokens"].toInt());
        QCOMPARE(e.completionTokens, usage["completion_tokens"].toInt());
        QVERIFY(e.completionTokens > 0);
        QVERIFY(log->data(log->index(0), int(RequestLogModel::Role::TokensPerSecond)).toDouble() > 0);
        QCOMPARE(log->entries().at(1).path, QString("/v1/models"));

        // The key lives in the secret store, never in the INI beside the settings.
        QFile ini(dir_.filePath("serve/settings.ini"));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray settings = ini.readAll();
        QVERIFY(settings.contains("enabled=true"));
        QVERIFY(!settings.contains(r.server->apiKey().toUtf8()));
        QVERIFY(keyring_.values().contains(r.server->apiKey()));
    }

    void chatAndApiShareTheModelWithoutCorruptingEachOther() {
        QVERIFY(!firstApiAnswer_.isEmpty());
        Rig r = make("share");
        QVERIFY(load(*r.chat, model_));
        QVERIFY2(start(*r.server), qPrintable(r.server->lastError()));

        // Two chat turns alone: the second prefills only its new tokens.
        r.chat->newConversation();
        const QString first = reply(*r.chat, "Tell me about rivers.");
        const QString second = reply(*r.chat, "And lakes?");
        QVERIFY(!first.startsWith("<no reply") && !second.startsWith("<no reply"));
        QVERIFY(!first.isEmpty() && !second.isEmpty());

        // The same turns with API requests between them and beside the second.
        r.chat->newConversation();
        QCOMPARE(reply(*r.chat, "Tell me about rivers."), first);
        const Response between = call(*r.server, "POST", "/v1/chat/completions", kRivers, r.server->apiKey());
        QCOMPARE(between.status, 200);
        QCOMPARE(answerOf(between), firstApiAnswer_);  // the chat's KV state did not leak into it
        Client beside(kV4, quint16(r.server->boundPort()));
        beside.send(request(*r.server, "POST", "/v1/chat/completions", kRivers, r.server->apiKey()));
        QCOMPARE(reply(*r.chat, "And lakes?"), second);
        const std::optional<Response> besideAnswer = beside.next();
        QVERIFY(besideAnswer);
        QCOMPARE(besideAnswer->status, 200);
        QCOMPARE(answerOf(*besideAnswer), firstApiAnswer_);
        QCOMPARE(r.chat->banner(), QString());
    }

    void regeneratedKeyReplacesTheOld() {
        Rig r = make("regen");
        QVERIFY2(start(*r.server), qPrintable(r.server->lastError()));
        const QString old = r.server->apiKey();
        QVERIFY(!old.isEmpty());
        QCOMPARE(call(*r.server, "GET", "/v1/models", {}, old).status, 200);
        QSignalSpy changed(r.server.get(), &LocalApiServer::apiKeyChanged);
        r.server->regenerateKey();
        QVERIFY(changed.wait(kHangMs));
        QTRY_VERIFY_WITH_TIMEOUT(r.server->running(), kHangMs);
        const QString fresh = r.server->apiKey();
        QVERIFY(fresh != old && fresh.startsWith("sk-facet-"));
        QCOMPARE(call(*r.server, "GET", "/v1/models", {}, old).status, 401);
        QCOMPARE(call(*r.server, "GET", "/v1/models", {}, fresh).status, 200);
        QCOMPARE(call(*r.server, "GET", "/health", {}, {}).status, 200);  // open without a key
        QFile ini(dir_.filePath("regen/settings.ini"));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray settings = ini.readAll();
        QVERIFY(!settings.contains(old.toUtf8()) && !settings.contains(fresh.toUtf8()));
    }

    void lanAccessStillAnswersOnLoopback() {
        Rig r = make("lan");
        QVERIFY2(start(*r.server), qPrintable(r.server->lastError()));
        r.server->setLanAccess(true);  // restarts on every interface
        QTRY_VERIFY_WITH_TIMEOUT(r.server->running(), kHangMs);
        QCOMPARE(r.server->lastError(), QString());
        QCOMPARE(call(*r.server, "GET", "/v1/models", {}, r.server->apiKey()).status, 200);
        QCOMPARE(call(*r.server, "GET", "/v1/models", {}, {}).status, 401);  // the key guards the LAN too
    }

    void busyPortIsReported() {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost));
        Rig r = make("busy");
        r.server->setPort(squatter.serverPort());
        r.server->setEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(!r.server->lastError().isEmpty(), kHangMs);
        QVERIFY(!r.server->running());
        QVERIFY2(r.server->lastError().contains(QString::number(squatter.serverPort())), qPrintable(r.server->lastError()));
        QCOMPARE(r.server->address(), QString());
    }

    void originsAreCheckedAndKept() {
        Rig r = make("origins");
        QVERIFY(r.server->addAllowedOrigin("http://localhost:3000"));
        QVERIFY(!r.server->addAllowedOrigin("http://localhost:3000/path"));
        QVERIFY(!r.server->lastError().isEmpty());
        QVERIFY(r.server->addAllowedOrigin("https://app.example.org"));
        QCOMPARE(r.server->allowedOrigins(), (QStringList{"http://localhost:3000", "https://app.example.org"}));
        r.server->removeAllowedOrigin("http://localhost:3000");
        LocalApiServer again;
        again.setSettingsFile(dir_.filePath("origins/settings.ini"));
        QCOMPARE(again.allowedOrigins(), QStringList{"https://app.example.org"});
    }
};

QTEST_MAIN(TstAppServerHost)
#include "tst_app_server_host.moc"
