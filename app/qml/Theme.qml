import QtQuick

// Colors, spacing and fonts in one place (house style rule 14). One instance
// lives in Main.qml and is handed to the pages: Qt 6.4 failed to resolve it as a
// QML singleton of this static module in optimized builds (window never shown).
QtObject {
    // Set by Main.qml from the settings (light, dark, or the system's scheme).
    property bool dark: false
    property int fontSize: 14
    readonly property color background: dark ? "#1e1f22" : "#f7f7f8"
    readonly property color surface: dark ? "#2b2d31" : "#ffffff"
    // The sidebar and the toolbar sit one step off the background.
    readonly property color sidebar: dark ? "#232428" : "#eff0f2"
    readonly property color hover: dark ? "#35373c" : "#e6e7ea"
    readonly property color selected: dark ? "#3d4048" : "#dde3ee"
    readonly property color border: dark ? "#3a3c42" : "#dcdde1"
    readonly property color text: dark ? "#e8e8ea" : "#1f2328"
    readonly property color mutedText: dark ? "#a0a3a8" : "#5f6368"
    readonly property color accent: dark ? "#60a5fa" : "#2563eb"
    // Text and icons drawn on the accent color (the send button). Through an
    // alias: QML reads "onAccent: value" as a handler of a signal "accent".
    readonly property alias onAccent: fixedColors.onAccent
    readonly property QtObject fixed: QtObject {
        id: fixedColors
        readonly property color onAccent: "#ffffff"
    }
    readonly property color userBubble: dark ? "#2f3a4d" : "#e8effc"
    readonly property color codeBackground: dark ? "#17181b" : "#f3f4f6"
    readonly property color codeHeader: dark ? "#2a2c31" : "#e5e7eb"
    readonly property color error: dark ? "#f87171" : "#b91c1c"
    readonly property color errorBackground: dark ? "#3f1d1d" : "#fde8e8"
    readonly property color success: dark ? "#4ade80" : "#15803d"
    readonly property color warning: dark ? "#fbbf24" : "#b45309"
    // Behind a modal dialog: darkens in both themes (Material's own lightens in dark).
    readonly property color scrim: dark ? Qt.rgba(0, 0, 0, 0.6) : Qt.rgba(0, 0, 0, 0.32)
    readonly property int spacing: 12
    readonly property int radius: 8
    readonly property int titleSize: 22
    readonly property int bodySize: fontSize
    readonly property int smallSize: Math.max(10, fontSize - 2)
    readonly property int iconSize: 18
    // Messages and the composer stay this wide at most, centred (a readable line length).
    readonly property int contentWidth: 780
    readonly property string monoFamily: "monospace"
    // The interface's icons (Lucide, resources/icons/lucide): icon("send").
    function icon(name) { return "qrc:/facet/icons/" + name + ".svg" }
}
