// SecretStore: where API keys of remote servers live, never in the settings
// or the servers file. Calls are asynchronous (the system keyring answers
// over D-Bus); `done` runs later on the caller's thread, never inside the
// call. Implementations: KeychainSecretStore (keychain_secret_store.h, the
// system keyring through QtKeychain), FileSecretStore (a 0600 JSON file, for
// machines without a keyring service), and FallbackSecretStore, which tries
// the first and falls back to the second.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

class SecretStore {
public:
    // error: "" on success. A missing key reads as "" without an error.
    using Done = std::function<void(const QString& error)>;
    using Got = std::function<void(const QString& secret, const QString& error)>;

    virtual ~SecretStore() = default;
    virtual void write(const QString& key, const QString& secret, Done done) = 0;
    virtual void read(const QString& key, Got done) = 0;
    virtual void remove(const QString& key, Done done) = 0;
    // Where the last successful write put the secret, for the user:
    // "the system keyring" or "file <path>".
    virtual QString location() const = 0;
    // True when secrets sit in a plain file (the UI warns about it).
    virtual bool inFile() const = 0;
};

// A JSON object {key: secret} in a file only its owner may read or write
// (0600, written atomically). Used when no keyring service is reachable.
class FileSecretStore : public SecretStore {
public:
    explicit FileSecretStore(const QString& path) : path_(path) {}
    void write(const QString& key, const QString& secret, Done done) override;
    void read(const QString& key, Got done) override;
    void remove(const QString& key, Done done) override;
    QString location() const override;
    bool inFile() const override { return true; }
    QString path() const { return path_; }

private:
    QHash<QString, QString> load(QString* error) const;
    QString save(const QHash<QString, QString>& all) const;

    QString path_;
};

// Writes to `primary`; when it fails (no D-Bus, no Secret Service, locked
// and refused), to `fallback`. Reads try `primary`, then `fallback`.
class FallbackSecretStore : public SecretStore {
public:
    FallbackSecretStore(std::unique_ptr<SecretStore> primary, std::unique_ptr<SecretStore> fallback);
    void write(const QString& key, const QString& secret, Done done) override;
    void read(const QString& key, Got done) override;
    void remove(const QString& key, Done done) override;
    QString location() const override { return usedFallback_ ? fallback_->location() : primary_->location(); }
    bool inFile() const override { return usedFallback_ ? fallback_->inFile() : primary_->inFile(); }

private:
    std::unique_ptr<SecretStore> primary_, fallback_;
    bool usedFallback_ = false;
    // Callbacks run after this store may be gone: they hold a weak token.
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// The store the app uses: the system keyring, else <dataDir>/remote-keys.json.
std::unique_ptr<SecretStore> makeDefaultSecretStore(const QString& dataDir);
