// SystemColorScheme: whether the desktop prefers a dark interface. Qt 6.4 has
// no API for it, so it asks the XDG desktop portal over D-Bus
// (org.freedesktop.portal.Settings, namespace "org.freedesktop.appearance",
// key "color-scheme": 1 prefer dark, 2 prefer light, 0 no preference) and
// follows its SettingChanged signal. With no portal, or no preference, the
// application palette's lightness decides (and its changes are followed).
// Main.qml: Theme.dark = settings theme "dark", or "system" and this.dark.
#pragma once

#include <QDBusConnection>
#include <QDBusVariant>
#include <QObject>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

class SystemColorScheme : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool dark READ dark NOTIFY darkChanged)
    // The portal's answer: 0 no preference, 1 dark, 2 light; -1 before (or without) one.
    Q_PROPERTY(int preference READ preference NOTIFY darkChanged)

public:
    enum Preference { Unknown = -1, NoPreference = 0, PreferDark = 1, PreferLight = 2 };

    // Asks the session bus's portal; FACET_NO_PORTAL=1 skips D-Bus (tests).
    explicit SystemColorScheme(QObject* parent = nullptr);
    // Asks the portal on `bus` instead (a test's private bus).
    SystemColorScheme(const QDBusConnection& bus, QObject* parent);

    bool dark() const;
    int preference() const { return preference_; }

    // The color-scheme value of a ReadOne reply (a variant holding a uint32) or
    // a Read reply (the same, wrapped in one more variant): 0, 1 or 2; -1 for
    // anything else (another type, an out-of-range number, nothing).
    static int parsePortalReply(const QVariant& reply);

    // Sets what the portal would say (tests; -1 forgets it, the palette decides).
    void setPreference(int preference);

    static constexpr const char* kService = "org.freedesktop.portal.Desktop";
    static constexpr const char* kPath = "/org/freedesktop/portal/desktop";
    static constexpr const char* kInterface = "org.freedesktop.portal.Settings";
    static constexpr const char* kNamespace = "org.freedesktop.appearance";
    static constexpr const char* kKey = "color-scheme";

signals:
    void darkChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private slots:
    void onSettingChanged(const QString& ns, const QString& key, const QDBusVariant& value);

private:
    void watchPalette();
    void ask(const QDBusConnection& bus, const QString& method);
    void update(int preference, bool paletteDark);
    static bool paletteIsDark();

    int preference_ = Unknown;
    bool paletteDark_ = false;
};
