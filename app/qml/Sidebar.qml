import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Facet

// The chat's left column: "New chat", the conversation search, the undo note
// of a deleted conversation, and the conversations newest first, grouped by
// date (ConversationListModel's "group" role as the ListView's sections). A
// conversation's hover actions rename, export and delete it. Keyboard: Up and
// Down move through the list, Enter opens, F2 renames, Delete deletes (undo
// stays possible). Layout only: ChatController does the work.
// (No "ComponentBehavior: Bound": the section headers read the ListView's
// `section` context property.)
Rectangle {
    id: sidebar
    required property ChatController chat
    required property Theme theme
    property alias searchField: searchField
    property alias list: conversationList
    signal newChatRequested()
    signal renameRequested(var conversationId, string title)
    signal exportRequested(var conversationId)

    color: theme.sidebar

    function openRow(row) {
        const item = conversationList.itemAtIndex(row)
        if (item) chat.selectConversation(item.conversationId)
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: sidebar.theme.spacing * 0.75
        anchors.rightMargin: sidebar.theme.spacing * 0.75 + 2  // clear of the resize handle
        spacing: sidebar.theme.spacing / 2

        Button {
            id: newChat
            objectName: "newChatButton"
            Layout.fillWidth: true
            text: qsTr("New chat")
            enabled: !sidebar.chat.generating
            hoverEnabled: true
            padding: 8
            leftPadding: 10
            onClicked: sidebar.newChatRequested()
            Accessible.role: Accessible.Button
            Accessible.name: text
            Accessible.description: qsTr("Start a new conversation (Ctrl+N)")
            ToolTip.visible: hovered || visualFocus
            ToolTip.delay: 400
            ToolTip.text: qsTr("Start a new conversation (Ctrl+N)")
            contentItem: Item {
                implicitHeight: Math.max(sidebar.theme.iconSize, newChatLabel.implicitHeight)
                IconImage {
                    id: newChatIcon
                    anchors.left: parent.left
                    anchors.verticalCenter: parent.verticalCenter
                    source: sidebar.theme.icon("square-pen")
                    color: sidebar.theme.text
                    sourceSize.width: sidebar.theme.iconSize
                    sourceSize.height: sidebar.theme.iconSize
                }
                Label {
                    id: newChatLabel
                    anchors.left: newChatIcon.right
                    anchors.leftMargin: 10
                    anchors.right: shortcutHint.left
                    anchors.verticalCenter: parent.verticalCenter
                    text: newChat.text
                    elide: Text.ElideRight
                    font.pixelSize: sidebar.theme.bodySize
                    font.weight: Font.DemiBold
                    color: sidebar.theme.text
                }
                Label {
                    id: shortcutHint
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Ctrl+N")
                    font.pixelSize: sidebar.theme.smallSize
                    color: sidebar.theme.mutedText
                }
            }
            background: Rectangle {
                radius: sidebar.theme.radius
                color: newChat.down ? sidebar.theme.selected : newChat.hovered ? sidebar.theme.hover : "transparent"
                border.width: newChat.visualFocus ? 2 : 0
                border.color: sidebar.theme.accent
            }
        }

        TextField {
            id: searchField
            objectName: "conversationSearch"
            Layout.fillWidth: true
            placeholderText: qsTr("Search conversations")
            placeholderTextColor: sidebar.theme.mutedText
            color: sidebar.theme.text
            font.pixelSize: sidebar.theme.bodySize
            leftPadding: sidebar.theme.iconSize + 18
            rightPadding: 8
            topPadding: 7
            bottomPadding: 7
            selectByMouse: true
            onTextChanged: sidebar.chat.search(text)
            Keys.onDownPressed: conversationList.forceActiveFocus()
            Keys.onEscapePressed: text = ""
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Search conversations")
            ToolTip.visible: hovered && text === ""
            ToolTip.delay: 800
            ToolTip.text: qsTr("Search titles and messages (Ctrl+F)")
            background: Rectangle {
                radius: sidebar.theme.radius
                color: sidebar.theme.surface
                border.width: searchField.activeFocus ? 2 : 1
                border.color: searchField.activeFocus ? sidebar.theme.accent : sidebar.theme.border
            }
            IconImage {
                x: 9
                anchors.verticalCenter: parent.verticalCenter
                source: sidebar.theme.icon("search")
                color: sidebar.theme.mutedText
                sourceSize.width: sidebar.theme.iconSize - 2
                sourceSize.height: sidebar.theme.iconSize - 2
            }
        }

        // A deleted conversation can come back for a few seconds.
        RowLayout {
            Layout.fillWidth: true
            visible: sidebar.chat.undoText !== ""
            Label {
                Layout.fillWidth: true
                text: sidebar.chat.undoText
                elide: Text.ElideRight
                color: sidebar.theme.mutedText
                font.pixelSize: sidebar.theme.smallSize
            }
            Button {
                objectName: "undoDelete"
                text: qsTr("Undo")
                flat: true
                onClicked: sidebar.chat.undoDelete()
                Accessible.name: qsTr("Undo delete")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Bring the conversation back (Ctrl+Z)")
            }
        }

        ListView {
            id: conversationList
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: sidebar.chat.conversations
            activeFocusOnTab: true
            keyNavigationEnabled: true
            boundsBehavior: Flickable.StopAtBounds
            spacing: 1
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Conversations")
            Accessible.description: qsTr("Up and Down choose, Enter opens, F2 renames, Delete deletes")
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }

            onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0
            Keys.onReturnPressed: sidebar.openRow(currentIndex)
            Keys.onEnterPressed: sidebar.openRow(currentIndex)
            Keys.onDeletePressed: if (currentItem) sidebar.chat.deleteConversation(currentItem.conversationId)
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_F2 && currentItem) {
                    sidebar.renameRequested(currentItem.conversationId, currentItem.title)
                    event.accepted = true
                }
            }

            section.property: "group"
            section.criteria: ViewSection.FullString
            section.delegate: Label {
                objectName: "conversationSection"
                width: ListView.view ? ListView.view.width : 0
                text: section
                topPadding: sidebar.theme.spacing
                bottomPadding: 4
                leftPadding: 10
                font.pixelSize: sidebar.theme.smallSize
                font.weight: Font.DemiBold
                color: sidebar.theme.mutedText
                elide: Text.ElideRight
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }

            delegate: ItemDelegate {
                id: row
                required property var conversationId
                required property string title
                required property int index
                readonly property bool selected: conversationId === sidebar.chat.currentConversation
                readonly property bool keyboardCurrent: ListView.isCurrentItem && conversationList.activeFocus
                readonly property bool showActions: hovered || keyboardCurrent
                objectName: "conversation-" + index
                width: ListView.view.width
                implicitHeight: 36
                hoverEnabled: true
                focusPolicy: Qt.NoFocus  // the list has the focus; Up/Down move its current row
                highlighted: selected
                leftPadding: 10
                rightPadding: showActions ? actions.width + 4 : 10
                onClicked: {
                    conversationList.currentIndex = index
                    sidebar.chat.selectConversation(conversationId)
                }
                onDoubleClicked: sidebar.renameRequested(conversationId, title)
                Accessible.role: Accessible.ListItem
                Accessible.name: title
                Accessible.selected: selected
                Accessible.description: qsTr("Double-click or F2 to rename")
                contentItem: Label {
                    text: row.title
                    elide: Text.ElideRight
                    verticalAlignment: Text.AlignVCenter
                    color: sidebar.theme.text
                    font.pixelSize: sidebar.theme.bodySize
                    font.weight: row.selected ? Font.Medium : Font.Normal
                }
                background: Rectangle {
                    radius: sidebar.theme.radius
                    color: row.selected ? sidebar.theme.selected : row.hovered ? sidebar.theme.hover : "transparent"
                    border.width: row.keyboardCurrent ? 2 : 0
                    border.color: sidebar.theme.accent
                }
                Row {
                    id: actions
                    anchors.right: parent.right
                    anchors.rightMargin: 2
                    anchors.verticalCenter: parent.verticalCenter
                    visible: row.showActions
                    spacing: 0
                    IconButton {
                        objectName: "renameConversation"
                        theme: sidebar.theme
                        iconName: "pencil"
                        size: sidebar.theme.iconSize - 3
                        padding: 5
                        tip: qsTr("Rename (F2)")
                        focusPolicy: Qt.NoFocus
                        onClicked: sidebar.renameRequested(row.conversationId, row.title)
                        Accessible.name: qsTr("Rename conversation %1").arg(row.title)
                    }
                    IconButton {
                        objectName: "exportConversation"
                        theme: sidebar.theme
                        iconName: "download"
                        size: sidebar.theme.iconSize - 3
                        padding: 5
                        tip: qsTr("Export…")
                        focusPolicy: Qt.NoFocus
                        onClicked: sidebar.exportRequested(row.conversationId)
                        Accessible.name: qsTr("Export conversation %1").arg(row.title)
                    }
                    IconButton {
                        objectName: "deleteConversation"
                        theme: sidebar.theme
                        iconName: "trash-2"
                        size: sidebar.theme.iconSize - 3
                        padding: 5
                        tip: qsTr("Delete (Del)")
                        focusPolicy: Qt.NoFocus
                        enabled: !(sidebar.chat.generating && row.selected)
                        onClicked: sidebar.chat.deleteConversation(row.conversationId)
                        Accessible.name: qsTr("Delete conversation %1").arg(row.title)
                    }
                }
            }

            Label {
                anchors.centerIn: parent
                width: parent.width - 2 * sidebar.theme.spacing
                visible: conversationList.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: searchField.text !== "" ? qsTr("No conversation matches “%1”.").arg(searchField.text)
                                              : qsTr("Your conversations appear here.")
                color: sidebar.theme.mutedText
                font.pixelSize: sidebar.theme.smallSize
            }
        }
    }
}
