// ChatController end to end with a tiny model on the engine thread (CPU
// reference backend, so the run is quick and exact): send -> streamed text
// -> saved -> found again by a new controller on the same database; a
// follow-up reuses the KV cache; stop ends a reply and keeps it as partial;
// a corrupt model file gives a banner and the controller keeps working;
// switching back to an earlier conversation answers as a fresh session
// would; out of device memory and a lost GPU (Vulkan on lavapipe, with the
// device layer's memory cap and fault injection) give banners, not crashes.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_controller.h"
#include "runtime/chat_session.h"
#include "support/test_paths.h"
#include "support/hang_guard.h"

using namespace facet::test;

class TstAppChatController : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_;  // a tiny random model whose vocabulary has the chat tokens

    int settingsFiles_ = 0;

    // Conversations are shared by the tests (one database); settings are not.
    std::unique_ptr<ChatController> make() {
        auto c = std::make_unique<ChatController>();
        c->setDatabasePath(dir_.filePath("chats.sqlite"));
        c->setBackend("cpu");
        c->settings()->setFile(dir_.filePath(QString("settings-%1.ini").arg(++settingsFiles_)));
        c->settings()->setContextLength(512);
        c->settings()->setMaxTokens(12);
        c->settings()->setTemperature(0.0);  // greedy: the same reply every run
        return c;
    }

    // Loads `path` and waits for the load to end (loaded or failed).
    static bool load(ChatController& c, const QString& path) {
        c.loadModel(path);
        return QTest::qWaitFor([&] { return !c.loading(); }, kHangMs);
    }

    static bool waitReply(ChatController& c) {
        QSignalSpy done(&c, &ChatController::replyFinished);
        return done.count() > 0 || done.wait(kHangMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        model_ = dir_.filePath("chat.gguf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model_});
        QVERIFY(mk.waitForFinished(kHangMs));
        QVERIFY2(mk.exitCode() == 0, mk.readAllStandardError().constData());
    }

    void sendStreamsSavesAndReloads() {
        const QString model = model_;
        qint64 conv = 0;
        QString answer;
        {
            auto c = make();
            c->search("");
            QCOMPARE(c->conversations()->count(), 0);
            QVERIFY(!c->send("too early"));  // no model yet
            QVERIFY(load(*c, model));
            QVERIFY2(c->modelLoaded(), qPrintable(c->banner()));
            QCOMPARE(c->deviceName(), QString("CPU reference"));
            QCOMPARE(c->contextSize(), 512);
            QCOMPARE(c->settings()->recentModels(), QStringList{model});  // the model picker's list

            QSignalSpy streamed(c->messages(), &QAbstractItemModel::dataChanged);
            QSignalSpy done(c.get(), &ChatController::replyFinished);
            QVERIFY(c->send("Hello there"));
            QVERIFY(c->generating());
            QVERIFY(!c->send("while busy"));  // one reply at a time
            QVERIFY(done.wait(kHangMs));
            QVERIFY(!c->generating());
            conv = c->currentConversation();
            QVERIFY(conv > 0);
            QCOMPARE(c->messages()->rowCount(), 2);
            const StoredMessage& reply = c->messages()->items().last();
            QCOMPARE(reply.role, QString("model"));
            const QVariantMap st = c->lastStats();
            const int generated = st.value("generated").toInt();
            QCOMPARE(reply.tokens, generated);
            QVERIFY(generated > 0 || st.value("stopReason").toString() == "stop token");
            if (!reply.text.isEmpty()) QVERIFY(streamed.count() > 0);  // arrived piece by piece
            QVERIFY(!reply.partial);
            QVERIFY(st.value("contextUsed").toInt() > 0);
            QCOMPARE(c->contextUsed(), st.value("contextUsed").toInt());
            answer = reply.text + "|" + reply.thinking;

            // The saved rows are what the view shows.
            const auto saved = c->store().messages(conv);
            QCOMPARE(saved.size(), 2);
            QCOMPARE(saved[0].text, QString("Hello there"));
            QCOMPARE(saved[1].text + "|" + saved[1].thinking, answer);
            QCOMPARE(saved[1].tokens, generated);
            QVERIFY(!saved[1].partial);
            QCOMPARE(saved[1].model, QString("chat.gguf"));
            // The user's message has its own token count, from the model's tokenizer.
            auto m = facet::Model::open(model.toStdString());
            QVERIFY(m.ok());
            auto tok = facet::tokenizerForModel(*m.value());
            QVERIFY(tok.ok());
            const int userTokens = int(tok.value()->encode("Hello there").size());
            QVERIFY(userTokens > 0);
            QCOMPARE(st.value("userTokens").toInt(), userTokens);
            QCOMPARE(saved[0].tokens, userTokens);
            QCOMPARE(c->messages()->items().first().tokens, userTokens);

            // A follow-up prefills only its new tokens.
            QVERIFY(c->send("And then?"));
            QVERIFY(waitReply(*c));
            QVERIFY2(c->lastStats().value("reusedTokens").toInt() > 0, "the follow-up re-prefilled everything");
            QCOMPARE(c->messages()->rowCount(), 4);
        }
        // A new controller (an app restart) finds everything again.
        auto c = make();
        c->search("");
        QCOMPARE(c->conversations()->count(), 1);
        QCOMPARE(c->conversations()->items().first().title, QString("Hello there"));
        c->selectConversation(conv);
        QCOMPARE(c->messages()->rowCount(), 4);
        const StoredMessage& first = c->messages()->items()[1];
        QCOMPARE(first.text + "|" + first.thinking, answer);
        c->search("And then");
        QCOMPARE(c->conversations()->count(), 1);
        c->search("no such words");
        QCOMPARE(c->conversations()->count(), 0);
    }

    // A, then B, then back to A: the engine holds B's tokens, so A's
    // follow-up re-prefills from their common prefix and must answer exactly
    // as a fresh session given A's whole history (greedy sampling).
    void switchingBackAnswersAsAFreshSession() {
        auto c = make();
        QVERIFY(load(*c, model_));
        c->newConversation();
        QVERIFY(c->send("Alpha question about rivers"));
        QVERIFY(waitReply(*c));
        const qint64 a = c->currentConversation();
        const QString alphaAnswer = c->messages()->items().last().text;
        c->newConversation();
        QVERIFY(c->send("Beta question about mountains and snow"));
        QVERIFY(waitReply(*c));
        QVERIFY(c->currentConversation() != a);

        c->selectConversation(a);
        QCOMPARE(c->messages()->rowCount(), 2);
        QVERIFY(c->send("Alpha follow-up"));
        QVERIFY(waitReply(*c));
        const QVariantMap st = c->lastStats();
        const int prompt = st.value("promptTokens").toInt(), reused = st.value("reusedTokens").toInt();
        QVERIFY2(reused < prompt / 2, qPrintable(QString("reused %1 of %2: B's cache taken for A's").arg(reused).arg(prompt)));
        const StoredMessage got = c->messages()->items().last();

        // The reference never switched: one session asked A's two questions in a row.
        facet::BackendChoice choice;
        choice.backend = "cpu";
        choice.maxContext = 512;
        auto fresh = facet::ChatSession::open(model_.toStdString(), choice);
        QVERIFY2(fresh.ok(), fresh.ok() ? "" : fresh.message().c_str());
        facet::ChatSettings cs;
        cs.sampling.temperature = 0;
        cs.maxTokens = 12;
        std::vector<facet::ChatMessage> history(1);
        history[0].role = facet::ChatMessage::User;
        history[0].text = "Alpha question about rivers";
        auto first = fresh.value()->reply(history, cs, nullptr, {});
        QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
        QCOMPARE(QString::fromStdString(first.value().text.answer), alphaAnswer);
        history.resize(3);
        history[1].role = facet::ChatMessage::Model;
        history[1].text = first.value().text.answer;
        history[2].role = facet::ChatMessage::User;
        history[2].text = "Alpha follow-up";
        auto want = fresh.value()->reply(history, cs, nullptr, {});
        QVERIFY2(want.ok(), want.ok() ? "" : want.message().c_str());
        QCOMPARE(want.value().promptTokens, prompt);
        QVERIFY(want.value().stats.reusedTokens > reused);  // it kept its cache; the app re-prefilled
        QCOMPARE(got.text, QString::fromStdString(want.value().text.answer));
        QCOMPARE(got.thinking, QString::fromStdString(want.value().text.thinking));
    }

    // Vulkan on lavapipe with a 1 MiB cap: the load fails with the needed and
    // available bytes; without the cap the same model loads.
    void outOfDeviceMemoryGivesBanner() {
        auto c = make();
        c->setBackend("vulkan");
        qputenv("FACET_VK_MEMORY_LIMIT", "1M");
        QVERIFY(load(*c, model_));
        qunsetenv("FACET_VK_MEMORY_LIMIT");
        QVERIFY(!c->modelLoaded());
        QVERIFY2(c->banner().contains("chat.gguf") && c->banner().contains("need") && c->banner().contains("available"),
                 qPrintable(c->banner()));
        QVERIFY(load(*c, model_));
        QVERIFY2(c->modelLoaded(), qPrintable(c->banner()));
        QVERIFY(c->banner().isEmpty());
    }

    // A first load that runs the kernel tuner (forced on lavapipe) says so
    // while it measures, and not after; a second load reads the choices.
    void tuningLoadSaysSo() {
        auto c = make();
        c->setBackend("vulkan");
        // Set for this test only, also when it fails early.
        struct Env {
            explicit Env(const QString& cache) {
                qputenv("FACET_VK_TUNE", "1");
                qputenv("FACET_VK_TUNE_BUDGET", "0");      // no clock decides what is measured ...
                qputenv("FACET_VK_TUNE_CANDIDATES", "3");  // ... a count keeps it short
                qputenv("XDG_CACHE_HOME", cache.toUtf8());
            }
            ~Env() {
                qunsetenv("FACET_VK_TUNE");
                qunsetenv("FACET_VK_TUNE_BUDGET");
                qunsetenv("FACET_VK_TUNE_CANDIDATES");
                if (hadCache) qputenv("XDG_CACHE_HOME", cacheWas);
                else qunsetenv("XDG_CACHE_HOME");
            }
            const bool hadCache = qEnvironmentVariableIsSet("XDG_CACHE_HOME");
            const QByteArray cacheWas = qgetenv("XDG_CACHE_HOME");
        } env(dir_.filePath("cache"));
        bool sawTuning = false;
        connect(c.get(), &ChatController::loadingChanged, this, [&] { sawTuning |= c->loadTuning(); });
        QVERIFY(load(*c, model_));
        QVERIFY2(c->modelLoaded(), qPrintable(c->banner()));
        QVERIFY(sawTuning);
        QVERIFY(!c->loadTuning());
        QVERIFY(QFile::exists(dir_.filePath("cache/facet/kernel-choices.txt")));
        auto again = make();
        again->setBackend("vulkan");
        sawTuning = false;
        connect(again.get(), &ChatController::loadingChanged, this, [&] { sawTuning |= again->loadTuning(); });
        QVERIFY(load(*again, model_));
        QVERIFY2(again->modelLoaded(), qPrintable(again->banner()));
        QVERIFY(!sawTuning);  // every shape was known
    }

    // The GPU is lost at the first forward submission (the prompt's
    // prefill): the reply ends with what it had, the banner says why, the model
    // is unloaded and offered for reloading, and the reload chats again.
    void deviceLostGivesBannerAndReload() {
        auto c = make();
        c->setBackend("vulkan");
        qputenv("FACET_VK_FAULT_DEVICE_LOST", "forward:1");
        QVERIFY(load(*c, model_));
        qunsetenv("FACET_VK_FAULT_DEVICE_LOST");
        QVERIFY2(c->modelLoaded(), qPrintable(c->banner()));
        c->newConversation();
        QVERIFY(c->send("Hello GPU"));
        QVERIFY(waitReply(*c));
        QVERIFY2(c->banner().contains("GPU stopped responding") && c->banner().contains("VK_ERROR_DEVICE_LOST"),
                 qPrintable(c->banner()));
        QVERIFY(!c->modelLoaded());
        QCOMPARE(c->lostModel(), model_);
        const auto saved = c->store().messages(c->currentConversation());
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved[0].text, QString("Hello GPU"));
        QVERIFY(saved[1].partial);
        QVERIFY(!c->send("no model now"));

        QVERIFY(load(*c, c->lostModel()));
        QVERIFY2(c->modelLoaded(), qPrintable(c->banner()));
        QVERIFY(c->lostModel().isEmpty());
        QVERIFY(c->send("Hello again"));
        QVERIFY(waitReply(*c));
        QVERIFY2(c->banner().isEmpty(), qPrintable(c->banner()));
        QVERIFY(!c->messages()->items().last().partial);
    }

    void regenerateEditAndExport() {
        auto c = make();
        c->settings()->setTemperature(1.0);
        QVERIFY(load(*c, model_));
        c->newConversation();
        QVERIFY(c->send("First question"));
        QVERIFY(waitReply(*c));
        const qint64 conv = c->currentConversation();
        const StoredMessage before = c->messages()->items().last();

        QVERIFY(c->regenerate());
        QVERIFY(waitReply(*c));
        StoredMessage after = c->store().messages(conv).last();
        QCOMPARE(after.id, before.id);  // the same message, a new answer
        if (!before.text.isEmpty()) QCOMPARE(after.alternatives, QStringList{before.text});
        const QString second = after.text;
        if (!before.text.isEmpty()) {
            QVERIFY(c->showAlternative(after.id, 0));  // page back: the answers swap places
            after = c->store().messages(conv).last();
            QCOMPARE(after.text, before.text);
            QCOMPARE(after.alternatives, QStringList{second});
            QCOMPARE(c->messages()->items().last().text, before.text);
        }
        QVERIFY(!c->showAlternative(after.id, 5));

        QVERIFY(c->send("Second question"));
        QVERIFY(waitReply(*c));
        QCOMPARE(c->messages()->rowCount(), 4);
        // Edit the first question: everything after it goes, the new text is answered.
        QVERIFY(c->editAndResend(c->messages()->items().first().id, "Edited question"));
        QVERIFY(waitReply(*c));
        const auto saved = c->store().messages(conv);
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved[0].text, QString("Edited question"));
        QVERIFY(!c->editAndResend(saved[1].id, "not a user message"));

        const QString md = dir_.filePath("chat.md"), js = dir_.filePath("chat.json");
        QVERIFY(c->exportConversation(conv, md, "markdown"));
        QVERIFY(c->exportConversation(conv, QUrl::fromLocalFile(js).toString(), "json"));
        QVERIFY(!c->exportConversation(conv, md, "pdf"));
        QFile mf(md), jf(js);
        QVERIFY(mf.open(QIODevice::ReadOnly) && jf.open(QIODevice::ReadOnly));
        const QString mdText = QString::fromUtf8(mf.readAll());
        QVERIFY(mdText.startsWith("# First question\n"));
        QVERIFY(mdText.contains("## You\n\nEdited question\n"));
        QVERIFY(mdText.contains("## Gemma\n\n" + saved[1].text));
        const QJsonObject o = QJsonDocument::fromJson(jf.readAll()).object();
        QCOMPARE(o.value("title").toString(), QString("First question"));
        const QJsonArray arr = o.value("messages").toArray();
        QCOMPARE(arr.size(), 2);
        QCOMPARE(arr[0].toObject().value("text").toString(), QString("Edited question"));
        QCOMPARE(arr[1].toObject().value("role").toString(), QString("model"));
        QCOMPARE(arr[1].toObject().value("text").toString(), saved[1].text);
    }

    // A conversation longer than the context: the oldest turns are left out
    // (the chat says so) and replies keep coming.
    void outgrowsTheContext() {
        auto c = make();
        c->settings()->setContextLength(256);
        c->settings()->setMaxTokens(8);
        c->settings()->setSystemPrompt("Answer briefly.");
        QVERIFY(load(*c, model_));
        QCOMPARE(c->contextSize(), 256);
        c->newConversation();
        int dropped = 0;
        for (int i = 0; i < 24 && dropped == 0; ++i) {
            QVERIFY(c->send(QString("Question number %1 with a few more words to fill the context").arg(i)));
            QVERIFY(waitReply(*c));
            dropped = c->lastStats().value("droppedMessages").toInt();
            QVERIFY(c->lastStats().value("promptTokens").toInt() + 8 <= 256);
        }
        QVERIFY2(dropped > 0, "the conversation never outgrew the context");
        QVERIFY2(c->notice().contains("left out"), qPrintable(c->notice()));
        QVERIFY(c->contextUsed() <= 256);
    }

    void stopKeepsPartialReply() {
        auto c = make();
        c->settings()->setMaxTokens(400);
        QVERIFY(load(*c, model_));
        c->newConversation();
        QVERIFY(c->send("Tell me a long story"));
        c->stop();  // before the first token: the reply ends at once
        QVERIFY(waitReply(*c));
        QCOMPARE(c->lastStats().value("stopReason").toString(), QString("cancelled"));
        QVERIFY(c->lastStats().value("generated").toInt() < 400);
        const auto saved = c->store().messages(c->currentConversation());
        QCOMPARE(saved.size(), 2);
        QVERIFY(saved[1].partial);
        QVERIFY(c->messages()->items().last().partial);
    }

    void corruptModelGivesBanner() {
        auto c = make();
        const QString bad = dir_.filePath("broken.gguf");
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("GGUF\x03\x00\x00\x00 this is not a model");
        }
        QVERIFY(load(*c, bad));
        QVERIFY(!c->modelLoaded());
        QVERIFY2(c->banner().contains("broken.gguf"), qPrintable(c->banner()));
        // Still usable: a good model loads afterwards.
        QVERIFY(load(*c, model_));
        QVERIFY(c->modelLoaded());
        QVERIFY(c->banner().isEmpty());
    }

    // Settings persist per model: values set before any model are the
    // defaults, a model's own values override them, and a new controller
    // reads them back.
    void settingsPersistPerModel() {
        const QString file = dir_.filePath("persist.ini");
        {
            ChatSettings s;
            s.setFile(file);
            s.setTemperature(0.3);
            s.setTheme("dark");
            s.setFontSize(99);  // clamped
            s.selectModel("a.gguf");
            QCOMPARE(s.temperature(), 0.3);  // inherited default
            s.setTemperature(0.7);
            s.setSystemPrompt("You are terse.");
            s.setThinking(true);
            s.selectModel("b.gguf");
            QCOMPARE(s.temperature(), 0.3);
            QCOMPARE(s.systemPrompt(), QString());
        }
        ChatSettings s;
        s.setFile(file);
        QCOMPARE(s.theme(), QString("dark"));
        QCOMPARE(s.fontSize(), 32);
        s.selectModel("a.gguf");
        QCOMPARE(s.temperature(), 0.7);
        QCOMPARE(s.systemPrompt(), QString("You are terse."));
        QVERIFY(s.thinking());
        QCOMPARE(s.sampling().value("temperature").toDouble(), 0.7);
        s.resetModelDefaults();
        QCOMPARE(s.temperature(), 0.3);
        QVERIFY(!s.thinking());

        for (int i = 0; i < 12; ++i) s.addRecentModel(QString("/m/%1.gguf").arg(i));
        s.addRecentModel("/m/5.gguf");  // again: moves to the front, once
        const QStringList recent = s.recentModels();
        QCOMPARE(recent.size(), 10);
        QCOMPARE(recent.first(), QString("/m/5.gguf"));
        QCOMPARE(recent.count("/m/5.gguf"), 1);
        QCOMPARE(recent[1], QString("/m/11.gguf"));
    }

    void deleteConversationWithUndo() {
        auto c = make();
        c->search("");
        const int before = c->conversations()->count();
        QVERIFY(before > 1);
        const qint64 id = c->conversations()->items().first().id;
        c->selectConversation(id);
        c->deleteConversation(id);
        QCOMPARE(c->conversations()->count(), before - 1);  // gone from the list at once
        QCOMPARE(c->currentConversation(), qint64(0));
        QCOMPARE(c->messages()->rowCount(), 0);
        QVERIFY(c->undoText().contains(QString("Deleted")));
        QVERIFY(!c->store().messages(id).isEmpty());  // but not yet from the disk
        c->undoDelete();
        QCOMPARE(c->conversations()->count(), before);
        QVERIFY(c->undoText().isEmpty());

        c->deleteConversation(id);
        const qint64 other = c->conversations()->items().first().id;
        c->deleteConversation(other);  // a second delete commits the first
        QVERIFY(c->store().messages(id).isEmpty());
        QVERIFY(!c->store().messages(other).isEmpty());
        c->commitPendingDelete();
        QVERIFY(c->store().messages(other).isEmpty());
        QCOMPARE(c->conversations()->count(), before - 2);
        c->undoDelete();  // nothing pending: no effect
        QCOMPARE(c->conversations()->count(), before - 2);
    }
};

QTEST_GUILESS_MAIN(TstAppChatController)
#include "tst_app_chat_controller.moc"
