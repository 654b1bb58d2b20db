// Remote servers' addresses and keys (app/remote): base URL normalization
// (a trailing "/" and "/v1" dropped, so requests go to <base>/v1/... once),
// the plain-http rule (loopback only unless confirmed), the servers file
// round trip, "remote:<id>/<model>" keys, and where API keys go: the
// keyring when it answers, else a 0600 file, never the servers file.
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <sys/stat.h>

#include "remote_endpoint_store.h"
#include "remote_servers.h"
#include "remote_url.h"
#include "secret_store.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {

// A keyring that answers asynchronously, as QtKeychain does; it may refuse everything.
class FakeKeyring : public SecretStore {
public:
    explicit FakeKeyring(bool reachable, QHash<QString, QString>* secrets) : reachable_(reachable), secrets_(secrets) {}
    void write(const QString& key, const QString& secret, Done done) override {
        if (reachable_) secrets_->insert(key, secret);
        QTimer::singleShot(0, [done, r = reachable_] { done(r ? QString() : QStringLiteral("no keyring service")); });
    }
    void read(const QString& key, Got done) override {
        const QString s = secrets_->value(key);
        QTimer::singleShot(0, [done, s, r = reachable_] { done(r ? s : QString(), r ? QString() : QStringLiteral("no keyring service")); });
    }
    void remove(const QString& key, Done done) override {
        if (reachable_) secrets_->remove(key);
        QTimer::singleShot(0, [done] { done({}); });
    }
    QString location() const override { return QStringLiteral("the fake keyring"); }
    bool inFile() const override { return false; }

private:
    bool reachable_;
    QHash<QString, QString>* secrets_;
};

// Every file under `dir` whose bytes contain `needle`.
QStringList filesContaining(const QString& dir, const QByteArray& needle) {
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle)) hits.push_back(f.fileName());
    }
    return hits;
}

// The file's rwx bits (0600: owner read+write only).
int unixMode(const QString& path) {
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

}  // namespace

class TstAppRemoteEndpoints : public QObject {
    Q_OBJECT
private slots:
    void normalizesBaseUrls_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("models");
        QTest::addRow("llama.cpp bare") << "http://127.0.0.1:8080" << "http://127.0.0.1:8080" << "http://127.0.0.1:8080/v1/models";
        QTest::addRow("trailing slash") << "http://127.0.0.1:8080/" << "http://127.0.0.1:8080" << "http://127.0.0.1:8080/v1/models";
        QTest::addRow("with /v1") << "http://localhost:11434/v1" << "http://localhost:11434" << "http://localhost:11434/v1/models";
        QTest::addRow("with /v1/") << "http://localhost:11434/v1/" << "http://localhost:11434" << "http://localhost:11434/v1/models";
        QTest::addRow("upper-case V1, spaces") << "  https://GPU.example.org:8000/V1  " << "https://gpu.example.org:8000"
                                               << "https://gpu.example.org:8000/v1/models";
        QTest::addRow("path prefix") << "https://example.org/api/v1/" << "https://example.org/api" << "https://example.org/api/v1/models";
        QTest::addRow("path ending in v1 text") << "https://example.org/prov1" << "https://example.org/prov1"
                                                << "https://example.org/prov1/v1/models";
        QTest::addRow("no scheme, loopback") << "localhost:8080" << "http://localhost:8080" << "http://localhost:8080/v1/models";
        QTest::addRow("no scheme, remote") << "vllm.lab.example:8000/v1" << "https://vllm.lab.example:8000"
                                           << "https://vllm.lab.example:8000/v1/models";
        QTest::addRow("IPv6 loopback") << "http://[::1]:9000/v1" << "http://[::1]:9000" << "http://[::1]:9000/v1/models";
        QTest::addRow("query dropped") << "http://127.0.0.1:1/v1?x=1#y" << "http://127.0.0.1:1" << "http://127.0.0.1:1/v1/models";
    }
    void normalizesBaseUrls() {
        QFETCH(QString, input);
        QFETCH(QString, base);
        QFETCH(QString, models);
        const NormalizedUrl n = normalizeBaseUrl(input);
        QVERIFY2(n.ok(), qPrintable(n.error));
        QCOMPARE(n.url.toString(), base);
        QCOMPARE(apiUrl(n.url, "models").toString(), models);
        QCOMPARE(normalizeBaseUrl(n.url.toString()).url, n.url);  // idempotent
    }

    void rejectsUnusableUrls_data() {
        QTest::addColumn<QString>("input");
        QTest::addRow("empty") << "   ";
        QTest::addRow("ftp") << "ftp://example.org/v1";
        QTest::addRow("no host") << "http:///v1";
        QTest::addRow("key in the URL") << "https://user:sk-secret@example.org/v1";
    }
    void rejectsUnusableUrls() {
        QFETCH(QString, input);
        const NormalizedUrl n = normalizeBaseUrl(input);
        QVERIFY(!n.ok());
        QVERIFY(n.url.isEmpty());
    }

    void plainHttpOnlyToLoopbackUnlessConfirmed_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("needsConfirmation");
        QTest::addRow("127.0.0.1") << "http://127.0.0.1:8080" << false;
        QTest::addRow("127.1.2.3") << "http://127.1.2.3:8080" << false;
        QTest::addRow("localhost") << "http://localhost:8080" << false;
        QTest::addRow("x.localhost") << "http://facet.localhost:8080" << false;
        QTest::addRow("::1") << "http://[::1]:8080" << false;
        QTest::addRow("LAN http") << "http://192.168.1.20:8000" << true;
        QTest::addRow("name http") << "http://gpu-box:8000" << true;
        QTest::addRow("https anywhere") << "https://192.168.1.20:8000" << false;
    }
    void plainHttpOnlyToLoopbackUnlessConfirmed() {
        QFETCH(QString, url);
        QFETCH(bool, needsConfirmation);
        const QUrl base = normalizeBaseUrl(url).url;
        QCOMPARE(needsInsecureConfirmation(base), needsConfirmation);
        QCOMPARE(checkTransport(base, false).isEmpty(), !needsConfirmation);
        QVERIFY(checkTransport(base, true).isEmpty());
    }

    void modelKeys() {
        QString id, model;
        QVERIFY(splitRemoteModelKey(remoteModelKey("ab12", "google/gemma-4-e4b-it"), &id, &model));
        QCOMPARE(id, QString("ab12"));
        QCOMPARE(model, QString("google/gemma-4-e4b-it"));
        QVERIFY(!splitRemoteModelKey("/models/gemma.gguf", &id, &model));
        QVERIFY(!splitRemoteModelKey("remote:ab12", &id, &model));
        QVERIFY(!splitRemoteModelKey("remote:/m", &id, &model));
    }

    void storeRoundTrip() {
        QTemporaryDir dir;
        RemoteEndpointStore store(dir.filePath("remote-servers.json"));
        RemoteEndpoint e;
        e.name = "Lab vLLM";
        e.baseUrl = QUrl("http://192.168.1.20:8000");
        e.allowInsecure = true;
        e.models = {{"google/gemma-4-31b-it", 32768}};
        const QString id = store.upsert(e);
        QVERIFY(!id.isEmpty());
        QString error;
        QVERIFY2(store.save(&error), qPrintable(error));
        RemoteEndpointStore again(store.file());
        QVERIFY2(again.load(&error), qPrintable(error));
        QCOMPARE(again.endpoints().size(), 1);
        const RemoteEndpoint* r = again.find(id);
        QVERIFY(r);
        QCOMPARE(r->name, e.name);
        QCOMPARE(r->baseUrl, e.baseUrl);
        QCOMPARE(r->allowInsecure, true);
        QCOMPARE(r->models.size(), 1);
        QCOMPARE(r->models[0].contextLength, 32768);
        QVERIFY(again.remove(id));
        QVERIFY(!again.remove(id));
    }

    void fileStoreIsOwnerOnly() {
        QTemporaryDir dir;
        FileSecretStore store(dir.filePath("sub/keys.json"));
        QString error = "not called";
        store.write("ep1", "sk-file-123", [&](const QString& e) { error = e; });
        QCOMPARE(error, QString("not called"));  // asynchronous, as the keyring is
        QTRY_COMPARE_WITH_TIMEOUT(error, QString(), kHangMs);
        QCOMPARE(unixMode(store.path()), 0600);
        QString secret;
        bool got = false;
        store.read("ep1", [&](const QString& s, const QString& e) { secret = s; error = e; got = true; });
        QTRY_VERIFY_WITH_TIMEOUT(got, kHangMs);
        QCOMPARE(secret, QString("sk-file-123"));
        got = false;
        store.remove("ep1", [&](const QString&) {});
        store.read("ep1", [&](const QString& s, const QString& e) { secret = s; error = e; got = true; });
        QTRY_VERIFY_WITH_TIMEOUT(got, kHangMs);
        QCOMPARE(secret, QString());
        QCOMPARE(error, QString());
    }

    // save(): the server in remote-servers.json, its key only in the keyring.
    void keyGoesToKeyringNotToFiles() {
        QTemporaryDir dir;
        QHash<QString, QString> keyring;
        RemoteServers servers(dir.path());
        servers.setSecretStore(std::make_unique<FallbackSecretStore>(
            std::make_unique<FakeKeyring>(true, &keyring), std::make_unique<FileSecretStore>(dir.filePath("remote-keys.json"))));
        QSignalSpy keySaved(&servers, &RemoteServers::keySaved);
        // Port 9 on loopback: nothing answers, the model refresh just fails.
        QVERIFY(servers.save("Box", "http://127.0.0.1:9/v1/", "sk-keyring-4242", false));
        QVERIFY(keySaved.count() > 0 || keySaved.wait(kHangMs));
        const QString id = keySaved.first().first().toString();
        QCOMPARE(keyring.value(id), QString("sk-keyring-4242"));
        QCOMPARE(servers.keyInFile(), false);
        QCOMPARE(servers.keyLocation(), QString("the fake keyring"));
        QVERIFY(QFile::exists(dir.filePath("remote-servers.json")));
        QCOMPARE(filesContaining(dir.path(), "sk-keyring-4242"), QStringList());
        QCOMPARE(servers.store().find(id)->baseUrl.toString(), QString("http://127.0.0.1:9"));

        // A fresh instance reads the server back and its key through the store.
        RemoteServers again(dir.path());
        again.setSecretStore(std::make_unique<FakeKeyring>(true, &keyring));
        QCOMPARE(again.store().endpoints().size(), 1);
        QString key;
        bool got = false;
        again.readKey(id, [&](const QString& k, const QString&) { key = k; got = true; });
        QTRY_VERIFY_WITH_TIMEOUT(got, kHangMs);
        QCOMPARE(key, QString("sk-keyring-4242"));
    }

    // No keyring service (headless, no D-Bus): the key goes to the 0600 file, and the UI is told.
    void keyFallsBackToPrivateFile() {
        QTemporaryDir dir;
        QHash<QString, QString> keyring;
        RemoteServers servers(dir.path());
        servers.setSecretStore(std::make_unique<FallbackSecretStore>(
            std::make_unique<FakeKeyring>(false, &keyring), std::make_unique<FileSecretStore>(dir.filePath("remote-keys.json"))));
        QSignalSpy keySaved(&servers, &RemoteServers::keySaved);
        QVERIFY(servers.save("Box", "http://localhost:9", "sk-fallback-777", false));
        QVERIFY(keySaved.count() > 0 || keySaved.wait(kHangMs));
        QVERIFY(keyring.isEmpty());
        QCOMPARE(servers.keyInFile(), true);
        QVERIFY2(servers.keyLocation().contains("remote-keys.json"), qPrintable(servers.keyLocation()));
        QCOMPARE(filesContaining(dir.path(), "sk-fallback-777"), QStringList{dir.filePath("remote-keys.json")});
        QCOMPARE(unixMode(dir.filePath("remote-keys.json")), 0600);
    }

    // The app's store as built: QtKeychain first (asynchronous: the answer
    // comes from the event loop), the 0600 file when no keyring service
    // answers (CI has no D-Bus session). Either way the key reads back and
    // inFile() tells the truth about where it is.
    void defaultStoreKeepsTheKeySomewhereItSays() {
        QTemporaryDir dir;
        auto store = makeDefaultSecretStore(dir.path());
        bool wrote = false;
        QString error = "not called";
        store->write("facet-test-entry", "sk-default-store-99", [&](const QString& e) { error = e; wrote = true; });
        QVERIFY(!wrote);  // never inside the call
        QTRY_VERIFY_WITH_TIMEOUT(wrote, kHangMs);
        QCOMPARE(error, QString());
        const QStringList files = filesContaining(dir.path(), "sk-default-store-99");
        QCOMPARE(files, store->inFile() ? QStringList{dir.filePath("remote-keys.json")} : QStringList());
        qInfo("key kept in %s", qPrintable(store->location()));
        QString secret;
        bool got = false;
        store->read("facet-test-entry", [&](const QString& s, const QString&) { secret = s; got = true; });
        QTRY_VERIFY_WITH_TIMEOUT(got, kHangMs);
        QCOMPARE(secret, QString("sk-default-store-99"));
        bool removed = false;
        store->remove("facet-test-entry", [&](const QString&) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, kHangMs);
        QCOMPARE(filesContaining(dir.path(), "sk-default-store-99"), QStringList());
    }

    void saveRefusesUnconfirmedPlainHttp() {
        QTemporaryDir dir;
        RemoteServers servers(dir.path());
        QVERIFY(servers.needsInsecureConfirmation("http://10.0.0.5:8000"));
        QVERIFY(!servers.save("LAN", "http://10.0.0.5:8000", "sk-x", false));
        QVERIFY(servers.saveError().contains("unencrypted"));
        QVERIFY(servers.store().endpoints().isEmpty());
        QVERIFY(!QFile::exists(dir.filePath("remote-servers.json")));
    }
};

QTEST_GUILESS_MAIN(TstAppRemoteEndpoints)
#include "tst_app_remote_endpoints.moc"
