pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Facet

// The numbered sources under a document answer (documents-qa.md §6.4): file
// name, page and page label, section path, and the passage with the
// question's words highlighted (MessageListModel's "sources" role). Clicking
// an entry, or Enter/Space on it, opens the source at its page.
Column {
    id: panel
    required property Theme theme
    required property var sources
    signal openSource(int number)

    spacing: theme.spacing / 3

    Label {
        text: qsTr("Sources")
        font.bold: true
        font.pixelSize: panel.theme.bodySize - 1
        color: panel.theme.mutedText
    }

    Repeater {
        model: panel.sources
        delegate: AbstractButton {
            id: entry
            required property var modelData
            property bool expanded: false
            objectName: "source-" + modelData.number
            width: panel.width
            focusPolicy: Qt.StrongFocus
            hoverEnabled: true
            padding: panel.theme.spacing / 2
            onClicked: panel.openSource(modelData.number)
            Keys.onReturnPressed: panel.openSource(modelData.number)
            Accessible.role: Accessible.Link
            Accessible.name: qsTr("Source %1: %2 %3").arg(modelData.number).arg(modelData.fileName).arg(modelData.location)
            Accessible.description: qsTr("Opens the document at this page")
            ToolTip.visible: hovered
            ToolTip.delay: 600
            ToolTip.text: modelData.path

            background: Rectangle {
                radius: panel.theme.radius / 2
                readonly property color accent: panel.theme.accent
                readonly property color muted: panel.theme.mutedText
                color: entry.hovered || entry.activeFocus ? Qt.rgba(accent.r, accent.g, accent.b, 0.12) : "transparent"
                border.color: entry.activeFocus ? accent : Qt.rgba(muted.r, muted.g, muted.b, 0.35)
            }

            contentItem: Column {
                spacing: 2
                Row {
                    width: parent.width
                    spacing: panel.theme.spacing / 2
                    Rectangle {
                        width: numberLabel.implicitWidth + 10
                        height: numberLabel.implicitHeight + 2
                        radius: height / 2
                        color: panel.theme.accent
                        Label {
                            id: numberLabel
                            anchors.centerIn: parent
                            text: entry.modelData.number
                            color: "white"
                            font.bold: true
                            font.pixelSize: panel.theme.bodySize - 2
                        }
                    }
                    Label {
                        text: entry.modelData.fileName
                        font.bold: true
                        color: panel.theme.text
                        elide: Text.ElideMiddle
                        width: Math.min(implicitWidth, parent.width * 0.5)
                    }
                    Label {
                        text: entry.modelData.location
                        visible: text !== ""
                        color: panel.theme.mutedText
                    }
                    Label {
                        text: entry.modelData.section
                        visible: text !== ""
                        color: panel.theme.mutedText
                        font.italic: true
                        elide: Text.ElideRight
                        width: Math.min(implicitWidth, parent.width * 0.3)
                    }
                }
                Text {
                    id: passage
                    width: parent.width
                    // Long passages show their start until "More" unfolds them.
                    height: entry.expanded ? implicitHeight : Math.min(implicitHeight, 4 * font.pixelSize * 1.4)
                    clip: true
                    text: entry.modelData.passageHtml
                    textFormat: Text.RichText
                    wrapMode: Text.Wrap
                    color: panel.theme.text
                    font.pixelSize: panel.theme.bodySize - 1
                }
                ToolButton {
                    visible: passage.implicitHeight > passage.height || entry.expanded
                    text: entry.expanded ? qsTr("Less") : qsTr("More")
                    font.pixelSize: panel.theme.bodySize - 2
                    onClicked: entry.expanded = !entry.expanded
                    Accessible.name: entry.expanded ? qsTr("Show less of the passage") : qsTr("Show all of the passage")
                }
            }
        }
    }
}
