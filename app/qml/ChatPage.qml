pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

// The chat: the conversations on the left (Sidebar, its width dragged and
// kept in the settings), the open conversation in a centred column capped to
// the theme's content width, the Composer under it and a status line.
// Layout only: ChatController does the work.
Item {
    id: page
    required property ChatController chat
    required property Theme theme
    property alias input: composer.input
    property alias sidebar: sidebar

    function sendInput() { composer.send() }
    // The picture dialog opens only when the loaded model can take pictures
    // (otherwise the banner says why).
    function attachPictures() {
        if (page.chat.canAttachImages()) imageDialog.open()
    }
    function newChat() {
        page.chat.newConversation()
        composer.input.forceActiveFocus()
    }
    function rename(conversationId, title) {
        renameDialog.conversationId = conversationId
        renameField.text = title
        renameDialog.open()
        renameField.selectAll()
        renameField.forceActiveFocus()
    }
    function exportConversation(conversationId) {
        exportDialog.conversationId = conversationId
        exportDialog.open()
    }

    Shortcut {
        sequences: [StandardKey.New]
        enabled: !page.chat.generating
        onActivated: page.newChat()
    }
    Shortcut {
        sequences: [StandardKey.Find]
        onActivated: sidebar.searchField.forceActiveFocus()
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
    Shortcut {
        sequences: [StandardKey.Undo]
        enabled: page.chat.undoText !== "" && !composer.input.activeFocus
        onActivated: page.chat.undoDelete()
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
            selectByMouse: true
            Accessible.name: qsTr("New title")
            onAccepted: renameDialog.accept()
        }
        onAccepted: page.chat.renameConversation(conversationId, renameField.text)
    }

    FileDialog {
        id: exportDialog
        property var conversationId: 0
        title: qsTr("Export conversation")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Markdown (*.md)"), qsTr("JSON (*.json)")]
        onAccepted: page.chat.exportConversation(conversationId, selectedFile.toString(), "")
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

    Sidebar {
        id: sidebar
        objectName: "sidebar"
        // While the handle is dragged: the width under the pointer; then the setting's.
        property int dragWidth: -1
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: dragWidth > 0 ? dragWidth : page.chat.settings.sidebarWidth
        chat: page.chat
        theme: page.theme
        onNewChatRequested: page.newChat()
        onRenameRequested: (conversationId, title) => page.rename(conversationId, title)
        onExportRequested: (conversationId) => page.exportConversation(conversationId)
    }

    // The sidebar's edge: drag it to resize the sidebar (180-480 px, kept for the next start).
    Rectangle {
        id: sidebarEdge
        objectName: "sidebarHandle"
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        x: sidebar.width - width / 2
        width: 1
        color: handleArea.containsMouse || handleArea.pressed ? page.theme.accent : page.theme.border
        Accessible.role: Accessible.Separator
        Accessible.name: qsTr("Sidebar edge: drag to resize the sidebar")
        MouseArea {
            id: handleArea
            anchors.horizontalCenter: parent.horizontalCenter
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            width: 8
            hoverEnabled: true
            cursorShape: Qt.SplitHCursor
            onPositionChanged: (mouse) => {
                if (pressed)
                    sidebar.dragWidth = Math.max(180, Math.min(480, Math.round(mapToItem(page, mouse.x, 0).x)))
            }
            onReleased: {
                if (sidebar.dragWidth > 0) page.chat.settings.sidebarWidth = sidebar.dragWidth
                sidebar.dragWidth = -1
            }
        }
    }

    // The open conversation.
    Item {
        id: conversation
        anchors.left: sidebarEdge.right
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        readonly property real columnWidth: Math.max(0, Math.min(page.theme.contentWidth, width - 4 * page.theme.spacing))

        ColumnLayout {
            anchors.fill: parent
            anchors.bottomMargin: page.theme.spacing / 2
            spacing: page.theme.spacing / 2

            ChatHeader {
                Layout.fillWidth: true
                Layout.leftMargin: page.theme.spacing
                Layout.rightMargin: page.theme.spacing / 2
                Layout.topMargin: page.theme.spacing / 2
                chat: page.chat
                theme: page.theme
                onAttachLibrary: libraryDialog.open()
                onExportCurrent: page.exportConversation(page.chat.currentConversation)
            }

            Label {
                Layout.preferredWidth: conversation.columnWidth
                Layout.alignment: Qt.AlignHCenter
                visible: page.chat.notice !== ""
                text: page.chat.notice
                color: page.theme.mutedText
                wrapMode: Text.Wrap
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }

            ListView {
                id: messageList
                objectName: "messageList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: page.theme.spacing / 2
                topMargin: page.theme.spacing
                bottomMargin: page.theme.spacing
                model: page.chat.messages
                boundsBehavior: Flickable.StopAtBounds
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Messages")
                ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
                onCountChanged: positionViewAtEnd()
                delegate: MessageBubble {
                    width: messageList.width
                    theme: page.theme
                    chat: page.chat
                    onShowImage: (source, name) => pictureViewer.show(source, name)
                    onTextChanged: if (ListView.view && index === ListView.view.count - 1) ListView.view.positionViewAtEnd()
                }
            }

            Composer {
                id: composer
                Layout.preferredWidth: conversation.columnWidth
                Layout.alignment: Qt.AlignHCenter
                chat: page.chat
                theme: page.theme
                onAttachRequested: page.attachPictures()
            }

            Label {
                Layout.preferredWidth: conversation.columnWidth
                Layout.alignment: Qt.AlignHCenter
                horizontalAlignment: Text.AlignHCenter
                elide: Text.ElideRight
                color: page.theme.mutedText
                font.pixelSize: page.theme.smallSize
                text: page.chat.modelLoaded
                      ? qsTr("%1 on %2 · %3 tokens/s · context %4 / %5")
                            .arg(page.chat.modelName).arg(page.chat.deviceName)
                            .arg(page.chat.tokensPerSecond.toLocaleString(Qt.locale(), "f", 1))
                            .arg(page.chat.contextUsed).arg(page.chat.contextSize)
                        + (page.chat.imageStats !== "" ? " · " + page.chat.imageStats : "")
                      : qsTr("No model loaded")
                Accessible.role: Accessible.StatusBar
                Accessible.name: text
            }
        }

        // An empty conversation: a short hint in the middle.
        Column {
            objectName: "emptyHint"
            anchors.centerIn: parent
            anchors.verticalCenterOffset: -composer.height / 2
            width: Math.min(conversation.columnWidth, 420)
            visible: messageList.count === 0
            spacing: page.theme.spacing
            Rectangle {
                anchors.horizontalCenter: parent.horizontalCenter
                width: 56
                height: 56
                radius: 28
                color: Qt.rgba(page.theme.accent.r, page.theme.accent.g, page.theme.accent.b, 0.12)
                IconImage {
                    anchors.centerIn: parent
                    source: page.theme.icon(page.chat.modelLoaded ? "sparkles" : "box")
                    color: page.theme.accent
                    sourceSize.width: 28
                    sourceSize.height: 28
                }
            }
            Label {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: page.chat.modelLoaded ? qsTr("Ask %1 anything.").arg(page.chat.modelName)
                                            : qsTr("Open a model to start chatting.")
                font.pixelSize: page.theme.titleSize
                font.weight: Font.DemiBold
                color: page.theme.text
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
            Label {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                visible: page.chat.modelLoaded
                text: qsTr("Enter sends, Shift+Enter adds a line. Ctrl+L answers from a document library.")
                color: page.theme.mutedText
                font.pixelSize: page.theme.bodySize
            }
        }
    }
}
