// KeychainSecretStore: API keys in the system keyring (Secret Service,
// KWallet; Keychain and Credential Manager elsewhere) through QtKeychain.
// Its jobs are asynchronous: nothing here waits for D-Bus.
#pragma once

#include "secret_store.h"

class KeychainSecretStore : public SecretStore {
public:
    // service: the keyring entry's service name.
    explicit KeychainSecretStore(const QString& service = QStringLiteral("Facet remote servers")) : service_(service) {}
    void write(const QString& key, const QString& secret, Done done) override;
    void read(const QString& key, Got done) override;
    void remove(const QString& key, Done done) override;
    QString location() const override { return QObject::tr("the system keyring"); }
    bool inFile() const override { return false; }

private:
    QString service_;
};
