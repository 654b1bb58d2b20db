import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Facet

// The message box: one rounded frame with the pictures waiting to be sent
// (AttachmentRow) above the text, the attach button inside it on the left
// and the send button on the right (a stop button while a reply is being
// written). The text grows up to about eight lines, then scrolls. Enter
// sends, Shift+Enter adds a line; a pasted picture joins the attachments.
Rectangle {
    id: composer
    required property ChatController chat
    required property Theme theme
    property alias input: inputBox
    // The attach button was pressed (the page opens the picture dialog).
    signal attachRequested()

    readonly property bool canSend: chat.modelLoaded && !chat.attachments.busy
                                    && (inputBox.text.trim() !== "" || chat.attachments.count > 0)
    readonly property bool refusesPictures: chat.modelLoaded && !chat.modelSeesImages

    function send() {
        if (chat.send(inputBox.text)) inputBox.text = ""
    }

    implicitHeight: frame.implicitHeight + 2 * frame.anchors.margins
    radius: 24
    color: theme.surface
    border.width: inputBox.activeFocus ? 2 : 1
    border.color: inputBox.activeFocus ? theme.accent : theme.border

    FontMetrics {
        id: metrics
        font: inputBox.font
    }

    ColumnLayout {
        id: frame
        anchors.fill: parent
        anchors.margins: 8
        spacing: 4

        AttachmentRow {
            objectName: "attachmentRow"
            Layout.fillWidth: true
            Layout.leftMargin: 6
            Layout.topMargin: visible ? 4 : 0
            Layout.preferredHeight: implicitHeight
            chat: composer.chat
            theme: composer.theme
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 4

            // Disabled (with its reason as the tooltip) when the model does not see pictures.
            Item {
                Layout.alignment: Qt.AlignBottom
                implicitWidth: attachButton.implicitWidth
                implicitHeight: attachButton.implicitHeight
                HoverHandler { id: attachHover }
                ToolTip.visible: attachHover.hovered || attachButton.visualFocus
                ToolTip.delay: 400
                ToolTip.text: composer.refusesPictures
                              ? qsTr("This model does not see pictures: %1").arg(composer.chat.imageInputNote)
                              : qsTr("Attach pictures (Ctrl+Shift+A), or drop or paste them")
                IconButton {
                    id: attachButton
                    objectName: "attachPicture"
                    theme: composer.theme
                    iconName: "paperclip"
                    tip: ""
                    size: composer.theme.iconSize
                    padding: 8
                    enabled: composer.chat.modelLoaded && composer.chat.modelSeesImages
                    onClicked: composer.attachRequested()
                    Accessible.name: qsTr("Attach pictures")
                    Accessible.description: parent.ToolTip.text
                }
            }

            ScrollView {
                id: scroller
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignVCenter
                Layout.preferredHeight: Math.min(inputBox.implicitHeight,
                                                 8 * metrics.lineSpacing + inputBox.topPadding + inputBox.bottomPadding)
                ScrollBar.horizontal.policy: ScrollBar.AlwaysOff
                TextArea {
                    id: inputBox
                    objectName: "messageInput"
                    placeholderText: composer.chat.modelLoaded ? qsTr("Message (Enter sends, Shift+Enter adds a line)")
                                                               : qsTr("Open a model to start chatting")
                    placeholderTextColor: composer.theme.mutedText
                    color: composer.theme.text
                    selectionColor: composer.theme.accent
                    font.pixelSize: composer.theme.bodySize
                    wrapMode: TextEdit.Wrap
                    selectByMouse: true
                    topPadding: 8
                    bottomPadding: 8
                    leftPadding: 4
                    rightPadding: 4
                    background: null
                    enabled: composer.chat.modelLoaded
                    Accessible.role: Accessible.EditableText
                    Accessible.name: qsTr("Message")
                    Keys.onPressed: (event) => {
                        // A copied picture (or picture files) goes to the attachments; text pastes as text.
                        if (event.matches(StandardKey.Paste) && composer.chat.pasteImages()) {
                            event.accepted = true
                            return
                        }
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && !(event.modifiers & Qt.ShiftModifier)) {
                            event.accepted = true
                            if (!composer.chat.generating) composer.send()
                        }
                    }
                }
            }

            // Send, or stop while a reply is being written: an accent circle.
            Button {
                id: sendButton
                objectName: "sendButton"
                Layout.alignment: Qt.AlignBottom
                readonly property bool stops: composer.chat.generating
                text: stops ? qsTr("Stop") : qsTr("Send")
                enabled: stops || composer.canSend
                implicitWidth: 36
                implicitHeight: 36
                padding: 0
                hoverEnabled: true
                focusPolicy: Qt.StrongFocus
                onClicked: stops ? composer.chat.stop() : composer.send()
                Accessible.role: Accessible.Button
                Accessible.name: stops ? qsTr("Stop generating") : qsTr("Send message")
                ToolTip.visible: hovered || visualFocus
                ToolTip.delay: 400
                ToolTip.text: stops ? qsTr("Stop (Esc)") : qsTr("Send (Enter)")
                contentItem: Item {
                    IconImage {
                        anchors.centerIn: parent
                        source: composer.theme.icon(sendButton.stops ? "square" : "arrow-up")
                        color: sendButton.enabled ? composer.theme.background : composer.theme.mutedText
                        sourceSize.width: sendButton.stops ? 14 : 20
                        sourceSize.height: sendButton.stops ? 14 : 20
                    }
                }
                background: Rectangle {
                    radius: width / 2
                    color: !sendButton.enabled ? composer.theme.hover
                           : sendButton.down ? Qt.darker(composer.theme.accent, 1.2)
                           : sendButton.hovered ? Qt.lighter(composer.theme.accent, 1.1) : composer.theme.accent
                    border.width: sendButton.visualFocus ? 2 : 0
                    border.color: composer.theme.text
                }
            }
        }
    }
}
