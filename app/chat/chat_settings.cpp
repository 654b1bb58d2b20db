#include "chat_settings.h"

#include <QStandardPaths>

#include "runtime/image_encoder.h"

namespace {

// The secret store entry of the Hugging Face token (never renamed: it is where earlier runs saved it).
const QString kHfTokenEntry = QStringLiteral("facet-huggingface-token");
// INI keys: the token as Facet before the secret store kept it (migrated, then
// removed), and whether the secret store holds one (so no keyring is asked otherwise).
const QString kIniToken = QStringLiteral("app/hfToken");
const QString kIniTokenStored = QStringLiteral("app/hfTokenStored");

}  // namespace

QString facetSettingsFile() {
    QString dir = qEnvironmentVariable("FACET_CONFIG_DIR");
    if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return dir + QStringLiteral("/settings.ini");
}

QString ChatSettings::modelsDir() const {
    const QString set = get("app/modelsDir", "").toString();
    if (!set.isEmpty()) return set;
    const QString env = qEnvironmentVariable("FACET_MODELS_DIR");
    if (!env.isEmpty()) return env;
    return facetDataDir() + QStringLiteral("/models");
}

QString facetDataDir() {
    const QString dir = qEnvironmentVariable("FACET_DATA_DIR");
    return dir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dir;
}

ChatSettings::ChatSettings(QObject* parent) : QObject(parent) { setFile(facetSettingsFile()); }

ChatSettings::~ChatSettings() = default;

void ChatSettings::setFile(const QString& path) {
    settings_ = std::make_unique<QSettings>(path, QSettings::IniFormat);
    loadHfToken();
    emit appChanged();
    emit modelChanged();
}

SecretStore* ChatSettings::secrets() {
    if (!secrets_) secrets_ = makeDefaultSecretStore(facetDataDir());
    return secrets_.get();
}

void ChatSettings::loadHfToken() {
    const quint64 generation = ++tokenGeneration_;
    std::weak_ptr<int> alive = alive_;
    hfToken_ = settings_->value(kIniToken).toString();
    if (!hfToken_.isEmpty()) {
        // Written by an older Facet: usable at once, and out of the INI once the store has it.
        secrets()->write(kHfTokenEntry, hfToken_, [this, alive, generation](const QString& error) {
            if (alive.expired() || generation != tokenGeneration_) return;
            if (!error.isEmpty()) return qWarning("Hugging Face token left in the settings file: %s", qPrintable(error));
            settings_->remove(kIniToken);
            settings_->setValue(kIniTokenStored, true);
            settings_->sync();
        });
        return;
    }
    if (!settings_->value(kIniTokenStored).toBool()) return;
    secrets()->read(kHfTokenEntry, [this, alive, generation](const QString& secret, const QString& error) {
        if (alive.expired() || generation != tokenGeneration_) return;
        if (!error.isEmpty()) qWarning("Hugging Face token not read: %s", qPrintable(error));
        if (secret == hfToken_) return;
        hfToken_ = secret;
        emit appChanged();
    });
}

void ChatSettings::setHfToken(const QString& v) {
    const QString token = v.trimmed();
    const bool inIni = settings_->contains(kIniToken);
    if (token == hfToken_ && !inIni) return;
    ++tokenGeneration_;  // a read still on its way must not undo this
    hfToken_ = token;
    settings_->remove(kIniToken);
    if (token.isEmpty())
        settings_->remove(kIniTokenStored);
    else
        settings_->setValue(kIniTokenStored, true);
    settings_->sync();
    auto done = [](const QString& error) {
        if (!error.isEmpty()) qWarning("Hugging Face token not saved: %s", qPrintable(error));
    };
    if (token.isEmpty())
        secrets()->remove(kHfTokenEntry, done);
    else
        secrets()->write(kHfTokenEntry, token, done);
    emit appChanged();
}

QString ChatSettings::file() const { return settings_->fileName(); }

// Model file names become INI keys: keep them to safe characters.
QString ChatSettings::group() const {
    QString g = model_.isEmpty() ? QStringLiteral("default") : model_;
    for (QChar& c : g)
        if (!c.isLetterOrNumber() && c != '.' && c != '-' && c != '_') c = '_';
    return QStringLiteral("models/") + g + '/';
}

// A model without its own value takes the one set before any model was
// loaded ("default"), then the built-in default.
QVariant ChatSettings::per(const QString& key, const QVariant& dflt) const {
    const QVariant v = settings_->value(group() + key);
    if (v.isValid()) return v;
    return settings_->value(QStringLiteral("models/default/") + key, dflt);
}

void ChatSettings::setApp(const QString& key, const QVariant& v) {
    if (settings_->value(key) == v) return;
    settings_->setValue(key, v);
    settings_->sync();
    emit appChanged();
}

void ChatSettings::setPer(const QString& key, const QVariant& v) {
    if (settings_->value(group() + key) == v) return;
    settings_->setValue(group() + key, v);
    settings_->sync();
    emit modelChanged();
}

QString ChatSettings::documentsRerank() const {
    const QString v = get("documents/rerank", "auto").toString();
    return v == QLatin1String("on") || v == QLatin1String("off") ? v : QStringLiteral("auto");
}

void ChatSettings::setDocumentsRerank(const QString& v) {
    setApp("documents/rerank", v == QLatin1String("on") || v == QLatin1String("off") ? v : QStringLiteral("auto"));
}

void ChatSettings::setLanguage(const QString& v) {
    static const QStringList known{QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};
    setApp("app/language", known.contains(v) ? v : QString());
}

void ChatSettings::addRecentModel(const QString& path) {
    QStringList list = recentModels();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > 10) list.removeLast();
    setApp("app/recentModels", list);
}

void ChatSettings::selectModel(const QString& modelName) {
    if (modelName == model_) return;
    model_ = modelName;
    emit modelChanged();
}

void ChatSettings::resetModelDefaults() {
    settings_->remove(group().chopped(1));
    settings_->sync();
    emit modelChanged();
}

int ChatSettings::imageTokens() const {
    return imageDetail() ? facet::kImageTokensDetailed : facet::kImageTokensDefault;
}

QVariantMap ChatSettings::sampling() const {
    return {{"temperature", temperature()}, {"topK", topK()},         {"topP", topP()},
            {"minP", minP()},               {"repeatPenalty", repeatPenalty()},
            {"maxTokens", maxTokens()},     {"thinking", thinking()},
            {"rerank", documentsRerank()},  {"imageTokens", imageTokens()}};
}
