pragma Singleton
import QtQuick

// Colors, spacing and fonts in one place (house style rule 14).
QtObject {
    // Qt 6.4 has no styleHints.colorScheme: follow the system palette's lightness.
    readonly property SystemPalette palette: SystemPalette { colorGroup: SystemPalette.Active }
    readonly property bool dark: palette.window.hslLightness < 0.5
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
    readonly property int bodySize: 14
    readonly property string monoFamily: "monospace"
}
