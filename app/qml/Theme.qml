import QtQuick

// Colors, spacing and fonts in one place (house style rule 14). One instance
// lives in Main.qml and is handed to the pages: Qt 6.4 failed to resolve it as a
// QML singleton of this static module in optimized builds (window never shown).
QtObject {
    // Set by Main.qml from the settings (light, dark, or the system's palette).
    property bool dark: false
    property int fontSize: 14
    readonly property color background: dark ? "#1e1f22" : "#f7f7f8"
    readonly property color surface: dark ? "#2b2d31" : "#ffffff"
    readonly property color text: dark ? "#e8e8ea" : "#1f2328"
    readonly property color mutedText: dark ? "#a0a3a8" : "#5f6368"
    readonly property color accent: "#3b82f6"
    readonly property color error: dark ? "#f87171" : "#b91c1c"
    readonly property color errorBackground: dark ? "#3f1d1d" : "#fde8e8"
    readonly property int spacing: 12
    readonly property int radius: 8
    readonly property int titleSize: 22
    readonly property int bodySize: fontSize
    readonly property string monoFamily: "monospace"
}
