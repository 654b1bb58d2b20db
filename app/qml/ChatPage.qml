pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

// The chat: conversations on the left, the open conversation and the input
// box on the right, a status line below. Layout only: ChatController does the work.
Item {
    id: page
    required property ChatController chat
    required property Theme theme
    property alias input: inputBox

    function sendInput() {
        if (page.chat.send(inputBox.text)) inputBox.text = ""
    }
    // The picture dialog opens only when the loaded model can take pictures
    // (otherwise the banner says why).
    function attachPictures() {
        if (page.chat.canAttachImages()) imageDialog.open()
    }

    Shortcut {
        sequences: [StandardKey.New]
        onActivated: page.chat.newConversation()
    }
    Shortcut {
        sequences: [StandardKey.Find]
        onActivated: searchField.forceActiveFocus()
    }
    Shortcut {
        sequence: "Ctrl+Shift+C"
        onActivated: page.chat.copyLastAnswer()
    }
    Shortcut {
        sequence: "Esc"
        enabled: page.chat.generating && !pdfViewer.opened && !pictureViewer.opened  // Esc closes a viewer first
        onActivated: page.chat.stop()
    }

    Dialog {
        id: renameDialog
        property var conversationId: 0
        title: qsTr("Rename conversation")
        standardButtons: Dialog.Ok | Dialog.Cancel
        anchors.centerIn: parent
        modal: true
        TextField {
            id: renameField
            width: 320
            Accessible.name: qsTr("New title")
            onAccepted: renameDialog.accept()
        }
        onAccepted: page.chat.renameConversation(conversationId, renameField.text)
    }

    FileDialog {
        id: exportDialog
        title: qsTr("Export conversation")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Markdown (*.md)"), qsTr("JSON (*.json)")]
        onAccepted: page.chat.exportConversation(page.chat.currentConversation, selectedFile.toString(), "")
    }

    FileDialog {
        id: libraryDialog
        title: qsTr("Attach a document library")
        nameFilters: [qsTr("Document libraries (*.sqlite *.db)"), qsTr("All files (*)")]
        onAccepted: page.chat.attachDocumentLibrary(selectedFile.toString())
    }
    FileDialog {
        id: imageDialog
        title: qsTr("Attach pictures")
        fileMode: FileDialog.OpenFiles
        nameFilters: [qsTr("Pictures (*.png *.jpg *.jpeg *.webp *.gif *.bmp)"), qsTr("All files (*)")]
        onAccepted: page.chat.attachImages(selectedFiles)
    }
    Shortcut {
        sequence: "Ctrl+Shift+A"
        onActivated: page.attachPictures()
    }

    Shortcut {
        sequence: "Ctrl+L"
        enabled: !page.chat.generating
        onActivated: libraryDialog.open()
    }

    // A cited PDF opens here at its page; other files open in the system's viewer.
    PdfViewer {
        id: pdfViewer
        objectName: "pdfViewer"
        theme: page.theme
        parent: page
        x: page.theme.spacing
        y: page.theme.spacing
        width: page.width - 2 * page.theme.spacing
        height: page.height - 2 * page.theme.spacing
    }
    // A picture of a message, larger (a click on its thumbnail).
    PictureViewer {
        id: pictureViewer
        objectName: "pictureViewer"
        theme: page.theme
        parent: page
        x: page.theme.spacing
        y: page.theme.spacing
        width: page.width - 2 * page.theme.spacing
        height: page.height - 2 * page.theme.spacing
    }

    // Picture files dropped anywhere on the chat join the composer.
    DropArea {
        id: pictureDrop
        objectName: "pictureDrop"
        anchors.fill: parent
        z: 2
        onEntered: (drag) => drag.accepted = drag.hasUrls
        onDropped: (drop) => {
            page.chat.attachImages(drop.urls)
            drop.accept()
        }
        Rectangle {
            anchors.fill: parent
            visible: pictureDrop.containsDrag
            color: Qt.rgba(page.theme.accent.r, page.theme.accent.g, page.theme.accent.b, 0.12)
            border.color: page.theme.accent
            border.width: 2
            radius: page.theme.radius
            Label {
                anchors.centerIn: parent
                text: qsTr("Drop pictures to attach them")
                font.pixelSize: page.theme.titleSize
                color: page.theme.accent
            }
        }
    }

    Connections {
        target: page.chat
        function onPdfSourceRequested(file, fileName, pageIndex, search) { pdfViewer.showPage(file, fileName, pageIndex, search) }
    }

    RowLayout {
        anchors.fill: parent
        spacing: page.theme.spacing

        // Sidebar
        ColumnLayout {
            Layout.preferredWidth: 240
            Layout.fillHeight: true
            spacing: page.theme.spacing / 2
            Button {
                Layout.fillWidth: true
                text: qsTr("New chat")
                enabled: !page.chat.generating
                onClicked: page.chat.newConversation()
                Accessible.name: text
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Start a new conversation (Ctrl+N)")
            }
            TextField {
                id: searchField
                Layout.fillWidth: true
                placeholderText: qsTr("Search conversations")
                onTextChanged: page.chat.search(text)
                Accessible.name: qsTr("Search conversations")
            }
            RowLayout {
                Layout.fillWidth: true
                visible: page.chat.undoText !== ""
                Label {
                    Layout.fillWidth: true
                    text: page.chat.undoText
                    elide: Text.ElideRight
                    color: page.theme.mutedText
                }
                Button {
                    text: qsTr("Undo")
                    onClicked: page.chat.undoDelete()
                    Accessible.name: qsTr("Undo delete")
                }
            }
            Shortcut {
                sequences: [StandardKey.Undo]
                enabled: page.chat.undoText !== "" && !inputBox.activeFocus
                onActivated: page.chat.undoDelete()
            }
            ListView {
                id: conversationList
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: page.chat.conversations
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Conversations")
                delegate: ItemDelegate {
                    id: convDelegate
                    required property var conversationId
                    required property string title
                    width: conversationList.width
                    text: title
                    highlighted: conversationId === page.chat.currentConversation
                    onClicked: page.chat.selectConversation(conversationId)
                    onDoubleClicked: {
                        renameDialog.conversationId = conversationId
                        renameField.text = title
                        renameDialog.open()
                    }
                    Accessible.name: title
                    Accessible.description: qsTr("Double-click to rename")
                    ToolButton {
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        text: "\u2715"
                        visible: convDelegate.hovered || convDelegate.highlighted
                        onClicked: page.chat.deleteConversation(convDelegate.conversationId)
                        Accessible.name: qsTr("Delete conversation %1").arg(convDelegate.title)
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Delete")
                    }
                }
            }
        }

        // Conversation
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: page.theme.spacing / 2

            // The document libraries this chat answers from: one chip each
            // (its collection name, a button to detach it) and a button to attach one.
            // A positioner, not a RowLayout: Qt 6.4's layout kept zero widths for
            // chips made while the page was hidden (a library attached before a
            // model was loaded). The Item's zero implicit width keeps the sidebar's.
            Item {
                Layout.fillWidth: true
                implicitHeight: Math.max(libraryRow.implicitHeight, exportButton.implicitHeight)
                Row {
                    id: libraryRow
                    anchors.left: parent.left
                    anchors.right: exportButton.left
                    anchors.verticalCenter: parent.verticalCenter
                    clip: true
                    spacing: page.theme.spacing / 2
                    Label {
                        anchors.verticalCenter: parent.verticalCenter
                        visible: page.chat.documentLibraries.length > 0
                        text: qsTr("Answering from:")
                        color: page.theme.mutedText
                    }
                    Repeater {
                        model: page.chat.documentLibraries
                        delegate: Rectangle {
                            id: libraryChip
                            required property string modelData
                            required property int index
                            objectName: "libraryChip-" + index
                            anchors.verticalCenter: parent ? parent.verticalCenter : undefined
                            width: chipRow.implicitWidth + page.theme.spacing
                            height: chipRow.implicitHeight + 4
                            radius: height / 2
                            color: page.theme.surface
                            border.color: page.theme.accent
                            Accessible.role: Accessible.StaticText
                            Accessible.name: qsTr("Library %1").arg(page.chat.documentLibraryNames[index] ?? "")
                            ToolTip.visible: chipHover.hovered
                            ToolTip.text: modelData
                            HoverHandler { id: chipHover }
                            Row {
                                id: chipRow
                                anchors.centerIn: parent
                                spacing: 2
                                Label {
                                    anchors.verticalCenter: parent.verticalCenter
                                    text: page.chat.documentLibraryNames[libraryChip.index] ?? ""
                                    color: page.theme.text
                                }
                                ToolButton {
                                    objectName: "detachLibrary-" + libraryChip.index
                                    text: "\u2715"
                                    font.pixelSize: page.theme.bodySize - 3
                                    implicitHeight: 24
                                    implicitWidth: 24
                                    enabled: !page.chat.generating
                                    onClicked: page.chat.detachDocumentLibrary(libraryChip.modelData)
                                    Accessible.name: qsTr("Detach library %1").arg(page.chat.documentLibraryNames[libraryChip.index] ?? "")
                                }
                            }
                        }
                    }
                    ToolButton {
                        objectName: "attachLibrary"
                        text: qsTr("Attach library…")
                        enabled: !page.chat.generating
                        onClicked: libraryDialog.open()
                        Accessible.name: qsTr("Attach a document library")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("Answer from the documents of an indexed library (Ctrl+L)")
                    }
                }
                ToolButton {
                    id: exportButton
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Export…")
                    enabled: page.chat.currentConversation !== 0
                    onClicked: exportDialog.open()
                    Accessible.name: qsTr("Export conversation")
                }
            }

            Label {
                Layout.fillWidth: true
                visible: page.chat.notice !== ""
                text: page.chat.notice
                color: page.theme.mutedText
                wrapMode: Text.Wrap
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }

            ListView {
                id: messageList
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: page.theme.spacing
                model: page.chat.messages
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Messages")
                onCountChanged: positionViewAtEnd()
                delegate: MessageBubble {
                    width: messageList.width
                    theme: page.theme
                    chat: page.chat
                    onShowImage: (source, name) => pictureViewer.show(source, name)
                    onTextChanged: if (ListView.view && index === ListView.view.count - 1) ListView.view.positionViewAtEnd()
                }
                Label {
                    anchors.centerIn: parent
                    visible: messageList.count === 0
                    text: page.chat.modelLoaded ? qsTr("Ask %1 anything.").arg(page.chat.modelName)
                                                : qsTr("Open a model to start chatting.")
                    color: page.theme.mutedText
                }
            }

            AttachmentRow {
                objectName: "attachmentRow"
                Layout.fillWidth: true
                Layout.preferredHeight: implicitHeight
                chat: page.chat
                theme: page.theme
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: page.theme.spacing / 2
                ToolButton {
                    objectName: "attachPicture"
                    text: qsTr("Attach…")
                    onClicked: page.attachPictures()
                    Accessible.name: qsTr("Attach pictures")
                    ToolTip.visible: hovered
                    ToolTip.text: page.chat.modelLoaded && !page.chat.modelSeesImages
                                  ? qsTr("This model does not see pictures: %1").arg(page.chat.imageInputNote)
                                  : qsTr("Attach pictures (Ctrl+Shift+A), or drop or paste them")
                }
                ScrollView {
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(160, Math.max(44, inputBox.implicitHeight))
                    TextArea {
                        id: inputBox
                        objectName: "messageInput"
                        placeholderText: qsTr("Message (Enter sends, Shift+Enter adds a line)")
                        wrapMode: TextEdit.Wrap
                        enabled: page.chat.modelLoaded
                        Accessible.name: qsTr("Message")
                        Keys.onPressed: (event) => {
                            // A copied picture (or picture files) goes to the attachments; text pastes as text.
                            if (event.matches(StandardKey.Paste) && page.chat.pasteImages()) {
                                event.accepted = true
                                return
                            }
                            if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                    && !(event.modifiers & Qt.ShiftModifier)) {
                                event.accepted = true
                                if (!page.chat.generating) page.sendInput()
                            }
                        }
                    }
                }
                Button {
                    id: sendButton
                    text: page.chat.generating ? qsTr("Stop") : qsTr("Send")
                    enabled: page.chat.generating || (page.chat.modelLoaded && !page.chat.attachments.busy
                                                      && (inputBox.text.trim() !== "" || page.chat.attachments.count > 0))
                    onClicked: page.chat.generating ? page.chat.stop() : page.sendInput()
                    Accessible.name: text
                }
            }

            Label {
                Layout.fillWidth: true
                color: page.theme.mutedText
                font.pixelSize: page.theme.bodySize - 2
                text: page.chat.modelLoaded
                      ? qsTr("%1 on %2 · %3 tokens/s · context %4 / %5")
                            .arg(page.chat.modelName).arg(page.chat.deviceName)
                            .arg(page.chat.tokensPerSecond.toFixed(1))
                            .arg(page.chat.contextUsed).arg(page.chat.contextSize)
                        + (page.chat.imageStats !== "" ? " · " + page.chat.imageStats : "")
                      : qsTr("No model loaded")
                Accessible.role: Accessible.StatusBar
                Accessible.name: text
            }
        }
    }
}
