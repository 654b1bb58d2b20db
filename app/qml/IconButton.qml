import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import Facet

// A small button of the chat page: a Lucide icon tinted with the theme, its
// text beside it only when `showText` (else the text is the tooltip). `tip`
// is the tooltip and the accessible name. The same look under every Controls
// style: a rounded hover/pressed background and an accent ring on keyboard focus.
ToolButton {
    id: control
    required property Theme theme
    property string iconName
    property string tip: text
    property bool showText: false
    property color iconColor: hovered || visualFocus ? theme.text : theme.mutedText
    property int size: theme.iconSize

    display: showText ? AbstractButton.TextBesideIcon : AbstractButton.IconOnly
    icon.source: iconName !== "" ? theme.icon(iconName) : ""
    icon.color: iconColor
    icon.width: size
    icon.height: size
    padding: 6
    leftPadding: showText ? 8 : 6
    rightPadding: showText ? 10 : 6
    font.pixelSize: theme.smallSize
    focusPolicy: Qt.StrongFocus
    hoverEnabled: true
    opacity: enabled ? 1 : 0.4
    Accessible.role: Accessible.Button
    Accessible.name: tip
    ToolTip.visible: tip !== "" && (hovered || visualFocus) && !(showText && tip === text)
    ToolTip.delay: 400
    ToolTip.text: tip
    contentItem: Row {
        spacing: 6
        IconImage {
            anchors.verticalCenter: parent.verticalCenter
            visible: control.iconName !== ""
            source: control.icon.source
            color: control.icon.color
            sourceSize.width: control.size
            sourceSize.height: control.size
        }
        Label {
            anchors.verticalCenter: parent.verticalCenter
            visible: control.showText
            text: control.text
            font: control.font
            color: control.iconColor
        }
    }
    background: Rectangle {
        radius: control.theme.radius - 2
        color: control.down || control.checked ? control.theme.selected
             : control.hovered ? control.theme.hover : "transparent"
        border.width: control.visualFocus ? 2 : 0
        border.color: control.theme.accent
    }
}
