pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Facet

// The pictures waiting in the composer (ChatController.attachments): a
// thumbnail each with a button that removes it, and a note while pictures
// are still being checked. A plain Row in a fixed-height Item: Qt 6.4's
// layouts keep zero sizes for items made while the page was hidden.
Item {
    id: row
    required property ChatController chat
    required property Theme theme
    readonly property int thumbSize: 64

    visible: chat.attachments.count > 0 || chat.attachments.busy
    implicitHeight: visible ? thumbSize + 4 : 0

    Row {
        anchors.left: parent.left
        anchors.verticalCenter: parent.verticalCenter
        spacing: row.theme.spacing / 2
        Repeater {
            model: row.chat.attachments
            delegate: Rectangle {
                id: thumb
                required property int index
                required property url thumbnail
                required property string fileName
                required property string description
                objectName: "attachment-" + index
                width: row.thumbSize
                height: row.thumbSize
                radius: row.theme.radius / 2
                color: row.theme.surface
                border.color: row.theme.mutedText
                clip: true
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("Attached picture %1").arg(fileName)
                ToolTip.visible: thumbHover.hovered
                ToolTip.text: description
                HoverHandler { id: thumbHover }
                Image {
                    objectName: "attachmentImage"
                    anchors.fill: parent
                    anchors.margins: 1
                    source: thumb.thumbnail
                    sourceSize.width: 2 * row.thumbSize
                    sourceSize.height: 2 * row.thumbSize
                    fillMode: Image.PreserveAspectCrop
                    asynchronous: true
                }
                ToolButton {
                    objectName: "removeAttachment-" + thumb.index
                    anchors.top: parent.top
                    anchors.right: parent.right
                    implicitWidth: 22
                    implicitHeight: 22
                    text: "\u2715"
                    font.pixelSize: row.theme.bodySize - 3
                    background: Rectangle {
                        radius: width / 2
                        color: row.theme.surface
                        opacity: 0.85
                    }
                    onClicked: row.chat.removeAttachment(thumb.index)
                    Accessible.name: qsTr("Remove picture %1").arg(thumb.fileName)
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Remove")
                }
            }
        }
        BusyIndicator {
            visible: row.chat.attachments.busy
            running: visible
            width: row.thumbSize / 2
            height: row.thumbSize / 2
            anchors.verticalCenter: parent.verticalCenter
            Accessible.name: qsTr("Checking pictures")
        }
    }
}
