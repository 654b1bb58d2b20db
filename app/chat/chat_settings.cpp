#include "chat_settings.h"

#include <QStandardPaths>

namespace {

QString defaultFile() {
    QString dir = qEnvironmentVariable("FACET_CONFIG_DIR");
    if (dir.isEmpty()) dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return dir + QStringLiteral("/settings.ini");
}

}  // namespace

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

ChatSettings::ChatSettings(QObject* parent) : QObject(parent) { setFile(defaultFile()); }

void ChatSettings::setFile(const QString& path) {
    settings_ = std::make_unique<QSettings>(path, QSettings::IniFormat);
    emit appChanged();
    emit modelChanged();
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

QVariantMap ChatSettings::sampling() const {
    return {{"temperature", temperature()}, {"topK", topK()},         {"topP", topP()},
            {"minP", minP()},               {"repeatPenalty", repeatPenalty()},
            {"maxTokens", maxTokens()},     {"thinking", thinking()},
            {"rerank", documentsRerank()}};
}
