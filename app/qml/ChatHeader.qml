pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Facet

// The bar above a conversation: the document libraries it answers from (a
// chip each, with a button to detach it), a button to attach one, and the
// conversation's export on the right.
// A positioner, not a RowLayout: Qt 6.4's layout kept zero widths for chips
// made while the page was hidden (a library attached before a model was
// loaded). The Item's zero implicit width keeps the sidebar's.
Item {
    id: header
    required property ChatController chat
    required property Theme theme
    signal attachLibrary()
    signal exportCurrent()

    implicitHeight: Math.max(libraryRow.implicitHeight, exportButton.implicitHeight)

    Row {
        id: libraryRow
        anchors.left: parent.left
        anchors.right: exportButton.left
        anchors.verticalCenter: parent.verticalCenter
        clip: true
        spacing: header.theme.spacing / 2
        Label {
            anchors.verticalCenter: parent.verticalCenter
            visible: header.chat.documentLibraries.length > 0
            text: qsTr("Answering from:")
            color: header.theme.mutedText
            font.pixelSize: header.theme.smallSize
        }
        Repeater {
            model: header.chat.documentLibraries
            delegate: Rectangle {
                id: libraryChip
                required property string modelData
                required property int index
                objectName: "libraryChip-" + index
                anchors.verticalCenter: parent ? parent.verticalCenter : undefined
                width: chipRow.implicitWidth + header.theme.spacing
                height: chipRow.implicitHeight + 4
                radius: height / 2
                color: header.theme.surface
                border.color: header.theme.accent
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Library %1").arg(header.chat.documentLibraryNames[index] ?? "")
                ToolTip.visible: chipHover.hovered
                ToolTip.text: modelData
                HoverHandler { id: chipHover }
                Row {
                    id: chipRow
                    anchors.centerIn: parent
                    spacing: 2
                    IconButton {
                        anchors.verticalCenter: parent.verticalCenter
                        theme: header.theme
                        iconName: "library"
                        size: header.theme.iconSize - 4
                        padding: 2
                        focusPolicy: Qt.NoFocus
                        tip: libraryChip.modelData
                        Accessible.ignored: true
                    }
                    Label {
                        anchors.verticalCenter: parent.verticalCenter
                        text: header.chat.documentLibraryNames[libraryChip.index] ?? ""
                        color: header.theme.text
                        font.pixelSize: header.theme.smallSize
                    }
                    IconButton {
                        objectName: "detachLibrary-" + libraryChip.index
                        anchors.verticalCenter: parent.verticalCenter
                        theme: header.theme
                        iconName: "x"
                        size: header.theme.iconSize - 6
                        padding: 3
                        enabled: !header.chat.generating
                        tip: qsTr("Detach")
                        onClicked: header.chat.detachDocumentLibrary(libraryChip.modelData)
                        Accessible.name: qsTr("Detach library %1").arg(header.chat.documentLibraryNames[libraryChip.index] ?? "")
                    }
                }
            }
        }
        IconButton {
            objectName: "attachLibrary"
            anchors.verticalCenter: parent.verticalCenter
            theme: header.theme
            iconName: "library"
            showText: true
            text: qsTr("Attach library…")
            tip: qsTr("Answer from the documents of an indexed library (Ctrl+L)")
            enabled: !header.chat.generating
            onClicked: header.attachLibrary()
            Accessible.name: qsTr("Attach a document library")
        }
    }
    IconButton {
        id: exportButton
        objectName: "exportButton"
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        theme: header.theme
        iconName: "download"
        tip: qsTr("Export conversation…")
        enabled: header.chat.currentConversation !== 0
        onClicked: header.exportCurrent()
        Accessible.name: qsTr("Export conversation")
    }
}
