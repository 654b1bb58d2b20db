#include "app_translator.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QQmlEngine>

AppTranslator::AppTranslator(QObject* parent) : QObject(parent) {}

AppTranslator::~AppTranslator() {
    if (facet_) QCoreApplication::removeTranslator(facet_.get());
    if (qt_) QCoreApplication::removeTranslator(qt_.get());
}

QStringList AppTranslator::languages() { return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}; }

QString AppTranslator::resolve(const QString& setting, const QStringList& uiLanguages) {
    const QStringList ours = languages();
    if (ours.contains(setting)) return setting;
    // "de-AT", "fr_CA", "de": the language part decides, in the user's order of preference.
    for (const QString& ui : uiLanguages) {
        const QString lang = ui.section(QLatin1Char('-'), 0, 0).section(QLatin1Char('_'), 0, 0).toLower();
        if (ours.contains(lang)) return lang;
    }
    return ours.first();
}

void AppTranslator::setLanguage(const QString& language) {
    const QString v = languages().contains(language) ? language : QString();
    if (v == language_) return;
    language_ = v;
    emit languageChanged();
    if (complete_) apply();
}

void AppTranslator::componentComplete() {
    complete_ = true;
    apply();
}

void AppTranslator::apply() {
    const QLocale system = QLocale::system();
    const QString lang = resolve(language_, system.uiLanguages());
    for (auto* t : {facet_.get(), qt_.get()})
        if (t) QCoreApplication::removeTranslator(t);
    facet_.reset();
    qt_.reset();

    auto facet = std::make_unique<QTranslator>();
    if (facet->load(QStringLiteral(":/facet/i18n/facet_%1.qm").arg(lang))) {
        QCoreApplication::installTranslator(facet.get());
        facet_ = std::move(facet);
    } else {
        qWarning("AppTranslator: no translation facet_%s.qm", qPrintable(lang));
    }
    // Qt's own strings (standard buttons, text field menus); absent without
    // qt6-translations-l10n, and English needs none.
    if (lang != QLatin1String("en")) {
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(QStringLiteral("qt_") + lang, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt.get());
            qt_ = std::move(qt);
        }
    }
    // Numbers and dates: the system's locale when following it; else the
    // chosen language, in the system's region where that pair exists.
    QLocale::setDefault(language_.isEmpty() ? system : QLocale(QLocale(lang).language(), system.territory()));

    if (lang != effective_) {
        effective_ = lang;
        emit effectiveLanguageChanged();
    }
    retranslate();
}

void AppTranslator::retranslate() {
    // Queued and coalesced: a change arrives inside a binding or a ComboBox's
    // handler, where re-evaluating every qsTr binding at once is not safe.
    if (retranslateQueued_) return;
    retranslateQueued_ = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            retranslateQueued_ = false;
            if (QQmlEngine* engine = qmlEngine(this)) engine->retranslate();
        },
        Qt::QueuedConnection);
}
