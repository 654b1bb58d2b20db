// Editing and removing saved remote servers (app/remote): updateServer()
// changes the name and address and keeps the saved key when the key field
// is empty, replaces it when one is typed; Test connection while editing
// uses the saved key; removeServer() drops the entry from the servers file
// and its key from the keyring or the 0600 fallback file; the servers list
// model follows by id; a chat on a removed server's model falls back to no
// model with a banner, and one on an edited server reconnects under its new name.
#include <QAbstractItemModelTester>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_controller.h"
#include "remote_endpoint_store.h"
#include "remote_server_list.h"
#include "remote_servers.h"
#include "secret_store.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {

const QString kOldKey = QStringLiteral("sk-edit-old-1111");
const QString kNewKey = QStringLiteral("sk-edit-new-2222");

// A keyring that refuses everything (no D-Bus): the fallback file takes the keys.
class NoKeyring : public SecretStore {
public:
    void write(const QString&, const QString&, Done done) override {
        QTimer::singleShot(0, [done] { done(QStringLiteral("no keyring service")); });
    }
    void read(const QString&, Got done) override {
        QTimer::singleShot(0, [done] { done({}, QStringLiteral("no keyring service")); });
    }
    void remove(const QString&, Done done) override {
        QTimer::singleShot(0, [done] { done(QStringLiteral("no keyring service")); });
    }
    QString location() const override { return QStringLiteral("no keyring"); }
    bool inFile() const override { return false; }
};

QByteArray fileText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file under `dir` whose bytes contain `needle`.
QStringList filesContaining(const QString& dir, const QString& needle) {
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (fileText(path).contains(needle.toUtf8())) hits.push_back(path);
    }
    return hits;
}

// Saves a server and waits until its key is stored; returns its id ("" on failure).
QString saveAndWait(RemoteServers& servers, const QString& name, const QString& url, const QString& key) {
    QSignalSpy keySaved(&servers, &RemoteServers::keySaved);
    if (!servers.save(name, url, key, false)) return {};
    if (keySaved.isEmpty() && !keySaved.wait(kHangMs)) return {};
    return keySaved.first().first().toString();
}

// The key the store gives back for `id`.
QString readKey(RemoteServers& servers, const QString& id) {
    QString key;
    bool got = false;
    servers.readKey(id, [&](const QString& k, const QString&) {
        key = k;
        got = true;
    });
    return QTest::qWaitFor([&] { return got; }, kHangMs) ? key : QStringLiteral("(no answer)");
}

}  // namespace

class TstAppRemoteEdit : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    int instances_ = 0;

    QString freshDir() {
        const QString d = dir_.filePath(QString("case-%1").arg(++instances_));
        QDir().mkpath(d);
        return d;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // An empty key field keeps the saved key; name and address change in the file.
    void updateKeepsTheKeyWhenTheFieldIsEmpty() {
        const QString dir = freshDir();
        QHash<QString, QString> keyring;
        RemoteServers servers(dir);
        servers.setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        const QString id = saveAndWait(servers, "Box", "http://127.0.0.1:9/v1", kOldKey);
        QVERIFY(!id.isEmpty());
        QSignalSpy edited(&servers, &RemoteServers::serverEdited);
        QSignalSpy keySaved(&servers, &RemoteServers::keySaved);

        QVERIFY(servers.updateServer(id, "  Lab box  ", "http://localhost:10/v1/", "", false));
        QCOMPARE(edited.count(), 1);  // at once: no key to store
        QCOMPARE(edited.first().first().toString(), id);
        QCOMPARE(servers.saveError(), QString());
        QCOMPARE(servers.keyLocation(), QString("the test keyring"));  // where the kept key is
        QCOMPARE(servers.store().endpoints().size(), 1);
        QCOMPARE(servers.store().find(id)->name, QString("Lab box"));
        QCOMPARE(servers.store().find(id)->baseUrl.toString(), QString("http://localhost:10"));
        QCOMPARE(keyring.value(id), kOldKey);
        QCOMPARE(readKey(servers, id), kOldKey);
        QCOMPARE(keySaved.count(), 0);

        RemoteEndpointStore onDisk(dir + "/remote-servers.json");
        QString error;
        QVERIFY2(onDisk.load(&error), qPrintable(error));
        QCOMPARE(onDisk.endpoints().size(), 1);
        QCOMPARE(onDisk.find(id)->name, QString("Lab box"));
        QCOMPARE(onDisk.find(id)->baseUrl.toString(), QString("http://localhost:10"));
        QCOMPARE(onDisk.find(id)->keyLocation, QString("the test keyring"));
    }

    void updateReplacesTheKeyWhenOneIsTyped() {
        const QString dir = freshDir();
        QHash<QString, QString> keyring;
        RemoteServers servers(dir);
        servers.setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        const QString id = saveAndWait(servers, "Box", "http://127.0.0.1:9/v1", kOldKey);
        QVERIFY(!id.isEmpty());
        QSignalSpy keySaved(&servers, &RemoteServers::keySaved);
        QSignalSpy edited(&servers, &RemoteServers::serverEdited);
        QVERIFY(servers.updateServer(id, "Box", "http://127.0.0.1:9/v1", kNewKey, false));
        QVERIFY(keySaved.wait(kHangMs));
        QCOMPARE(keySaved.first().first().toString(), id);
        QCOMPARE(edited.count(), 1);  // after the key is in place
        QCOMPARE(keyring.value(id), kNewKey);
        QCOMPARE(readKey(servers, id), kNewKey);
        QCOMPARE(servers.store().endpoints().size(), 1);  // the same entry, not a second one
        QCOMPARE(filesContaining(dir, kNewKey), QStringList());
        QCOMPARE(filesContaining(dir, kOldKey), QStringList());
    }

    void updateRefusesWhatSaveRefuses() {
        const QString dir = freshDir();
        QHash<QString, QString> keyring;
        RemoteServers servers(dir);
        servers.setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        const QString id = saveAndWait(servers, "Box", "http://127.0.0.1:9/v1", kOldKey);
        QVERIFY(!id.isEmpty());
        QVERIFY(!servers.updateServer(id, "LAN", "http://10.0.0.5:8000", "", false));
        QVERIFY2(servers.saveError().contains("unencrypted"), qPrintable(servers.saveError()));
        QVERIFY(!servers.updateServer("no-such-id", "X", "http://127.0.0.1:9", "", false));
        QVERIFY(!servers.saveError().isEmpty());
        QCOMPARE(servers.store().find(id)->baseUrl.toString(), QString("http://127.0.0.1:9"));
        QCOMPARE(servers.store().endpoints().size(), 1);
        QCOMPARE(keyring.value(id), kOldKey);
    }

    // Test connection while editing, key field empty: the saved key goes to the server.
    void testConnectionWhileEditingUsesTheSavedKey() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        QHash<QString, QString> keyring;
        RemoteServers servers(freshDir());
        servers.setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        const QString id = saveAndWait(servers, "Fake", server.baseUrl(), kOldKey);
        QVERIFY(!id.isEmpty());
        server.requests.clear();
        QSignalSpy tested(&servers, &RemoteServers::testChanged);
        servers.testConnection(server.baseUrl(), "", false, id);
        QTRY_VERIFY_WITH_TIMEOUT(!servers.testing() && !servers.testModels().isEmpty(), kHangMs);
        QCOMPARE(servers.testModels(), QStringList{"gemma-4-e4b-it"});
        QCOMPARE(server.requests.last().headers.value("authorization"), "Bearer " + kOldKey.toUtf8());
        servers.testConnection(server.baseUrl(), kNewKey, false, id);  // a typed key wins
        QTRY_VERIFY_WITH_TIMEOUT(!servers.testing() && !servers.testModels().isEmpty(), kHangMs);
        QCOMPARE(server.requests.last().headers.value("authorization"), "Bearer " + kNewKey.toUtf8());
        servers.clearTest();
        QCOMPARE(servers.testModels(), QStringList());
        QCOMPARE(servers.testError(), QString());
    }

    // Remove: the entry leaves the servers file and the key leaves wherever it was.
    void removeDeletesTheEntryAndItsKey_data() {
        QTest::addColumn<bool>("keyringAnswers");
        QTest::addRow("keyring") << true;
        QTest::addRow("0600 file, no keyring") << false;
    }
    void removeDeletesTheEntryAndItsKey() {
        QFETCH(bool, keyringAnswers);
        const QString dir = freshDir();
        QHash<QString, QString> keyring;
        RemoteServers servers(dir);
        std::unique_ptr<SecretStore> primary;
        if (keyringAnswers)
            primary = std::make_unique<MemoryKeyring>(&keyring);
        else
            primary = std::make_unique<NoKeyring>();
        servers.setSecretStore(
            std::make_unique<FallbackSecretStore>(std::move(primary), std::make_unique<FileSecretStore>(dir + "/remote-keys.json")));
        const QString keep = saveAndWait(servers, "Keep", "http://127.0.0.1:9", "sk-keep-3333");
        const QString gone = saveAndWait(servers, "Gone", "http://127.0.0.1:10", "sk-gone-4444");
        QVERIFY(!keep.isEmpty() && !gone.isEmpty());
        const QStringList where = keyringAnswers ? QStringList() : QStringList{dir + "/remote-keys.json"};
        QCOMPARE(filesContaining(dir, "sk-gone-4444"), where);
        QCOMPARE(keyring.contains(gone), keyringAnswers);

        QSignalSpy removed(&servers, &RemoteServers::serverRemoved);
        QVERIFY(servers.removeServer(gone));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().at(1).toString(), QString("Gone"));
        QVERIFY(!servers.removeServer(gone));  // once
        QCOMPARE(servers.store().endpoints().size(), 1);
        QVERIFY(servers.store().find(keep));
        QVERIFY(!fileText(dir + "/remote-servers.json").contains(gone.toUtf8()));
        QVERIFY(fileText(dir + "/remote-servers.json").contains(keep.toUtf8()));
        // The key goes asynchronously, as the keyring answers.
        QTRY_COMPARE_WITH_TIMEOUT(filesContaining(dir, "sk-gone-4444"), QStringList(), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(!keyring.contains(gone), kHangMs);
        QCOMPARE(readKey(servers, gone), QString());
        QCOMPARE(readKey(servers, keep), QString("sk-keep-3333"));  // the other server's key stays
        QCOMPARE(filesContaining(dir, "sk-keep-3333"), where);

        // A fresh instance no longer lists it.
        RemoteServers again(dir);
        QCOMPARE(again.store().endpoints().size(), 1);
        QCOMPARE(again.servers()->rowCount(), 1);
    }

    // The dialog's list: one row per server, by id, edited in place.
    void listFollowsTheStore() {
        QHash<QString, QString> keyring;
        RemoteServers servers(freshDir());
        servers.setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        RemoteServerList* list = servers.servers();
        QAbstractItemModelTester tester(list, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy count(list, &RemoteServerList::countChanged);
        const QString a = saveAndWait(servers, "A", "http://127.0.0.1:9", "sk-a");
        const QString b = saveAndWait(servers, "B", "http://127.0.0.1:10", "");
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        QCOMPARE(list->rowCount(), 2);
        QCOMPARE(list->count(), 2);
        QCOMPARE(count.count(), 2);
        const auto role = [&](int row, RemoteServerList::Role r) { return list->index(row).data(int(r)); };
        QCOMPARE(role(0, RemoteServerList::Role::Id).toString(), a);
        QCOMPARE(role(0, RemoteServerList::Role::Name).toString(), QString("A"));
        QCOMPARE(role(0, RemoteServerList::Role::BaseUrl).toString(), QString("http://127.0.0.1:9"));
        QCOMPARE(role(0, RemoteServerList::Role::KeyLocation).toString(), QString("the test keyring"));
        QCOMPARE(role(1, RemoteServerList::Role::KeyLocation).toString(), QString());
        QCOMPARE(role(1, RemoteServerList::Role::ModelCount).toInt(), 0);
        QVERIFY(list->roleNames().values().contains("serverId"));

        QSignalSpy changed(list, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(list, &QAbstractItemModel::rowsInserted);
        QVERIFY(servers.updateServer(b, "B renamed", "http://127.0.0.1:10", "", false));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(inserted.count(), 0);  // in place
        QCOMPARE(role(1, RemoteServerList::Role::Name).toString(), QString("B renamed"));

        QSignalSpy removedRows(list, &QAbstractItemModel::rowsRemoved);
        QVERIFY(servers.removeServer(a));
        QCOMPARE(removedRows.count(), 1);
        QCOMPARE(removedRows.first().at(1).toInt(), 0);
        QCOMPARE(list->rowCount(), 1);
        QCOMPARE(role(0, RemoteServerList::Role::Id).toString(), b);
        QCOMPARE(count.count(), 3);
    }

    // A chat on the removed server's model goes back to no model, says so, and sends nothing.
    void chatFallsBackWhenItsServerIsRemoved() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = answerScript("reasoning");
        const QString data = freshDir();
        qputenv("FACET_DATA_DIR", data.toUtf8());
        ChatController chat;
        chat.setDatabasePath(data + "/chats.sqlite");
        chat.settings()->setFile(data + "/settings.ini");
        QHash<QString, QString> keyring;
        chat.remotes()->setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        const QString id = saveAndWait(*chat.remotes(), "Fake", server.baseUrl(), kOldKey);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!chat.remotes()->modelKeys().isEmpty(), kHangMs);
        chat.loadModel(chat.remotes()->modelKeys().first());
        QTRY_VERIFY_WITH_TIMEOUT(!chat.loading(), kHangMs);
        QVERIFY(chat.modelLoaded());
        QCOMPARE(chat.modelName(), QString("gemma-4-e4b-it · Fake"));

        // Edited: it reconnects, under the new name, with the saved key.
        server.requests.clear();
        QVERIFY(chat.remotes()->updateServer(id, "Renamed", server.baseUrl(), "", false));
        QTRY_VERIFY_WITH_TIMEOUT(!chat.loading() && chat.modelLoaded(), kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(chat.modelName(), QString("gemma-4-e4b-it · Renamed"), kHangMs);
        QVERIFY(!server.requests.isEmpty());
        QCOMPARE(server.requests.last().headers.value("authorization"), "Bearer " + kOldKey.toUtf8());

        QSignalSpy modelChanged(&chat, &ChatController::modelChanged);
        QVERIFY(chat.remotes()->removeServer(id));
        QVERIFY(modelChanged.count() > 0);
        QVERIFY(!chat.modelLoaded());
        QCOMPARE(chat.modelPath(), QString());
        QVERIFY2(chat.banner().contains("Renamed") && chat.banner().contains("removed"), qPrintable(chat.banner()));
        QVERIFY(!chat.send("Hello?"));
        QTRY_VERIFY_WITH_TIMEOUT(!keyring.contains(id), kHangMs);
        // Removing another server while nothing uses it changes nothing.
        const QString other = saveAndWait(*chat.remotes(), "Other", server.baseUrl(), "");
        QVERIFY(!other.isEmpty());
        chat.dismissBanner();
        QVERIFY(chat.remotes()->removeServer(other));
        QCOMPARE(chat.banner(), QString());
    }
};

QTEST_GUILESS_MAIN(TstAppRemoteEdit)
#include "tst_app_remote_edit.moc"
