// Remote OpenAI-compatible servers end to end against a fake server on
// loopback (support/fake_openai_server.h) that streams like vLLM ("reasoning")
// or like llama.cpp ("reasoning_content"): OpenAiClient lists models and
// streams thinking, answer, finish reason and usage; a ChatController
// conversation on "remote:<id>/<model>" streams into the message list,
// records usage, sends the history as OpenAI messages, Stop closes the
// connection and keeps the partial reply, HTTP 401/500 and a mid-stream
// error give readable banners, and the key is in the secret store, in no
// file of the data folder.
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_controller.h"
#include "openai_client.h"
#include "remote_servers.h"
#include "remote_url.h"
#include "secret_store.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {
const QString kKey = QStringLiteral("sk-remote-test-5150");
}  // namespace

class TstAppRemoteChat : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QHash<QString, QString> keyring_;
    int instances_ = 0;

    // A controller whose data (servers file, database, settings) is in a fresh folder under dir_.
    std::unique_ptr<ChatController> make(QString* dataDir) {
        *dataDir = dir_.filePath(QString("data-%1").arg(++instances_));
        QDir().mkpath(*dataDir);
        qputenv("FACET_DATA_DIR", dataDir->toUtf8());
        auto c = std::make_unique<ChatController>();
        c->setDatabasePath(*dataDir + "/chats.sqlite");
        c->settings()->setFile(*dataDir + "/settings.ini");
        c->remotes()->setSecretStore(std::make_unique<MemoryKeyring>(&keyring_));
        return c;
    }

    // Saves the fake server with kKey and loads its model.
    static bool addAndLoad(ChatController& c, const FakeOpenAiServer& server, const QString& name) {
        QSignalSpy servers(c.remotes(), &RemoteServers::serversChanged);
        if (!c.remotes()->save(name, server.baseUrl(), kKey, false)) return false;
        if (!QTest::qWaitFor([&] { return !c.remotes()->modelKeys().isEmpty(); }, kHangMs)) return false;
        c.loadModel(c.remotes()->modelKeys().first());
        return QTest::qWaitFor([&] { return !c.loading(); }, kHangMs) && c.modelLoaded();
    }

    static bool waitReply(ChatController& c) {
        QSignalSpy done(&c, &ChatController::replyFinished);
        return done.wait(kHangMs);
    }

    static QStringList filesContaining(const QString& dir, const QByteArray& needle) {
        QStringList hits;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle)) hits.push_back(f.fileName());
        }
        return hits;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void clientListsModels() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.modelsBody = R"({"data":[{"id":"a","max_model_len":4096},{"id":"b"}]})";
        OpenAiClient client;
        client.setServer(normalizeBaseUrl(server.baseUrl()).url, kKey, false);
        QSignalSpy listed(&client, &OpenAiClient::modelsListed);
        client.listModels();
        QVERIFY(listed.wait(kHangMs));
        const auto models = listed.first().first().value<QList<ModelEntry>>();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[0].id, QString("a"));
        QCOMPARE(models[0].contextLength, 4096);
        QCOMPARE(server.requests.last().path, QByteArray("/v1/models"));
        QCOMPARE(server.requests.last().headers.value("authorization"), "Bearer " + kKey.toUtf8());
    }

    // Plain http to another computer needs the user's confirmation: no request leaves without it.
    void clientRefusesUnconfirmedPlainHttp() {
        OpenAiClient client;
        client.setServer(normalizeBaseUrl("http://10.255.255.1:8000/v1").url, kKey, false);
        QSignalSpy failed(&client, &OpenAiClient::modelsFailed);
        QSignalSpy chatFailed(&client, &OpenAiClient::failed);
        client.listModels();
        client.chat("m", {}, {});
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains("unencrypted"), qPrintable(failed.first().first().toString()));
        QCOMPARE(chatFailed.count(), 1);
        QVERIFY(!client.chatting());
    }

    void clientStreams_data() {
        QTest::addColumn<QString>("field");
        QTest::addRow("vLLM reasoning") << "reasoning";
        QTest::addRow("llama.cpp reasoning_content") << "reasoning_content";
    }
    void clientStreams() {
        QFETCH(QString, field);
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = answerScript(field);
        OpenAiClient client;
        client.setServer(normalizeBaseUrl(server.baseUrl()).url, kKey, false);
        QString thinking, answer;
        connect(&client, &OpenAiClient::delta, this, [&](const QString& t, const QString& a) {
            thinking += t;
            answer += a;
        });
        QSignalSpy finished(&client, &OpenAiClient::finished);
        QSignalSpy failed(&client, &OpenAiClient::failed);
        client.chat("gemma-4-e4b-it", QJsonArray{QJsonObject{{"role", "user"}, {"content", "Hi"}}}, {{"temperature", 0.5}});
        QVERIFY(finished.wait(kHangMs));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(thinking, QString("Let me think."));
        QCOMPARE(answer, QString("Hello there!"));
        QCOMPARE(finished.first().at(0).toString(), QString("stop"));
        QCOMPARE(finished.first().at(1).toMap().value("completion_tokens").toInt(), 9);
        const FakeOpenAiServer::Request& r = server.requests.last();
        QCOMPARE(r.path, QByteArray("/v1/chat/completions"));
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value("model").toString(), QString("gemma-4-e4b-it"));
        QCOMPARE(body.value("stream").toBool(), true);
        QCOMPARE(body.value("stream_options").toObject().value("include_usage").toBool(), true);
        QCOMPARE(body.value("temperature").toDouble(), 0.5);
        QCOMPARE(body.value("messages").toArray().size(), 1);
    }

    // A server that ignores stream=true and sends one chat.completion document.
    void clientTakesAWholeJsonAnswer() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatType = "application/json";
        server.chatBody = R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",)"
                          R"("reasoning":"Short thought.","content":"Whole answer."},"finish_reason":"length"}],)"
                          R"("usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}})";
        OpenAiClient client;
        client.setServer(normalizeBaseUrl(server.baseUrl()).url, kKey, false);
        QString thinking, answer;
        connect(&client, &OpenAiClient::delta, this, [&](const QString& t, const QString& a) {
            thinking += t;
            answer += a;
        });
        QSignalSpy finished(&client, &OpenAiClient::finished);
        client.chat("m", {}, {});
        QVERIFY(finished.wait(kHangMs));
        QCOMPARE(thinking, QString("Short thought."));
        QCOMPARE(answer, QString("Whole answer."));
        QCOMPARE(finished.first().at(0).toString(), QString("length"));
        QCOMPARE(finished.first().at(1).toMap().value("total_tokens").toInt(), 8);
    }

    // The connection ends before a finish reason or [DONE]: an error, not a silent short answer.
    void clientReportsATruncatedStream() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = sseChunk({{"content", "Half an ans"}});
        OpenAiClient client;
        client.setServer(normalizeBaseUrl(server.baseUrl()).url, kKey, false);
        QSignalSpy delta(&client, &OpenAiClient::delta);
        QSignalSpy finished(&client, &OpenAiClient::finished);
        QSignalSpy failed(&client, &OpenAiClient::failed);
        client.chat("m", {}, {});
        QVERIFY(failed.wait(kHangMs));
        QCOMPARE(delta.count(), 1);
        QCOMPARE(finished.count(), 0);
        QVERIFY2(failed.first().first().toString().contains("before the answer was complete"),
                 qPrintable(failed.first().first().toString()));
    }

    void conversationOnRemoteModel_data() { clientStreams_data(); }
    void conversationOnRemoteModel() {
        QFETCH(QString, field);
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = answerScript(field);
        QString data;
        auto c = make(&data);
        QVERIFY2(addAndLoad(*c, server, "Fake server"), qPrintable(c->banner()));
        QCOMPARE(c->modelName(), QString("gemma-4-e4b-it · Fake server"));
        QCOMPARE(c->contextSize(), 32768);
        QCOMPARE(c->deviceName(), QString("127.0.0.1:%1").arg(QUrl(server.baseUrl()).port()));
        c->settings()->setSystemPrompt("Be brief.");  // the model's own settings group
        c->settings()->setThinking(true);

        QVERIFY(c->send("Hi there"));
        QVERIFY(c->generating());
        QVERIFY(waitReply(*c));
        QCOMPARE(c->banner(), QString());
        StoredMessage last = c->messages()->items().last();
        QCOMPARE(last.role, QString("model"));
        QCOMPARE(last.thinking, QString("Let me think."));
        QCOMPARE(last.text, QString("Hello there!"));
        QCOMPARE(last.partial, false);
        QCOMPARE(last.tokens, 9);  // usage.completion_tokens
        QCOMPARE(c->lastStats().value("promptTokens").toInt(), 12);
        QCOMPARE(c->lastStats().value("stopReason").toString(), QString("stop"));
        QCOMPARE(c->contextUsed(), 21);
        // Saved like a local reply.
        const QList<StoredMessage> saved = c->store().messages(c->currentConversation());
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.last().text, QString("Hello there!"));
        QCOMPARE(saved.last().thinking, QString("Let me think."));
        QCOMPARE(saved.last().partial, false);
        QCOMPARE(saved.last().tokens, 9);

        QJsonObject body = QJsonDocument::fromJson(server.requests.last().body).object();
        QCOMPARE(body.value("model").toString(), QString("gemma-4-e4b-it"));
        QCOMPARE(body.value("chat_template_kwargs").toObject().value("enable_thinking").toBool(), true);
        QCOMPARE(server.requests.last().headers.value("authorization"), "Bearer " + kKey.toUtf8());

        // The follow-up carries the history: system, user, assistant, user.
        QVERIFY(c->send("And again"));
        QVERIFY(waitReply(*c));
        body = QJsonDocument::fromJson(server.requests.last().body).object();
        const QJsonArray messages = body.value("messages").toArray();
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages[0].toObject().value("role").toString(), QString("system"));
        QCOMPARE(messages[0].toObject().value("content").toString(), QString("Be brief."));
        QCOMPARE(messages[1].toObject().value("content").toString(), QString("Hi there"));
        QCOMPARE(messages[2].toObject().value("role").toString(), QString("assistant"));
        QCOMPARE(messages[2].toObject().value("content").toString(), QString("Hello there!"));
        QCOMPARE(messages[3].toObject().value("content").toString(), QString("And again"));

        // The key: in the secret store, in no file of the data folder.
        QVERIFY(keyring_.values().contains(kKey));
        QVERIFY(QFile::exists(data + "/remote-servers.json"));
        QCOMPARE(filesContaining(data, kKey.toUtf8()), QStringList());
        QCOMPARE(filesContaining(dir_.path(), kKey.toUtf8()), QStringList());
    }

    void stopClosesTheStreamAndKeepsThePartialReply() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = sseChunk({{"role", "assistant"}, {"content", ""}}) + sseChunk({{"reasoning", "Hmm"}}) +
                          sseChunk({{"content", "Partial"}});
        server.holdOpen = true;  // then nothing: the stream stays open until Stop
        QString data;
        auto c = make(&data);
        QVERIFY2(addAndLoad(*c, server, "Held"), qPrintable(c->banner()));
        QVERIFY(c->send("Tell me everything"));
        QTRY_COMPARE_WITH_TIMEOUT(c->messages()->items().last().text, QString("Partial"), kHangMs);
        QSignalSpy done(c.get(), &ChatController::replyFinished);
        c->stop();
        QVERIFY(done.count() > 0 || done.wait(kHangMs));
        QVERIFY(!c->generating());
        const StoredMessage last = c->messages()->items().last();
        QCOMPARE(last.text, QString("Partial"));
        QCOMPARE(last.thinking, QString("Hmm"));
        QCOMPARE(last.partial, true);
        QCOMPARE(c->store().messages(c->currentConversation()).last().partial, true);
        QCOMPARE(c->lastStats().value("stopReason").toString(), QString("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(server.clientsLeft, 1, kHangMs);  // the connection was closed: the server stops
        QCOMPARE(c->banner(), QString());
    }

    // A busy server (429 with Retry-After) is asked again; the reply then
    // streams as usual. Past the retries the 429 is the error.
    void busyServerIsRetried() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        QString data;
        auto c = make(&data);
        QVERIFY2(addAndLoad(*c, server, "Busy"), qPrintable(c->banner()));
        server.chatBody = answerScript("reasoning_content");
        server.busyAnswers = 2;
        QVERIFY(c->send("Hi"));
        QVERIFY(waitReply(*c));
        QCOMPARE(c->messages()->items().last().text, QString("Hello there!"));
        QCOMPARE(c->banner(), QString());
        int chats = 0;
        for (const auto& r : server.requests) chats += r.path == "/v1/chat/completions";
        QCOMPARE(chats, 3);

        server.busyAnswers = 10;
        QVERIFY(c->send("Again"));
        QVERIFY(waitReply(*c));
        QVERIFY2(c->banner().contains("429"), qPrintable(c->banner()));
    }

    void errorsGiveReadableBanners_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("phrases");
        QTest::addRow("401") << 401
                             << QByteArray(R"({"error":{"message":"Invalid API key","type":"authentication_error","code":401}})")
                             << QStringList{"refused the API key", "401", "Invalid API key"};
        QTest::addRow("500") << 500 << QByteArray(R"({"error":{"message":"CUDA out of memory","type":"server_error"}})")
                             << QStringList{"The server failed", "500", "CUDA out of memory"};
        QTest::addRow("mid-stream error") << 200
                                          << sseChunk({{"content", "Hal"}}) +
                                                 R"(data: {"error":{"message":"GPU device lost","type":"server_error"}})"
                                                 "\n\n"
                                          << QStringList{"GPU device lost"};
    }
    void errorsGiveReadableBanners() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, phrases);
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        QString data;
        auto c = make(&data);
        QVERIFY2(addAndLoad(*c, server, "Failing"), qPrintable(c->banner()));
        server.chatStatus = status;
        server.chatBody = body;
        QVERIFY(c->send("Hi"));
        QVERIFY(waitReply(*c));
        for (const QString& p : phrases) QVERIFY2(c->banner().contains(p), qPrintable(c->banner()));
        QVERIFY(!c->banner().contains(kKey));
        QCOMPARE(c->messages()->items().last().partial, true);
        QVERIFY(c->modelLoaded());  // the next message may work
    }

    void attachedDocumentsAreNotSearchedRemotely() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = answerScript("reasoning_content");
        QString data;
        auto c = make(&data);
        QVERIFY(addAndLoad(*c, server, "Docs"));
        QFile lib(data + "/library.sqlite");
        QVERIFY(lib.open(QIODevice::WriteOnly));
        lib.close();
        QVERIFY(c->attachDocumentLibrary(lib.fileName()));
        QVERIFY(c->send("What do my documents say?"));
        QVERIFY(waitReply(*c));
        QCOMPARE(c->messages()->items().last().text, QString("Hello there!"));
        QVERIFY2(c->notice().contains("not searched"), qPrintable(c->notice()));
    }

    void refusedKeyFailsTheLoad() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        QString data;
        auto c = make(&data);
        QVERIFY(addAndLoad(*c, server, "First ok"));
        server.modelsStatus = 401;
        server.modelsBody = R"({"error":{"message":"Invalid API key"}})";
        c->loadModel(c->remotes()->modelKeys().first());
        QVERIFY(QTest::qWaitFor([&] { return !c->loading(); }, kHangMs));
        QVERIFY(!c->modelLoaded());
        QVERIFY2(c->banner().contains("refused the API key"), qPrintable(c->banner()));
    }
};

QTEST_MAIN(TstAppRemoteChat)
#include "tst_app_remote_chat.moc"
