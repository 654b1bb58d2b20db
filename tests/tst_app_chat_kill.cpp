// kill -9 during generation loses nothing: a child process (this binary with
// FACET_KILL_CHILD set) chats with a tiny model, sending a new message after
// each reply; the parent watches the database and SIGKILLs the child as soon
// as it sees a reply mid-stream (a flushed, partial row with text). After the
// kill, every user message and every finished reply is intact, and the
// interrupted reply keeps at least the text that was flushed.
#include <QCoreApplication>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

#include "chat_controller.h"
#include "chat_store.h"
#include "support/test_paths.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {

// The child: chat forever (until killed).
int runChild(const QString& db, const QString& model, const QString& config) {
    ChatController c;
    c.setDatabasePath(db);
    c.setBackend("cpu");
    c.settings()->setFile(config);
    c.settings()->setMaxTokens(3000);
    c.settings()->setContextLength(8192);
    int n = 0;
    QObject::connect(&c, &ChatController::modelChanged, [&] {
        if (c.modelLoaded()) c.send(QString("Message %1, tell me a long story").arg(++n));
    });
    QObject::connect(&c, &ChatController::replyFinished, [&] {
        if (n % 3 == 0) c.newConversation();  // keep prompts short
        c.send(QString("Message %1, tell me a long story").arg(++n));
    });
    c.loadModel(model);
    return QCoreApplication::exec();
}

struct Row {
    qint64 id;
    QString role, text;
    bool partial;
};

QList<Row> readRows(const QString& db) {
    QList<Row> rows;
    {
        QSqlDatabase d = QSqlDatabase::addDatabase("QSQLITE", "watch");
        d.setDatabaseName(db);
        d.setConnectOptions("QSQLITE_OPEN_READONLY");
        if (d.open()) {
            QSqlQuery q(d);
            if (q.exec("SELECT id, role, text, partial FROM messages ORDER BY id"))
                while (q.next())
                    rows.push_back({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                    q.value(3).toInt() != 0});
            d.close();
        }
    }
    QSqlDatabase::removeDatabase("watch");
    return rows;
}

}  // namespace

class TstAppChatKill : public QObject {
    Q_OBJECT

private slots:
    void killDuringGenerationLosesNothing() {
        QTemporaryDir dir;
        const QString model = dir.filePath("chat.gguf"), db = dir.filePath("chats.sqlite");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model});
        QVERIFY(mk.waitForFinished(kHangMs));
        QCOMPARE(mk.exitCode(), 0);

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FACET_KILL_CHILD", "1");
        env.insert("FACET_KILL_DB", db);
        env.insert("FACET_KILL_MODEL", model);
        env.insert("FACET_KILL_CONFIG", dir.filePath("settings.ini"));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted(kHangMs));

        // Watch for a reply caught mid-stream: partial, with flushed text.
        Row caught{};
        QList<Row> before;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < kHangMs && caught.id == 0) {
            QVERIFY2(child.state() == QProcess::Running, "the child chat ended by itself");
            before = readRows(db);
            for (const Row& r : before)
                if (r.role == "model" && r.partial && !r.text.isEmpty()) caught = r;
            if (caught.id == 0) QTest::qWait(20);  // polling the file, not timing anything
        }
        QVERIFY2(caught.id != 0, "never saw a reply mid-stream");
        ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(kHangMs));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        // Reopen as the app would after a restart (migrations, WAL recovery).
        ChatStore store;
        QString error;
        QVERIFY2(store.open(db, &error), qPrintable(error));
        QList<StoredMessage> all;
        for (const StoredConversation& c : store.conversations()) all += store.messages(c.id);
        int users = 0, finished = 0;
        for (const Row& r : before) {
            auto it = std::find_if(all.begin(), all.end(), [&](const StoredMessage& m) { return m.id == r.id; });
            QVERIFY2(it != all.end(), qPrintable(QString("message %1 was lost").arg(r.id)));
            if (r.role == "user") {
                QCOMPARE(it->text, r.text);
                ++users;
            } else if (!r.partial) {
                QCOMPARE(it->text, r.text);  // a finished reply is never touched again
                QVERIFY(!it->partial);
                ++finished;
            }
        }
        const auto it = std::find_if(all.begin(), all.end(), [&](const StoredMessage& m) { return m.id == caught.id; });
        QVERIFY(it != all.end());
        QVERIFY(it->partial);                      // still marked as cut off
        QVERIFY(it->text.startsWith(caught.text));  // at least what was flushed when we looked
        qInfo("killed with %d user messages, %d finished replies and a partial reply of %lld chars", users, finished,
              static_cast<long long>(it->text.size()));
        QVERIFY(users >= 1);
    }
};

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("FACET_KILL_CHILD"))
        return runChild(qEnvironmentVariable("FACET_KILL_DB"), qEnvironmentVariable("FACET_KILL_MODEL"),
                        qEnvironmentVariable("FACET_KILL_CONFIG"));
    TstAppChatKill t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_app_chat_kill.moc"
