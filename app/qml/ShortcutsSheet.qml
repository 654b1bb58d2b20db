pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// Every keyboard shortcut of the app (F1), grouped, in the platform's notation.
// Keep it in step with the Shortcut items of Main.qml, ChatPage.qml and PdfViewer.qml.
Dialog {
    id: sheet
    required property Theme theme
    required property KeyText keys
    title: qsTr("Keyboard shortcuts")
    modal: true
    // Flat: a bordered surface on a scrim (the same under every renderer).
    Overlay.modal: Rectangle { color: sheet.theme.scrim }
    background: Rectangle { color: sheet.theme.surface; radius: sheet.theme.radius; border.color: sheet.theme.border }
    standardButtons: Dialog.Close
    width: Math.min(parent ? parent.width * 0.9 : 560, 560)
    height: Math.min(parent ? parent.height * 0.9 : 640, 640)

    // Groups of [description, key text] rows.
    readonly property var groups: [
        { title: qsTr("General"), rows: [
            [qsTr("Models"), keys.native("Ctrl+M")],
            [qsTr("Documents"), keys.native("Ctrl+D")],
            [qsTr("Settings"), keys.standard(StandardKey.Preferences) || keys.native("Ctrl+,")],
            [qsTr("Open a model file"), keys.standard(StandardKey.Open)],
            [qsTr("Add a remote server"), keys.native("Ctrl+Shift+R")],
            [qsTr("Keyboard shortcuts"), keys.native("F1")]
        ] },
        { title: qsTr("Conversations"), rows: [
            [qsTr("New conversation"), keys.standard(StandardKey.New)],
            [qsTr("Search conversations"), keys.standard(StandardKey.Find)],
            [qsTr("Move through the conversations"), keys.native("Down") + " / " + keys.native("Up")],
            [qsTr("Rename the selected conversation"), keys.native("F2")],
            [qsTr("Delete the selected conversation"), keys.native("Del")],
            [qsTr("Undo deleting a conversation"), keys.standard(StandardKey.Undo)]
        ] },
        { title: qsTr("Messages"), rows: [
            [qsTr("Send the message"), keys.native("Return")],
            [qsTr("New line in the message"), keys.native("Shift+Return")],
            [qsTr("Stop the answer"), keys.native("Esc")],
            [qsTr("Copy the last answer"), keys.native("Ctrl+Shift+C")],
            [qsTr("Attach pictures"), keys.native("Ctrl+Shift+A")],
            [qsTr("Paste a picture"), keys.standard(StandardKey.Paste)],
            [qsTr("Chat with a document collection"), keys.native("Ctrl+L")]
        ] },
        { title: qsTr("PDF viewer"), rows: [
            [qsTr("Next page"), keys.standard(StandardKey.MoveToNextPage)],
            [qsTr("Previous page"), keys.standard(StandardKey.MoveToPreviousPage)],
            [qsTr("Close the viewer"), keys.native("Esc")]
        ] }
    ]

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: scroll.availableWidth
            spacing: sheet.theme.spacing / 2

            Repeater {
                model: sheet.groups
                delegate: ColumnLayout {
                    id: group
                    required property var modelData
                    required property int index
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        text: group.modelData.title
                        font.bold: true
                        color: sheet.theme.text
                        topPadding: group.index > 0 ? sheet.theme.spacing : 0
                        bottomPadding: 4
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                    }
                    Repeater {
                        model: group.modelData.rows
                        delegate: RowLayout {
                            id: shortcutRow
                            required property var modelData
                            Layout.fillWidth: true
                            spacing: sheet.theme.spacing
                            Label {
                                Layout.fillWidth: true
                                text: shortcutRow.modelData[0]
                                color: sheet.theme.text
                                wrapMode: Text.Wrap
                                Accessible.role: Accessible.StaticText
                                Accessible.name: qsTr("%1: %2").arg(shortcutRow.modelData[0]).arg(shortcutRow.modelData[1])
                            }
                            // The keys, drawn as a key cap.
                            Rectangle {
                                color: sheet.theme.codeBackground
                                border.color: sheet.theme.border
                                radius: 4
                                implicitWidth: keyLabel.implicitWidth + sheet.theme.spacing
                                implicitHeight: keyLabel.implicitHeight + 6
                                Label {
                                    id: keyLabel
                                    anchors.centerIn: parent
                                    text: shortcutRow.modelData[1]
                                    font.family: sheet.theme.monoFamily
                                    font.pixelSize: sheet.theme.smallSize
                                    color: sheet.theme.text
                                    Accessible.ignored: true
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
