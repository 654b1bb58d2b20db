// ChatSettings: what the settings page edits, persisted with QSettings (INI
// under the XDG config folder, FACET_CONFIG_DIR overrides it). App-wide:
// theme, font size, backend and device, the documents rerank, the pictures'
// detail. Per model (keyed by file name):
// system prompt, sampling, max tokens, context length, thinking — loaded
// when that model is loaded, saved when changed. The Hugging Face token is
// not in the INI: it lives in the secret store (system keyring, else the 0600
// file, app/remote/secret_store.h) as "facet-huggingface-token"; the INI
// keeps only whether one was stored (app/hfTokenStored). A token an older
// Facet left in the INI (app/hfToken) is moved there on first read.
#pragma once

#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>
#include <memory>

#include "secret_store.h"

// Where Facet keeps its data (conversations, downloads, models): $FACET_DATA_DIR,
// else the XDG data directory.
QString facetDataDir();
// The settings INI (chat settings, window geometry): $FACET_CONFIG_DIR/settings.ini,
// else in the XDG config directory.
QString facetSettingsFile();

class ChatSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatController")
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY appChanged)  // "system", "light", "dark"
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY appChanged)
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY appChanged)  // "" = the best
    // Where the model manager keeps and looks for models ($FACET_MODELS_DIR, else <data>/models).
    Q_PROPERTY(QString modelsDir READ modelsDir WRITE setModelsDir NOTIFY appChanged)
    // Optional Hugging Face token, for gated repositories. Read from the secret
    // store asynchronously: "" until it answers (appChanged then).
    Q_PROPERTY(QString hfToken READ hfToken WRITE setHfToken NOTIFY appChanged)
    // Rerank of retrieved passages by the chat model: "auto" (on a GPU, not on
    // the CPU backend or lavapipe), "on", "off". Key documents/rerank.
    Q_PROPERTY(QString documentsRerank READ documentsRerank WRITE setDocumentsRerank NOTIFY appChanged)
    // "More detail for pictures (slower)": each picture may take 1120 soft
    // tokens instead of 280 (reading text in a picture). Key images/moreDetail.
    Q_PROPERTY(bool imageDetail READ imageDetail WRITE setImageDetail NOTIFY appChanged)
    // The interface's language: "" follows the system locale, else "en", "de"
    // or "fr" (AppTranslator applies it). Key app/language.
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY appChanged)
    // The chat sidebar's width in pixels (dragged by its handle), 180-480. Key app/sidebarWidth.
    Q_PROPERTY(int sidebarWidth READ sidebarWidth WRITE setSidebarWidth NOTIFY appChanged)
    Q_PROPERTY(QString model READ model NOTIFY modelChanged)                  // whose defaults these are
    // Paths of the models loaded before, most recent first (the model picker).
    Q_PROPERTY(QStringList recentModels READ recentModels NOTIFY appChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY modelChanged)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY modelChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY modelChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY modelChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY modelChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY modelChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY modelChanged)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY modelChanged)
    Q_PROPERTY(bool thinking READ thinking WRITE setThinking NOTIFY modelChanged)

public:
    explicit ChatSettings(QObject* parent = nullptr);
    ~ChatSettings() override;
    // Where the token is kept (tests: an in-memory keyring); before setFile().
    // Without one, makeDefaultSecretStore(facetDataDir()) on first use.
    void setSecretStore(std::unique_ptr<SecretStore> store) { secrets_ = std::move(store); }
    // The INI file (tests point it at a temporary folder).
    void setFile(const QString& path);
    QString file() const;

    QString theme() const { return get("app/theme", "system").toString(); }
    int fontSize() const { return get("app/fontSize", 14).toInt(); }
    QString device() const { return get("app/device", "").toString(); }
    void setTheme(const QString& v) { setApp("app/theme", v); }
    void setFontSize(int v) { setApp("app/fontSize", qBound(8, v, 32)); }
    void setDevice(const QString& v) { setApp("app/device", v); }
    QString modelsDir() const;
    void setModelsDir(const QString& v) { setApp("app/modelsDir", v); }
    QString hfToken() const { return hfToken_; }
    // Into the secret store ("" removes it); never into the INI.
    void setHfToken(const QString& v);
    QStringList recentModels() const { return get("app/recentModels", QStringList()).toStringList(); }
    QString documentsRerank() const;
    // Anything but "on" and "off" is stored as "auto".
    void setDocumentsRerank(const QString& v);
    bool imageDetail() const { return get("images/moreDetail", false).toBool(); }
    void setImageDetail(bool v) { setApp("images/moreDetail", v); }
    QString language() const { return get("app/language", "").toString(); }
    // Anything but "en", "de" and "fr" is stored as "" (the system's).
    void setLanguage(const QString& v);
    int sidebarWidth() const { return qBound(180, get("app/sidebarWidth", 260).toInt(), 480); }
    void setSidebarWidth(int v) { setApp("app/sidebarWidth", qBound(180, v, 480)); }
    // The soft-token budget per picture imageDetail stands for (ChatSettings::imageTokens in the engine).
    int imageTokens() const;
    // Puts `path` first (once), keeping at most 10.
    void addRecentModel(const QString& path);

    // Switches the per-model properties to `modelName`'s saved values (or the defaults).
    void selectModel(const QString& modelName);
    QString model() const { return model_; }
    QString systemPrompt() const { return per("systemPrompt", "").toString(); }
    double temperature() const { return per("temperature", 1.0).toDouble(); }
    int topK() const { return per("topK", 64).toInt(); }
    double topP() const { return per("topP", 0.95).toDouble(); }
    double minP() const { return per("minP", 0.0).toDouble(); }
    double repeatPenalty() const { return per("repeatPenalty", 1.0).toDouble(); }
    int maxTokens() const { return per("maxTokens", 1024).toInt(); }
    int contextLength() const { return per("contextLength", 4096).toInt(); }
    bool thinking() const { return per("thinking", false).toBool(); }
    void setSystemPrompt(const QString& v) { setPer("systemPrompt", v); }
    void setTemperature(double v) { setPer("temperature", qBound(0.0, v, 5.0)); }
    void setTopK(int v) { setPer("topK", qMax(0, v)); }
    void setTopP(double v) { setPer("topP", qBound(0.0, v, 1.0)); }
    void setMinP(double v) { setPer("minP", qBound(0.0, v, 1.0)); }
    void setRepeatPenalty(double v) { setPer("repeatPenalty", qBound(0.0, v, 5.0)); }
    void setMaxTokens(int v) { setPer("maxTokens", qBound(1, v, 1 << 20)); }
    void setContextLength(int v) { setPer("contextLength", qBound(256, v, 1 << 20)); }
    void setThinking(bool v) { setPer("thinking", v); }
    Q_INVOKABLE void resetModelDefaults();

    // Sampling for EngineWorker::generate (without the seed), with rerank and imageTokens.
    QVariantMap sampling() const;

signals:
    void appChanged();
    void modelChanged();

private:
    QVariant get(const QString& key, const QVariant& dflt) const { return settings_->value(key, dflt); }
    QVariant per(const QString& key, const QVariant& dflt) const;
    void setApp(const QString& key, const QVariant& v);
    void setPer(const QString& key, const QVariant& v);
    QString group() const;
    SecretStore* secrets();
    // setFile(): the token from the secret store, or moved there from the INI.
    void loadHfToken();

    QString hfToken_;
    quint64 tokenGeneration_ = 0;  // a read or migration answers only for the file and token it started with
    std::unique_ptr<SecretStore> secrets_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // the store's callbacks check it

    std::unique_ptr<QSettings> settings_;
    QString model_;
};
