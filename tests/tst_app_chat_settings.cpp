// ChatSettings' Hugging Face token lives in the secret store (the keyring,
// else the 0600 file), never in the settings INI: setting it leaves no trace
// of it in the INI text, a fresh instance reads it back, clearing it removes
// the secret, a token an older Facet left in the INI is moved to the store
// and deleted from the INI (usable at once, nothing lost), and without a
// stored token no keyring is asked at all.
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_settings.h"
#include "secret_store.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {

const QString kEntry = QStringLiteral("facet-huggingface-token");  // the secret store entry ChatSettings uses

// A keyring that refuses everything (no D-Bus); counts what was asked of it
// and the write refusals it delivered.
class NoKeyring : public SecretStore {
public:
    explicit NoKeyring(int* calls, int* writesRefused = nullptr) : calls_(calls), refused_(writesRefused) {}
    void write(const QString&, const QString&, Done done) override {
        ++*calls_;
        QTimer::singleShot(0, [done, r = refused_] {
            done(QStringLiteral("no keyring service"));
            if (r) ++*r;
        });
    }
    void read(const QString&, Got done) override {
        ++*calls_;
        QTimer::singleShot(0, [done] { done({}, QStringLiteral("no keyring service")); });
    }
    void remove(const QString&, Done done) override {
        ++*calls_;
        QTimer::singleShot(0, [done] { done(QStringLiteral("no keyring service")); });
    }
    QString location() const override { return QStringLiteral("no keyring"); }
    bool inFile() const override { return false; }

private:
    int* calls_;
    int* refused_;
};

QByteArray fileText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TstAppChatSettings : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    int instances_ = 0;
    QHash<QString, QString> keyring_;
    int keyringCalls_ = 0;

    QString freshDir() {
        const QString d = dir_.filePath(QString("case-%1").arg(++instances_));
        QDir().mkpath(d);
        return d;
    }

    // The store as the app builds it: a keyring (answering or not), then the 0600 file in `dir`.
    std::unique_ptr<SecretStore> store(bool keyringAnswers, const QString& dir) {
        std::unique_ptr<SecretStore> primary;
        if (keyringAnswers)
            primary = std::make_unique<MemoryKeyring>(&keyring_);
        else
            primary = std::make_unique<NoKeyring>(&keyringCalls_);
        return std::make_unique<FallbackSecretStore>(std::move(primary), std::make_unique<FileSecretStore>(dir + "/remote-keys.json"));
    }

    // A settings object on `dir`/settings.ini with the store.
    std::unique_ptr<ChatSettings> make(bool keyringAnswers, const QString& dir) {
        auto s = std::make_unique<ChatSettings>();
        s->setSecretStore(store(keyringAnswers, dir));
        s->setFile(dir + "/settings.ini");
        return s;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv("FACET_CONFIG_DIR", dir_.filePath("config").toUtf8());  // the constructor's default INI
    }
    void init() { keyring_.clear(); }

    void tokenGoesToTheSecretStoreNotTheIni_data() {
        QTest::addColumn<bool>("keyringAnswers");
        QTest::addRow("keyring") << true;
        QTest::addRow("0600 file, no keyring") << false;
    }
    void tokenGoesToTheSecretStoreNotTheIni() {
        QFETCH(bool, keyringAnswers);
        const QString dir = freshDir();
        const QString token = QStringLiteral("hf_settings_secret_%1").arg(instances_);
        {
            auto s = make(keyringAnswers, dir);
            QSignalSpy changed(s.get(), &ChatSettings::appChanged);
            s->setHfToken("  " + token + "  ");
            QCOMPARE(changed.count(), 1);
            QCOMPARE(s->hfToken(), token);  // at once, for the model manager
            QTRY_VERIFY_WITH_TIMEOUT(keyringAnswers ? keyring_.value(kEntry) == token
                                                    : fileText(dir + "/remote-keys.json").contains(token.toUtf8()),
                                     kHangMs);
            s->setTheme("dark");  // another app setting: the INI is written
        }
        const QByteArray ini = fileText(dir + "/settings.ini");
        QVERIFY2(ini.contains("theme=dark"), ini.constData());
        QVERIFY2(!ini.contains(token.toUtf8()), ini.constData());
        QVERIFY2(!ini.contains("hfToken="), ini.constData());
        QCOMPARE(fileText(dir + "/remote-keys.json").contains(token.toUtf8()), !keyringAnswers);

        // A fresh instance (the next start) reads it back from the store.
        auto again = make(keyringAnswers, dir);
        QTRY_COMPARE_WITH_TIMEOUT(again->hfToken(), token, kHangMs);

        // Cleared: gone from the store too.
        again->setHfToken("");
        QCOMPARE(again->hfToken(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!keyring_.contains(kEntry) && !fileText(dir + "/remote-keys.json").contains(token.toUtf8()),
                                 kHangMs);
        auto third = make(keyringAnswers, dir);
        QCOMPARE(third->hfToken(), QString());
        QVERIFY(!fileText(dir + "/settings.ini").contains(token.toUtf8()));
    }

    // An INI from before the secret store: its token is usable at once,
    // moved to the store, and deleted from the INI.
    void migratesATokenLeftInTheIni() {
        const QString dir = freshDir();
        const QString token = QStringLiteral("hf_left_in_the_ini_5678");
        {
            QSettings old(dir + "/settings.ini", QSettings::IniFormat);
            old.setValue("app/hfToken", token);
            old.setValue("app/theme", "light");
        }
        QVERIFY(fileText(dir + "/settings.ini").contains(token.toUtf8()));
        {
            auto s = make(true, dir);
            QCOMPARE(s->hfToken(), token);
            QTRY_COMPARE_WITH_TIMEOUT(keyring_.value(kEntry), token, kHangMs);
            QTRY_VERIFY_WITH_TIMEOUT(!fileText(dir + "/settings.ini").contains(token.toUtf8()), kHangMs);
            QCOMPARE(s->hfToken(), token);
            QCOMPARE(s->theme(), QString("light"));  // the rest of the INI stays
        }
        QVERIFY(!fileText(dir + "/settings.ini").contains("hfToken="));
        auto again = make(true, dir);
        QTRY_COMPARE_WITH_TIMEOUT(again->hfToken(), token, kHangMs);
    }

    // A store that cannot take it leaves the INI value where it is: nothing is lost.
    void keepsTheIniTokenWhenNoStoreTakesIt() {
        const QString dir = freshDir();
        const QString token = QStringLiteral("hf_nowhere_to_go_9999");
        {
            QSettings old(dir + "/settings.ini", QSettings::IniFormat);
            old.setValue("app/hfToken", token);
        }
        int calls = 0, refused = 0;
        ChatSettings s;
        s.setSecretStore(std::make_unique<NoKeyring>(&calls, &refused));
        QTest::ignoreMessage(QtWarningMsg, "Hugging Face token left in the settings file: no keyring service");
        s.setFile(dir + "/settings.ini");
        QCOMPARE(s.hfToken(), token);
        QTRY_COMPARE_WITH_TIMEOUT(refused, 1, kHangMs);  // ChatSettings has had the answer
        QCOMPARE(calls, 1);
        QCOMPARE(s.hfToken(), token);
        QVERIFY(fileText(dir + "/settings.ini").contains(token.toUtf8()));
    }

    // Without a stored token, no keyring is asked (no D-Bus round trip at every start).
    void asksNoKeyringWithoutAToken() {
        const QString dir = freshDir();
        keyringCalls_ = 0;
        auto s = make(false, dir);
        s->setTheme("dark");
        QCOMPARE(s->hfToken(), QString());
        QCOMPARE(keyringCalls_, 0);
    }

    // The chat sidebar's width: 260 until dragged, kept within 180-480 (a
    // hand-edited INI too), and read back at the next start.
    void sidebarWidthClampsAndPersists() {
        const QString dir = freshDir();
        {
            auto s = make(false, dir);
            QCOMPARE(s->sidebarWidth(), 260);
            QSignalSpy changed(s.get(), &ChatSettings::appChanged);
            s->setSidebarWidth(320);
            QCOMPARE(s->sidebarWidth(), 320);
            QCOMPARE(changed.count(), 1);
            s->setSidebarWidth(320);  // unchanged: no signal, no write
            QCOMPARE(changed.count(), 1);
            s->setSidebarWidth(40);
            QCOMPARE(s->sidebarWidth(), 180);
            s->setSidebarWidth(5000);
            QCOMPARE(s->sidebarWidth(), 480);
            QVERIFY(s->setProperty("sidebarWidth", 300));  // as QML sets it
            QCOMPARE(s->property("sidebarWidth").toInt(), 300);
        }
        QVERIFY(fileText(dir + "/settings.ini").contains("sidebarWidth=300"));
        QCOMPARE(make(false, dir)->sidebarWidth(), 300);  // the next start

        // Out of range in the file: clamped when read.
        {
            QSettings ini(dir + "/settings.ini", QSettings::IniFormat);
            ini.setValue("app/sidebarWidth", 9999);
        }
        QCOMPARE(make(false, dir)->sidebarWidth(), 480);
        {
            QSettings ini(dir + "/settings.ini", QSettings::IniFormat);
            ini.setValue("app/sidebarWidth", 12);
        }
        QCOMPARE(make(false, dir)->sidebarWidth(), 180);
    }
};

QTEST_GUILESS_MAIN(TstAppChatSettings)
#include "tst_app_chat_settings.moc"
