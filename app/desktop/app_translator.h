// AppTranslator: the interface's language. Main.qml binds `language` to
// ChatSettings::language ("" = follow the system locale). Each change swaps
// the translators on the application (Facet's own :/facet/i18n/facet_<lang>.qm
// and Qt's qt_<lang>.qm where qt6-translations-l10n installed it), sets
// QLocale's default so numbers and dates follow, and retranslates the QML
// engine: a switch in Settings shows at once, without a restart.
#pragma once

#include <QObject>
#include <QQmlParserStatus>
#include <QString>
#include <QStringList>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>
#include <memory>

class AppTranslator : public QObject, public QQmlParserStatus {
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    // "" (the system's), "en", "de" or "fr"; anything else counts as "".
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    // The language shown: "en", "de" or "fr".
    Q_PROPERTY(QString effectiveLanguage READ effectiveLanguage NOTIFY effectiveLanguageChanged)

public:
    explicit AppTranslator(QObject* parent = nullptr);
    ~AppTranslator() override;

    // The languages Facet ships, English (the source language) first.
    static QStringList languages();
    // What `setting` means: itself when Facet has it, else the first of
    // `uiLanguages` (BCP 47, as QLocale::uiLanguages) that Facet has;
    // English when none is (also when English comes before one it has).
    static QString resolve(const QString& setting, const QStringList& uiLanguages);

    QString language() const { return language_; }
    void setLanguage(const QString& language);
    QString effectiveLanguage() const { return effective_; }

    void classBegin() override {}
    void componentComplete() override;

signals:
    void languageChanged();
    void effectiveLanguageChanged();

private:
    // Installs the translators of resolve(language_, system); then retranslates.
    void apply();
    void retranslate();

    QString language_;
    QString effective_;
    bool complete_ = false;
    bool retranslateQueued_ = false;
    std::unique_ptr<QTranslator> facet_;  // facet_<lang>.qm (English too: its plural forms)
    std::unique_ptr<QTranslator> qt_;     // Qt's own (dialog buttons, context menus)
};
