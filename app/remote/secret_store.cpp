#include "secret_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>

#include "keychain_secret_store.h"

namespace {

// The callback runs from the event loop, as the keyring's would.
void later(std::function<void()> fn) { QTimer::singleShot(0, std::move(fn)); }

constexpr QFile::Permissions kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

}  // namespace

QHash<QString, QString> FileSecretStore::load(QString* error) const {
    QHash<QString, QString> all;
    QFile f(path_);
    if (!f.exists()) return all;
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("Could not read %1: %2").arg(path_, f.errorString());
        return all;
    }
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    for (auto it = o.begin(); it != o.end(); ++it) all.insert(it.key(), it.value().toString());
    return all;
}

QString FileSecretStore::save(const QHash<QString, QString>& all) const {
    QJsonObject o;
    for (auto it = all.begin(); it != all.end(); ++it) o.insert(it.key(), it.value());
    QDir().mkpath(QFileInfo(path_).absolutePath());
    QSaveFile f(path_);
    // Owner-only before any byte of a key is written.
    if (!f.open(QIODevice::WriteOnly) || !f.setPermissions(kOwnerOnly))
        return QObject::tr("Could not write %1: %2").arg(path_, f.errorString());
    f.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    if (!f.commit()) return QObject::tr("Could not write %1: %2").arg(path_, f.errorString());
    QFile::setPermissions(path_, kOwnerOnly);
    return {};
}

void FileSecretStore::write(const QString& key, const QString& secret, Done done) {
    QString error;
    QHash<QString, QString> all = load(&error);
    if (error.isEmpty()) {
        all.insert(key, secret);
        error = save(all);
    }
    later([done = std::move(done), error] { done(error); });
}

void FileSecretStore::read(const QString& key, Got done) {
    QString error;
    const QString secret = load(&error).value(key);
    later([done = std::move(done), secret, error] { done(secret, error); });
}

void FileSecretStore::remove(const QString& key, Done done) {
    QString error;
    QHash<QString, QString> all = load(&error);
    if (error.isEmpty() && all.remove(key)) error = save(all);
    later([done = std::move(done), error] { done(error); });
}

QString FileSecretStore::location() const { return QObject::tr("file %1").arg(QDir::toNativeSeparators(path_)); }

FallbackSecretStore::FallbackSecretStore(std::unique_ptr<SecretStore> primary, std::unique_ptr<SecretStore> fallback)
    : primary_(std::move(primary)), fallback_(std::move(fallback)) {}

void FallbackSecretStore::write(const QString& key, const QString& secret, Done done) {
    std::weak_ptr<int> alive = alive_;
    primary_->write(key, secret, [this, alive, key, secret, done](const QString& error) {
        if (alive.expired()) return;
        if (error.isEmpty()) {
            usedFallback_ = false;
            fallback_->remove(key, [](const QString&) {});  // no stale copy in the file
            return done({});
        }
        fallback_->write(key, secret, [this, alive, done](const QString& fileError) {
            if (alive.expired()) return;
            if (fileError.isEmpty()) usedFallback_ = true;
            done(fileError);
        });
    });
}

void FallbackSecretStore::read(const QString& key, Got done) {
    std::weak_ptr<int> alive = alive_;
    primary_->read(key, [this, alive, key, done](const QString& secret, const QString& error) {
        if (alive.expired()) return;
        if (error.isEmpty() && !secret.isEmpty()) return done(secret, {});
        fallback_->read(key, [alive, done](const QString& s, const QString& fileError) {
            if (!alive.expired()) done(s, fileError);
        });
    });
}

void FallbackSecretStore::remove(const QString& key, Done done) {
    std::weak_ptr<int> alive = alive_;
    primary_->remove(key, [this, alive, key, done](const QString&) {
        if (alive.expired()) return;
        fallback_->remove(key, [alive, done](const QString& error) {
            if (!alive.expired()) done(error);
        });
    });
}

std::unique_ptr<SecretStore> makeDefaultSecretStore(const QString& dataDir) {
    return std::make_unique<FallbackSecretStore>(std::make_unique<KeychainSecretStore>(),
                                                 std::make_unique<FileSecretStore>(dataDir + "/remote-keys.json"));
}
