#include "color_scheme.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QEvent>
#include <QGuiApplication>
#include <QPalette>

SystemColorScheme::SystemColorScheme(QObject* parent) : QObject(parent) {
    watchPalette();
    if (qEnvironmentVariableIntValue("FACET_NO_PORTAL") == 1) return;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) return;
    bus.connect(kService, kPath, kInterface, QStringLiteral("SettingChanged"), this,
                SLOT(onSettingChanged(QString, QString, QDBusVariant)));
    ask(bus, QStringLiteral("ReadOne"));
}

SystemColorScheme::SystemColorScheme(const QDBusConnection& bus, QObject* parent) : QObject(parent) {
    watchPalette();
    QDBusConnection(bus).connect(kService, kPath, kInterface, QStringLiteral("SettingChanged"), this,
                                 SLOT(onSettingChanged(QString, QString, QDBusVariant)));
    ask(bus, QStringLiteral("ReadOne"));
}

bool SystemColorScheme::dark() const {
    if (preference_ == PreferDark) return true;
    if (preference_ == PreferLight) return false;
    return paletteDark_;
}

int SystemColorScheme::parsePortalReply(const QVariant& reply) {
    QVariant v = reply;
    // Read wraps the value in one more variant; a D-Bus variant may arrive as
    // QDBusVariant or, demarshalled, as a QDBusArgument holding one.
    for (int depth = 0; depth < 3; ++depth) {
        if (v.canConvert<QDBusVariant>() && v.metaType() == QMetaType::fromType<QDBusVariant>()) {
            v = v.value<QDBusVariant>().variant();
        } else if (v.metaType() == QMetaType::fromType<QDBusArgument>()) {
            const auto arg = v.value<QDBusArgument>();
            if (arg.currentType() != QDBusArgument::VariantType) return Unknown;
            v = arg.asVariant();
        } else {
            break;
        }
    }
    switch (v.metaType().id()) {
    case QMetaType::UInt:
    case QMetaType::Int:
    case QMetaType::UShort:
    case QMetaType::Short:
    case QMetaType::UChar:
    case QMetaType::ULongLong:
    case QMetaType::LongLong: {
        const qlonglong n = v.toLongLong();
        return n >= 0 && n <= 2 ? int(n) : int(Unknown);
    }
    default:
        return Unknown;
    }
}

void SystemColorScheme::setPreference(int preference) {
    update(preference >= 0 && preference <= 2 ? preference : int(Unknown), paletteDark_);
}

bool SystemColorScheme::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ApplicationPaletteChange) update(preference_, paletteIsDark());
    return QObject::eventFilter(watched, event);
}

void SystemColorScheme::onSettingChanged(const QString& ns, const QString& key, const QDBusVariant& value) {
    if (ns != QLatin1String(kNamespace) || key != QLatin1String(kKey)) return;
    update(parsePortalReply(QVariant::fromValue(value)), paletteDark_);
}

void SystemColorScheme::watchPalette() {
    paletteDark_ = paletteIsDark();
    if (qApp) qApp->installEventFilter(this);
}

void SystemColorScheme::ask(const QDBusConnection& bus, const QString& method) {
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, method);
    call << QString::fromLatin1(kNamespace) << QString::fromLatin1(kKey);
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, 3000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, bus, method](QDBusPendingCallWatcher* w) {
        w->deleteLater();
        const QDBusMessage reply = w->reply();
        if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty()) {
            // An older portal (before version 2) has only Read.
            if (method == QLatin1String("ReadOne") && reply.errorName() == QLatin1String("org.freedesktop.DBus.Error.UnknownMethod"))
                ask(bus, QStringLiteral("Read"));
            return;
        }
        update(parsePortalReply(reply.arguments().constFirst()), paletteDark_);
    });
}

void SystemColorScheme::update(int preference, bool paletteDark) {
    const bool wasDark = dark();
    const int was = preference_;
    preference_ = preference;
    paletteDark_ = paletteDark;
    if (wasDark != dark() || was != preference_) emit darkChanged();
}

bool SystemColorScheme::paletteIsDark() {
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}
