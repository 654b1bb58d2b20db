#include "keychain_secret_store.h"

#include <qt6keychain/keychain.h>

namespace {

QString errorText(QKeychain::Job* job) {
    if (job->error() == QKeychain::NoError) return {};
    const QString why = job->errorString();
    return QObject::tr("system keyring: %1").arg(why.isEmpty() ? QObject::tr("error %1").arg(int(job->error())) : why);
}

}  // namespace

void KeychainSecretStore::write(const QString& key, const QString& secret, Done done) {
    auto* job = new QKeychain::WritePasswordJob(service_);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job* j) { done(errorText(j)); });
    job->start();
}

void KeychainSecretStore::read(const QString& key, Got done) {
    auto* job = new QKeychain::ReadPasswordJob(service_);
    job->setAutoDelete(true);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job* j) {
        if (j->error() == QKeychain::EntryNotFound) return done({}, {});
        done(static_cast<QKeychain::ReadPasswordJob*>(j)->textData(), errorText(j));
    });
    job->start();
}

void KeychainSecretStore::remove(const QString& key, Done done) {
    auto* job = new QKeychain::DeletePasswordJob(service_);
    job->setAutoDelete(true);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job* j) {
        done(j->error() == QKeychain::EntryNotFound ? QString() : errorText(j));
    });
    job->start();
}
