pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// One message: who wrote it, its thinking (collapsible) and its text, which
// can be selected and copied.
Rectangle {
    id: bubble
    required property Theme theme
    required property int index
    required property string role
    required property string text
    required property string thinking
    required property bool partial

    readonly property bool fromUser: role === "user"
    implicitHeight: column.implicitHeight + 2 * theme.spacing
    radius: theme.radius
    color: fromUser ? Qt.lighter(theme.accent, 1.85) : theme.surface
    Accessible.role: Accessible.StaticText
    Accessible.name: (fromUser ? qsTr("You: ") : qsTr("Model: ")) + text

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: bubble.theme.spacing
        spacing: bubble.theme.spacing / 2

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: bubble.fromUser ? qsTr("You") : qsTr("Gemma")
                font.bold: true
                color: bubble.theme.text
            }
            Label {
                visible: bubble.partial && !bubble.fromUser
                text: qsTr("(incomplete)")
                color: bubble.theme.mutedText
            }
            Item { Layout.fillWidth: true }
            ToolButton {
                text: qsTr("Copy")
                onClicked: { body.selectAll(); body.copy(); body.deselect() }
                Accessible.name: qsTr("Copy message")
            }
        }

        Button {
            visible: bubble.thinking !== ""
            flat: true
            checkable: true
            id: thinkingToggle
            text: checked ? qsTr("Hide thinking") : qsTr("Show thinking")
            Accessible.name: text
        }
        Label {
            Layout.fillWidth: true
            visible: thinkingToggle.checked && bubble.thinking !== ""
            text: bubble.thinking
            wrapMode: Text.Wrap
            color: bubble.theme.mutedText
            font.italic: true
        }

        TextEdit {
            id: body
            Layout.fillWidth: true
            text: bubble.text
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            textFormat: TextEdit.MarkdownText
            color: bubble.theme.text
            font.pixelSize: bubble.theme.bodySize
        }
    }
}
